package org.mlops4j.core.model;

import org.mlops4j.core.MlopsException;
import org.mlops4j.core.data.Schema;
import org.mlops4j.core.data.profile.DataProfile;
import org.mlops4j.core.data.validate.Expectations;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.internal.Names;
import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.model.spi.ModelFlavor;
import org.mlops4j.core.transform.FittedTransform;
import org.mlops4j.core.transform.TransformTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A model as a set of files that can be stored, copied and verified: {@code manifest.json} (see
 * {@link BundleManifest}), the payload its flavor writes ({@code model.tribuo.gz} for Tribuo: protobuf,
 * never Java serialization), {@code transforms.json} (the fitted preprocessing chain), {@code profile.json}
 * (the profile of the raw training features, for input checks and drift), and files attached by the
 * pipeline ({@code pipeline.json}: the recipe that made the model) or by its steps.
 *
 * <p>Loading checks the manifest's format, then the size and SHA-256 of every listed file, before
 * anything is parsed; any mismatch is a {@link BundleIntegrityException} and nothing is loaded. A flavor
 * or transform type that no module on the class path provides is an {@link UnsupportedBundleException}
 * naming the artifact to add. Bundles are immutable and thread-safe.
 * {@snippet :
 * ModelBundle bundle = registry.load("house-prices@champion");
 * bundle.save(Path.of("export/house-prices-3"));          // a directory of files
 * ModelBundle again = ModelBundle.load(Path.of("export/house-prices-3"));  // verified
 * double price = again.predictor().predict(Map.of("RM", 6.5, "LSTAT", 5.0)).value();
 * }
 */
public final class ModelBundle {
    private static final Logger LOG = LoggerFactory.getLogger(ModelBundle.class);
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";
    /** The fitted chain's file name. */
    public static final String TRANSFORMS = "transforms.json";
    /** The training profile's file name. */
    public static final String PROFILE = "profile.json";
    /** The file an export zip carries beside the bundle: the registry's record of the version. */
    public static final String REGISTRY_METADATA = BundleArchive.EXPORT_FILE;
    /** The input example's file name: a few raw training rows, as JSON objects. */
    public static final String INPUT_EXAMPLE = "input-example.json";
    private static final Set<String> OWN = Set.of(MANIFEST, TRANSFORMS, PROFILE, INPUT_EXAMPLE, BundleSignature.FILE, BundleArchive.EXPORT_FILE);

    private final BundleManifest manifest;
    private final Map<String, byte[]> files;
    private final String manifestSha256;
    private final List<FittedTransform> transforms;
    private final DataProfile profile;
    private final Model model;
    private final Predictor predictor;
    private final BundleSignature signature;
    private final Expectations expectations;

    private ModelBundle(BundleManifest manifest, Map<String, byte[]> files, List<FittedTransform> transforms,
                        DataProfile profile, Model model, BundleSignature signature) {
        this.signature = signature;
        this.manifest = manifest;
        this.files = Map.copyOf(files);
        this.manifestSha256 = Sha256.hex(files.get(MANIFEST));
        this.transforms = List.copyOf(transforms);
        this.profile = profile;
        this.model = model;
        byte[] e = files.get(Expectations.FILE);
        if (e != null) {
            try {
                this.expectations = Expectations.fromJson(e, "bundle file " + Expectations.FILE);
            } catch (IllegalArgumentException bad) {
                throw new BundleIntegrityException(bad.getMessage(), bad);
            }
        } else {
            this.expectations = null;
        }
        this.predictor = new Predictor(manifest, this.transforms, model,
                expectations != null ? expectations : Expectations.infer(profile));
    }

    /**
     * @return the data contract the bundle carries ({@code expectations.json}, written by a pipeline that validated
     *     its data), or empty; the predictor then checks rows against expectations inferred from the training profile
     */
    public Optional<Expectations> expectations() {
        return Optional.ofNullable(expectations);
    }

    /**
     * @param model a trained model; its flavor must be on the class path
     * @return a builder for a bundle of it
     */
    public static Builder builder(Model model) {
        return new Builder(model);
    }

    /**
     * Verifies and decodes bundle files, within {@link BundleLimits#defaults()}.
     *
     * @param files file name to content, manifest included; the contents are copied before they are checked
     * @param where description for messages (a path, or {@code name/version})
     * @return the bundle
     * @throws BundleIntegrityException when anything does not match the manifest
     * @throws UnsupportedBundleException when its format version, flavor or a transform type is not readable here
     */
    public static ModelBundle fromFiles(Map<String, byte[]> files, String where) {
        return fromFiles(files, where, BundleLimits.defaults(), null);
    }

    /**
     * Verifies and decodes bundle files. The contents are copied first, so the bytes that are checked are
     * the bytes that are parsed, whatever the caller does with its arrays meanwhile.
     *
     * @param files  file name to content, manifest included
     * @param where  description for messages (a path, or {@code name/version})
     * @param limits how much the bundle may hold
     * @param key    when not null, the bundle must carry a {@code signature.json} of this key that matches
     * @return the bundle
     * @throws BundleIntegrityException when anything does not match the manifest, a limit or the key
     * @throws UnsupportedBundleException when its format version, flavor or a transform type is not readable here
     */
    public static ModelBundle fromFiles(Map<String, byte[]> files, String where, BundleLimits limits, BundleKey key) {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(limits, "limits");
        Map<String, byte[]> copy = new LinkedHashMap<>();
        files.forEach((k, v) -> copy.put(k, v == null ? null : v.clone()));
        return verified(copy, where, limits, key);
    }

    /** Verifies files this class read itself (never shared): checked, then parsed, from the same arrays. */
    static ModelBundle verified(Map<String, byte[]> files, String where, BundleLimits limits, BundleKey key) {
        byte[] manifestBytes = files.get(MANIFEST);
        if (manifestBytes == null) {
            throw new BundleIntegrityException("bundle " + where + " has no " + MANIFEST + "; expected a directory written by ModelBundle.save");
        }
        if (manifestBytes.length > limits.maxManifestBytes()) {
            throw new BundleIntegrityException("bundle " + where + ": " + MANIFEST + " has " + manifestBytes.length + " bytes; at most "
                    + limits.maxManifestBytes() + " are read (BundleLimits.maxManifestBytes)");
        }
        BundleManifest manifest = ManifestCheck.read(manifestBytes, where);
        if (manifest.files().size() + 1 > limits.maxFiles()) {
            throw new BundleIntegrityException("bundle " + where + ": the manifest lists " + manifest.files().size() + " files; at most "
                    + (limits.maxFiles() - 1) + " are read (BundleLimits.maxFiles)");
        }
        Map<String, byte[]> kept = new LinkedHashMap<>();
        kept.put(MANIFEST, manifestBytes);
        long total = manifestBytes.length;
        for (BundleManifest.BundleFile f : manifest.files()) {
            byte[] content = files.get(f.path());
            if (content == null) {
                throw new BundleIntegrityException("bundle " + where + ": file " + f.path() + " is listed in the manifest but missing");
            }
            if (content.length != f.size()) {
                throw new BundleIntegrityException("bundle " + where + ": file " + f.path() + " has " + content.length
                        + " bytes but the manifest records " + f.size() + "; the bundle was modified or truncated, refusing to load it");
            }
            if (content.length > limits.maxFileBytes() || (total += content.length) > limits.maxTotalBytes()) {
                throw new BundleIntegrityException("bundle " + where + ": file " + f.path() + " has " + content.length
                        + " bytes, past BundleLimits (" + limits.maxFileBytes() + " per file, " + limits.maxTotalBytes() + " in all)");
            }
            String actual = Sha256.hex(content);
            if (!actual.equals(f.sha256())) {
                throw new BundleIntegrityException("bundle " + where + ": file " + f.path() + " has SHA-256 " + actual
                        + " but the manifest records " + f.sha256() + "; the bundle was modified or corrupted, refusing to load it");
            }
            kept.put(f.path(), content);
        }
        BundleSignature signature = null;
        byte[] signatureBytes = files.get(BundleSignature.FILE);
        if (signatureBytes != null) {
            signature = BundleSignature.read(signatureBytes, where);
            kept.put(BundleSignature.FILE, signatureBytes);
        }
        if (key != null) {
            if (signature == null) {
                throw new BundleIntegrityException("bundle " + where + " is not signed (no " + BundleSignature.FILE + ") but key '" + key.id()
                        + "' was required; refusing it");
            }
            signature.verify(key, manifestBytes, where);
        }
        ModelFlavor flavor;
        try {
            flavor = ModelFlavors.find(manifest.flavor());
        } catch (UnsupportedBundleException e) {
            throw new UnsupportedBundleException("bundle " + where + " has " + e.getMessage(), e);
        }
        List<FittedTransform> transforms;
        DataProfile profile;
        try {
            transforms = TransformTypes.readChain(kept.get(TRANSFORMS), "bundle " + where + ": " + TRANSFORMS);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("which no module")) {
                throw new UnsupportedBundleException(e.getMessage(), e);
            }
            throw new BundleIntegrityException("bundle " + where + ": cannot read transforms or profile: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BundleIntegrityException("bundle " + where + ": cannot read " + TRANSFORMS + ": " + e, e);
        }
        try {
            profile = DataProfile.fromJson(kept.get(PROFILE));
        } catch (RuntimeException e) {
            throw new BundleIntegrityException("bundle " + where + ": cannot read transforms or profile: " + e.getMessage(), e);
        }
        BundleChecks.againstFiles(manifest, transforms, profile, "bundle " + where);
        if (kept.containsKey(INPUT_EXAMPLE)) {
            BundleChecks.inputExample(kept.get(INPUT_EXAMPLE), manifest, "bundle " + where);
        }
        ModelSignature expected = new ModelSignature(manifest.task(), manifest.features(), manifest.classes());
        Model model;
        try {
            model = flavor.read(Map.copyOf(kept), expected, "bundle " + where, limits);
        } catch (BundleIntegrityException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BundleIntegrityException("bundle " + where + ": flavor '" + manifest.flavor() + "' could not read its payload: " + e, e);
        }
        if (model == null || !expected.equals(model.signature())) {
            throw new BundleIntegrityException("bundle " + where + ": the payload reads as a model of " + (model == null ? "nothing"
                    : model.signature()) + " but the manifest records " + expected + "; refusing it");
        }
        return new ModelBundle(manifest, kept, transforms, profile, model, signature);
    }

    /**
     * Reads and verifies a bundle directory written by {@link #save} or a zip written by {@link #saveZip},
     * within {@link BundleLimits#defaults()}.
     *
     * @param path the bundle directory or zip
     * @return the verified bundle
     * @throws BundleIntegrityException when a file is missing or does not match the manifest, or a limit is passed
     */
    public static ModelBundle load(Path path) {
        return load(path, BundleLimits.defaults(), null);
    }

    /**
     * @param path   the bundle directory or zip
     * @param limits how much it may hold
     * @return the verified bundle
     * @throws BundleIntegrityException when a file is missing or does not match the manifest, or a limit is passed
     */
    public static ModelBundle load(Path path, BundleLimits limits) {
        return load(path, limits, null);
    }

    /**
     * Reads and verifies a bundle directory or zip. Only {@code manifest.json}, the files it lists and
     * {@code signature.json} are read, each after its size was checked against the manifest and the limits;
     * each is read once into memory, and the bytes checked are the bytes parsed. Nothing is written.
     *
     * @param path   the bundle directory or zip
     * @param limits how much it may hold
     * @param key    when not null, the bundle must be signed by this key
     * @return the verified bundle
     * @throws BundleIntegrityException when a file is missing or does not match the manifest, a limit is passed,
     *                                  a zip entry is unsafe, or the signature does not match
     */
    public static ModelBundle load(Path path, BundleLimits limits, BundleKey key) {
        return load(path, limits, key, new LinkedHashMap<>());
    }

    /**
     * Reads and verifies a bundle directory or zip, and hands back the registry metadata an export zip
     * carries beside the bundle ({@value #REGISTRY_METADATA}, see {@code ModelRegistry.exportVersion}).
     *
     * @param path   the bundle directory or zip
     * @param limits how much it may hold
     * @param key    when not null, the bundle must be signed by this key
     * @param beside receives {@value #REGISTRY_METADATA} by name when the zip has it
     * @return the verified bundle
     * @throws BundleIntegrityException as {@link #load(Path, BundleLimits, BundleKey)}
     */
    public static ModelBundle load(Path path, BundleLimits limits, BundleKey key, Map<String, byte[]> beside) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(limits, "limits");
        Map<String, byte[]> files;
        if (Files.isRegularFile(path) && BundleArchive.looksLikeZip(path)) {
            files = BundleArchive.readZip(path, limits, Set.of(BundleArchive.EXPORT_FILE));
        } else if (Files.isRegularFile(path)) {
            throw new BundleIntegrityException("bundle " + path + " is a file but not a zip; a bundle is a directory or a zip");
        } else {
            files = BundleArchive.readDirectory(path, limits);
        }
        byte[] metadata = files.remove(BundleArchive.EXPORT_FILE);
        ModelBundle b = verified(files, path.toString(), limits, key);
        if (metadata != null) {
            beside.put(REGISTRY_METADATA, metadata);
        }
        return b;
    }

    /**
     * @param key a key that can sign
     * @return this bundle with a {@code signature.json} of that key over its manifest (replacing any other)
     */
    public ModelBundle signedWith(BundleKey key) {
        BundleSignature sig = BundleSignature.sign(key, files.get(MANIFEST));
        Map<String, byte[]> signed = new LinkedHashMap<>(files);
        signed.put(BundleSignature.FILE, sig.toJson());
        return new ModelBundle(manifest, signed, transforms, profile, model, sig);
    }

    /** @return the bundle's signature, when it carries one (checked only by {@link #verifySignature} or a keyed load) */
    public Optional<BundleSignature> signature() {
        return Optional.ofNullable(signature);
    }

    /**
     * @param key the key the bundle should be signed with
     * @throws BundleIntegrityException when it is unsigned, signed by another key, or the signature does not match
     */
    public void verifySignature(BundleKey key) {
        if (signature == null) {
            throw new BundleIntegrityException("bundle " + this + " is not signed (no " + BundleSignature.FILE + ")");
        }
        signature.verify(key, files.get(MANIFEST), toString());
    }

    /** @return the bundle as one zip: manifest first, the same bytes for the same files */
    public byte[] toZip() {
        return BundleArchive.zip(files);
    }

    /**
     * @param registryMetadata the registry's record of the version, written as {@value #REGISTRY_METADATA} beside the bundle
     * @return the bundle and that file as one zip
     */
    public byte[] toZip(byte[] registryMetadata) {
        Map<String, byte[]> all = new LinkedHashMap<>(files);
        all.put(REGISTRY_METADATA, registryMetadata.clone());
        return BundleArchive.zip(all);
    }

    /**
     * Writes the bundle as one zip, to a temporary sibling first and moved into place.
     *
     * @param zip a file that does not exist yet
     * @throws MlopsException when it exists or cannot be written
     */
    public void saveZip(Path zip) {
        writeAtomically(zip, toZip());
    }

    static void writeAtomically(Path file, byte[] content) {
        Path target = file.toAbsolutePath().normalize();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new MlopsException("cannot write " + file + ": it already exists; choose a new file");
        }
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            if (Files.size(target) != content.length) {
                throw new MlopsException("cannot write " + file + ": another process replaced it while it was written");
            }
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw new MlopsException("cannot write " + file + ": it already exists; choose a new file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warn("could not remove temporary file {}: {}", tmp, e.getMessage());
                }
            }
        }
    }

    /**
     * Writes the bundle's files into a new directory. The files are written to a temporary sibling first
     * and moved into place, so {@code dir} either holds a complete bundle or does not exist.
     *
     * @param dir a directory that does not exist yet
     * @throws MlopsException when {@code dir} exists or cannot be written
     */
    public void save(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new MlopsException("cannot save bundle to " + dir + ": it already exists; choose a new directory");
        }
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Files.write(tmp.resolve(e.getKey()), e.getValue());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw new MlopsException("cannot save bundle to " + dir + ": it already exists; choose a new directory", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save bundle to " + dir + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("could not remove temporary directory {}: {}", dir, e.getMessage());
        }
    }

    /** @return the manifest */
    public BundleManifest manifest() {
        return manifest;
    }

    /** @return the SHA-256 of {@code manifest.json}, which covers every other file through its checksums */
    public String manifestSha256() {
        return manifestSha256;
    }

    /** @return the fitted preprocessing chain */
    public List<FittedTransform> transforms() {
        return transforms;
    }

    /** @return the profile of the raw training features */
    public DataProfile trainingProfile() {
        return profile;
    }

    /** @return a thread-safe predictor over this bundle's model and transforms */
    public Predictor predictor() {
        return predictor;
    }

    /** @return the model */
    public Model model() {
        return model;
    }

    /** @return every file's name, manifest included */
    public Set<String> fileNames() {
        return files.keySet();
    }

    /**
     * @param name a file name ({@code pipeline.json})
     * @return a copy of its content, when the bundle has it
     */
    public Optional<byte[]> file(String name) {
        byte[] b = files.get(name);
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    /** @return a copy of every file by name, manifest included: what a registry store keeps */
    public Map<String, byte[]> files() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        files.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    @Override
    public String toString() {
        return "ModelBundle[" + manifest.task() + " " + manifest.algorithm() + " -> " + manifest.label() + ", "
                + manifest.features().size() + " features, manifest sha256:" + manifestSha256.substring(0, 12) + "]";
    }

    /**
     * Assembles a bundle from a trained model: mutable, single-use; each setter checks its argument at once
     * and {@link #build()} checks that nothing required is missing.
     * {@snippet :
     * ModelBundle bundle = ModelBundle.builder(model)
     *         .label("MEDV")
     *         .algorithm("random_forest", Map.of("trees", "100"))
     *         .transforms(chain)
     *         .inputSchema(rawFeatures.schema())
     *         .trainingProfile(rawFeatures.profile())
     *         .metrics(Map.of("holdout_rmse", 2.96))
     *         .build();
     * }
     */
    public static final class Builder {
        private final Model model;
        private String label;
        private String algorithm;
        private Map<String, String> hyperparameters = Map.of();
        private List<FittedTransform> transforms = List.of();
        private Schema inputSchema;
        private List<String> ignoredInputs = List.of();
        private DataProfile profile;
        private Map<String, Double> metrics = Map.of();
        private Lineage lineage = new Lineage(null, null, null, null);
        private Map<String, String> environment = Map.of();
        private Instant createdAt;
        private Map<String, byte[]> payload;
        private BundleManifest.Training training;
        private final Map<String, byte[]> attached = new LinkedHashMap<>();
        private List<Map<String, Object>> example;
        private boolean built;

        private Builder(Model model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /**
         * @param column the predicted column
         * @return this builder
         */
        public Builder label(String column) {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException("label must not be blank but was " + Names.quote(column));
            }
            this.label = column;
            return this;
        }

        /**
         * @param name            the trainer's name ({@code random_forest})
         * @param hyperparameters its settings as recorded in the run
         * @return this builder
         */
        public Builder algorithm(String name, Map<String, String> hyperparameters) {
            this.algorithm = Objects.requireNonNull(name, "name");
            this.hyperparameters = new LinkedHashMap<>(hyperparameters);
            return this;
        }

        /**
         * @param chain the fitted preprocessing the model expects, each step of a named transform type
         * @return this builder
         */
        public Builder transforms(List<? extends FittedTransform> chain) {
            this.transforms = List.copyOf(chain);
            return this;
        }

        /**
         * @param schema the raw feature columns the predictor takes, before any transform
         * @return this builder
         */
        public Builder inputSchema(Schema schema) {
            this.inputSchema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * @param columns raw columns of the training data the model does not read (the chain removes them before
         *                any other step): recorded as {@link BundleManifest#ignoredInputs()}, so a prediction row may
         *                carry them without being refused as an unknown key
         * @return this builder
         */
        public Builder ignoredInputs(List<String> columns) {
            this.ignoredInputs = List.copyOf(columns);
            return this;
        }

        /**
         * @param trainingProfile the profile of the raw training features
         * @return this builder
         */
        public Builder trainingProfile(DataProfile trainingProfile) {
            this.profile = Objects.requireNonNull(trainingProfile, "trainingProfile");
            return this;
        }

        /**
         * @param values metrics at training time; non-finite values are left out of the manifest
         * @return this builder
         */
        public Builder metrics(Map<String, Double> values) {
            this.metrics = new LinkedHashMap<>(values);
            return this;
        }

        /**
         * @param from the run and data the model came from
         * @return this builder
         */
        public Builder lineage(Lineage from) {
            this.lineage = Objects.requireNonNull(from, "lineage");
            return this;
        }

        /**
         * @param tags JVM, OS, library versions, git commit at training time
         * @return this builder
         */
        public Builder environment(Map<String, String> tags) {
            this.environment = new LinkedHashMap<>(tags);
            return this;
        }

        /**
         * @param time when the bundle is made (default: now)
         * @return this builder
         */
        public Builder createdAt(Instant time) {
            this.createdAt = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * @param rows which rows the model was trained on and what its metrics measured
         * @return this builder
         */
        public Builder training(BundleManifest.Training rows) {
            this.training = rows;
            return this;
        }

        /**
         * @param files the model's payload as its flavor wrote it (computed ahead, off the critical path);
         *              by default the flavor writes it at {@link #build()}
         * @return this builder
         */
        public Builder payload(Map<String, byte[]> files) {
            this.payload = new LinkedHashMap<>(files);
            return this;
        }

        /**
         * @param contract the data contract the predictor checks rows against ({@code expectations.json})
         * @return this builder
         */
        public Builder expectations(Expectations contract) {
            return attach(Expectations.FILE, contract.toJson());
        }

        /**
         * @param name    a plain file name, not one of the bundle's own ({@code pipeline.json}, {@code card.md})
         * @param content its content
         * @return this builder
         */
        public Builder attach(String name, byte[] content) {
            checkName(name);
            if (OWN.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is written by the bundle itself; attach another name");
            }
            if (attached.putIfAbsent(name, content.clone()) != null) {
                throw new IllegalArgumentException("file '" + name + "' is already attached");
            }
            return this;
        }

        private static void checkName(String name) {
            String why = ManifestCheck.fileNameProblem(name);
            if (why != null) {
                throw new IllegalArgumentException("a bundle file name is a plain file name (letters, digits, '_', '-', '.',"
                        + " not starting with '.') but " + Names.quote(name) + " " + why);
            }
        }

        /**
         * @param raw  raw input columns (the training features)
         * @param rows how many of its first rows to keep as the input example (missing values as null)
         * @return this builder
         */
        public Builder inputExample(org.mlops4j.core.data.Dataset raw, int rows) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (int r = 0; r < Math.min(rows, raw.rowCount()); r++) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (org.mlops4j.core.data.Column c : raw.columns()) {
                    Object v = c.valueAt(r);
                    row.put(c.name(), v instanceof Double d && !Double.isFinite(d) ? null : v);
                }
                out.add(row);
            }
            return out.isEmpty() ? this : inputExample(out);
        }

        /**
         * @param rows a few raw input rows (the first training rows), written as {@code input-example.json}: what a
         *             caller sends, for documentation, serving examples and a check at load
         * @return this builder
         */
        public Builder inputExample(List<? extends Map<String, ?>> rows) {
            if (rows.isEmpty() || rows.size() > 100) {
                throw new IllegalArgumentException("an input example has 1 to 100 rows but got " + rows.size());
            }
            List<Map<String, Object>> copy = new ArrayList<>();
            for (Map<String, ?> r : rows) {
                copy.add(new LinkedHashMap<>(r));
            }
            this.example = copy;
            return this;
        }

        /**
         * @return the bundle, verified as it would be on load
         * @throws IllegalStateException when the label, input schema or training profile is missing
         */
        public ModelBundle build() {
            if (built) {
                throw new IllegalStateException("this builder already built a bundle; start a new one");
            }
            if (label == null || inputSchema == null || profile == null) {
                throw new IllegalStateException("a bundle needs label(...), inputSchema(...) and trainingProfile(...);"
                        + " missing: " + (label == null ? "label " : "") + (inputSchema == null ? "inputSchema " : "")
                        + (profile == null ? "trainingProfile" : "").strip());
            }
            for (String c : ignoredInputs) {
                if (inputSchema.contains(c) || c.equals(label)) {
                    throw new IllegalStateException("ignored input " + Names.quote(c) + " is " + (c.equals(label) ? "the label"
                            : "an input column of the schema") + "; a column is read or ignored, not both");
                }
            }
            built = true;
            Map<String, byte[]> payloadFiles = payload != null ? payload : ModelFlavors.find(model.flavor()).write(model);
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> e : payloadFiles.entrySet()) {
                checkName(e.getKey());
                if (OWN.contains(e.getKey()) || attached.containsKey(e.getKey())) {
                    throw new IllegalStateException("flavor '" + model.flavor() + "' writes '" + e.getKey()
                            + "', a name the bundle uses for another file");
                }
                files.put(e.getKey(), e.getValue());
            }
            files.put(TRANSFORMS, TransformTypes.writeChain(transforms));
            files.put(PROFILE, profile.toJson());
            if (example != null) {
                files.put(INPUT_EXAMPLE, Json.write(example));
            }
            files.putAll(attached);
            List<BundleManifest.BundleFile> listed = new ArrayList<>();
            files.forEach((name, bytes) -> listed.add(new BundleManifest.BundleFile(name, Sha256.hex(bytes), bytes.length)));
            Map<String, Double> finite = new LinkedHashMap<>();
            metrics.forEach((k, v) -> {
                if (v != null && Double.isFinite(v)) {
                    finite.put(k, v);
                }
            });
            ModelSignature sig = model.signature();
            BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT, BundleManifest.formatVersionFor(ignoredInputs), model.flavor(),
                    sig.task(), label, algorithm == null ? model.flavor() : algorithm, hyperparameters, inputSchema,
                    sig.features(), sig.classes(), finite, lineage, environment, createdAt == null ? Instant.now() : createdAt, listed,
                    training, BundleChecks.ranges(inputSchema, profile), new BundleManifest.Output(label,
                    sig.task() == org.mlops4j.core.Task.REGRESSION ? org.mlops4j.core.data.ColumnType.NUMERIC
                            : org.mlops4j.core.data.ColumnType.CATEGORICAL, sig.classes()), ignoredInputs);
            files.put(MANIFEST, Json.write(manifest));
            return new ModelBundle(manifest, files, transforms, profile, model, null);
        }
    }
}
