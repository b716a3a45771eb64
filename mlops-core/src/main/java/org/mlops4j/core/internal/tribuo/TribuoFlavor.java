package org.mlops4j.core.internal.tribuo;

import com.google.protobuf.CodedInputStream;
import org.mlops4j.core.Task;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.BundleLimits;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.spi.ModelFlavor;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.VariableInfo;
import org.tribuo.classification.ImmutableLabelInfo;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.regression.ImmutableRegressionInfo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The {@code tribuo} model flavor: the model as gzip-compressed Tribuo protobuf in {@code model.tribuo.gz},
 * never Java serialization. Reading refuses a payload that names a model class mlops4j does not write.
 * Found by {@link java.util.ServiceLoader}; internal: not an API.
 *
 * <pre>{@code
 * ModelFlavor flavor = ModelFlavors.find("tribuo");
 * Model model = flavor.read(files, signature, "bundle house-prices/3");   // files: name to bytes from the bundle
 * }</pre>
 */
public final class TribuoFlavor implements ModelFlavor {
    /** The flavor's name in manifests. */
    public static final String NAME = "tribuo";
    /** The payload file. */
    public static final String FILE = "model.tribuo.gz";

    /** For {@link java.util.ServiceLoader}. */
    public TribuoFlavor() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * A 100-tree forest is ~10 MB of protobuf that compresses ~8x; the fastest deflate level compresses it
     * 3x faster than the default for ~6 % more bytes.
     */
    @Override
    public Map<String, byte[]> write(Model model) {
        if (!(model instanceof TribuoModel t)) {
            throw new IllegalArgumentException("the tribuo flavor writes Tribuo models, not " + model.getClass().getName());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (GZIPOutputStream gz = new FastGzip(bytes)) {
            t.tribuoModel().serialize().writeTo(gz);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(FILE, bytes.toByteArray());
    }

    @Override
    public Model read(Map<String, byte[]> files, ModelSignature signature, String where) {
        return read(files, signature, where, BundleLimits.defaults());
    }

    /**
     * Decompresses within the limits while protobuf parses (the payload is never held twice), checks every
     * class name and message type in it ({@link TribuoPayloadCheck}) before Tribuo sees it, then checks that
     * the model Tribuo built reads the manifest's features and predicts the manifest's task and classes.
     */
    @Override
    public Model read(Map<String, byte[]> files, ModelSignature signature, String where, BundleLimits limits) {
        byte[] gzipped = files.get(FILE);
        if (gzipped == null) {
            throw new BundleIntegrityException(where + ": the manifest does not list " + FILE);
        }
        ModelProto proto;
        try (InputStream in = new Bounded(new GZIPInputStream(new ByteArrayInputStream(gzipped), 1 << 16), gzipped.length, limits,
                where + ": " + FILE)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setRecursionLimit(64);
            proto = ModelProto.parseFrom(coded);
            if (in.read() != -1) {
                throw new BundleIntegrityException(where + ": " + FILE + " holds bytes after its model");
            }
        } catch (IOException e) {
            throw new BundleIntegrityException(where + ": the model payload is not a gzip-compressed Tribuo protobuf: " + e.getMessage(), e);
        }
        TribuoPayloadCheck.check(proto, where);
        org.tribuo.Model<?> model;
        try {
            model = org.tribuo.Model.deserialize(proto);
        } catch (RuntimeException | LinkageError e) {
            throw new BundleIntegrityException(where + ": Tribuo could not read the model payload: " + e, e);
        }
        checkAgainst(model, signature, where);
        return new TribuoModel(signature.task(), model, signature.features(), signature.classes());
    }

    private static void checkAgainst(org.tribuo.Model<?> model, ModelSignature signature, String where) {
        Set<String> features = new TreeSet<>();
        for (VariableInfo v : model.getFeatureIDMap()) {
            features.add(v.getName());
        }
        Set<String> expected = new TreeSet<>(signature.features());
        if (!features.equals(expected)) {
            Set<String> missing = new TreeSet<>(features);
            missing.removeAll(expected);
            Set<String> extra = new TreeSet<>(expected);
            extra.removeAll(features);
            throw new BundleIntegrityException(where + ": the model reads " + features.size() + " features but the manifest lists "
                    + expected.size() + (missing.isEmpty() ? "" : "; the model also reads " + missing)
                    + (extra.isEmpty() ? "" : "; the model does not read " + extra) + ". The manifest and the payload disagree, refusing it");
        }
        ImmutableOutputInfo<?> out = model.getOutputIDInfo();
        boolean regression = out instanceof ImmutableRegressionInfo;
        boolean classification = out instanceof ImmutableLabelInfo;
        if (signature.task() == Task.REGRESSION ? !regression : !classification) {
            throw new BundleIntegrityException(where + ": the manifest records a " + signature.task() + " model but the payload's outputs are "
                    + out.getClass().getSimpleName() + "; refusing it");
        }
        if (regression && out.size() != 1) {
            throw new BundleIntegrityException(where + ": the payload predicts " + out.size() + " values; mlops4j models predict one");
        }
        if (classification) {
            Set<String> labels = new TreeSet<>();
            for (Object o : out.getDomain()) {
                labels.add(((Label) o).getLabel());
            }
            if (!labels.equals(new TreeSet<>(signature.classes()))) {
                throw new BundleIntegrityException(where + ": the payload predicts classes " + labels + " but the manifest records "
                        + signature.classes() + "; refusing it");
            }
        }
    }

    /** Counts what the gzip stream gives and stops past the limits. */
    private static final class Bounded extends FilterInputStream {
        private final long compressed;
        private final BundleLimits limits;
        private final String what;
        private long count;

        Bounded(InputStream in, long compressed, BundleLimits limits, String what) {
            super(in);
            this.compressed = compressed;
            this.limits = limits;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                limits.checkExpansion(++count, compressed, what);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                limits.checkExpansion(count, compressed, what);
            }
            return n;
        }
    }

    /**
     * Tribuo's protobuf embeds provenance with the training time and host facts, so the payload's bytes differ
     * between two trainings of the same seeded model; the fingerprint hashes the protobuf without provenance.
     */
    @Override
    public String fingerprint(Map<String, byte[]> payload) {
        byte[] gzipped = payload.get(FILE);
        if (gzipped == null) {
            return ModelFlavor.super.fingerprint(payload);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return TribuoFingerprint.of(ModelProto.parseFrom(in));
        } catch (IOException e) {
            throw new BundleIntegrityException("the model payload is not a gzip-compressed Tribuo protobuf: " + e.getMessage(), e);
        }
    }

    /** gzip at {@link Deflater#BEST_SPEED}. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
