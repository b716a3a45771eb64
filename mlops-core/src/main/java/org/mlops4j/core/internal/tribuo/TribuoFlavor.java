package org.mlops4j.core.internal.tribuo;

import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.spi.ModelFlavor;
import org.tribuo.protos.core.ModelProto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The {@code tribuo} model flavor: the model as gzip-compressed Tribuo protobuf in {@code model.tribuo.gz},
 * never Java serialization. Reading refuses a payload that names a model class mlops4j does not write.
 * Found by {@link java.util.ServiceLoader}; internal: not an API.
 */
public final class TribuoFlavor implements ModelFlavor {
    /** The flavor's name in manifests. */
    public static final String NAME = "tribuo";
    /** The payload file. */
    public static final String FILE = "model.tribuo.gz";

    /**
     * Tribuo model classes we write. The protobuf names the class to instantiate; anything else is refused
     * before Tribuo sees it (bundles are checksum-verified first, this is a second fence).
     */
    private static final Set<String> ALLOWED_MODEL_CLASSES = Set.of(
            "org.tribuo.common.tree.TreeModel",
            "org.tribuo.regression.rtree.IndependentRegressionTreeModel",
            "org.tribuo.ensemble.WeightedEnsembleModel",
            "org.tribuo.regression.sgd.linear.LinearSGDModel",
            "org.tribuo.classification.sgd.linear.LinearSGDModel");

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
        byte[] gzipped = files.get(FILE);
        if (gzipped == null) {
            throw new BundleIntegrityException(where + ": the manifest does not list " + FILE);
        }
        ModelProto proto;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            proto = ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new BundleIntegrityException(where + ": the model payload is not a gzip-compressed Tribuo protobuf: " + e.getMessage(), e);
        }
        if (!ALLOWED_MODEL_CLASSES.contains(proto.getClassName())) {
            throw new BundleIntegrityException(where + ": the model payload names class '" + proto.getClassName()
                    + "', which mlops4j does not load; expected one of " + ALLOWED_MODEL_CLASSES);
        }
        try {
            return new TribuoModel(signature.task(), org.tribuo.Model.deserialize(proto), signature.features(), signature.classes());
        } catch (RuntimeException e) {
            throw new BundleIntegrityException(where + ": Tribuo could not read the model payload: " + e.getMessage(), e);
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
