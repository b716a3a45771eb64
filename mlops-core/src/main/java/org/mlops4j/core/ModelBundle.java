package org.mlops4j.core;

import org.mlops4j.core.internal.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model as a set of files that can be stored, copied and verified: {@code manifest.json} (see
 * {@link BundleManifest}), {@code model.tribuo.gz} (Tribuo protobuf, never Java serialization),
 * {@code transforms.json} (the fitted preprocessing chain) and {@code profile.json} (the profile of the
 * raw training features, for input checks and drift).
 *
 * <p>Loading checks the manifest's format, then the size and SHA-256 of every listed file, before
 * anything is parsed; any mismatch is a {@link BundleIntegrityException} and nothing is loaded. Bundles
 * are immutable and thread-safe.
 * {@snippet :
 * ModelBundle bundle = registry.load("house-prices@champion");
 * bundle.save(Path.of("export/house-prices-3"));          // a directory of four files
 * ModelBundle again = ModelBundle.load(Path.of("export/house-prices-3"));  // verified
 * double price = again.predictor().predict(Map.of("RM", 6.5, "LSTAT", 5.0)).value();
 * }
 */
public final class ModelBundle {
    private static final Logger LOG = LoggerFactory.getLogger(ModelBundle.class);
    static final String MANIFEST = "manifest.json";
    static final String MODEL = "model.tribuo.gz";
    static final String TRANSFORMS = "transforms.json";
    static final String PROFILE = "profile.json";
    private static final Set<String> REQUIRED = Set.of(MODEL, TRANSFORMS, PROFILE);

    private final BundleManifest manifest;
    private final Map<String, byte[]> files;
    private final String manifestSha256;
    private final List<FittedTransform> transforms;
    private final DataProfile profile;
    private final Predictor predictor;

    private ModelBundle(BundleManifest manifest, Map<String, byte[]> files, List<FittedTransform> transforms,
                        DataProfile profile, TrainedModel model) {
        this.manifest = manifest;
        this.files = Map.copyOf(files);
        this.manifestSha256 = sha256(files.get(MANIFEST));
        this.transforms = List.copyOf(transforms);
        this.profile = profile;
        this.predictor = new Predictor(manifest, this.transforms, model);
    }

    /**
     * Makes a bundle from a freshly trained model.
     *
     * @param payload the model serialized by {@link TribuoBridge#serialize} (done early, off the critical path)
     */
    static ModelBundle create(TrainedModel model, byte[] payload, String label, Algorithm algorithm,
                              List<FittedTransform> transforms, Schema inputSchema, DataProfile profile,
                              Map<String, Double> metrics, Lineage lineage, Map<String, String> environment, Instant createdAt) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(MODEL, payload);
        files.put(TRANSFORMS, Json.write(transforms, Json.transformListType()));
        files.put(PROFILE, Json.write(profile));
        List<BundleManifest.BundleFile> listed = new ArrayList<>();
        files.forEach((name, bytes) -> listed.add(new BundleManifest.BundleFile(name, sha256(bytes), bytes.length)));
        Map<String, Double> finite = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                finite.put(k, v);
            }
        });
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT, BundleManifest.FORMAT_VERSION, "tribuo",
                model.task(), label, algorithm.name(), algorithm.hyperparameters(), inputSchema, model.features(),
                model.classes(), finite, lineage, environment, createdAt, listed);
        files.put(MANIFEST, Json.write(manifest));
        return new ModelBundle(manifest, files, transforms, profile, model);
    }

    /**
     * Verifies and decodes bundle files.
     *
     * @param files file name to content, manifest included
     * @param where description for messages (a path, or {@code name/version})
     * @return the bundle
     * @throws BundleIntegrityException when anything does not match the manifest
     */
    static ModelBundle fromFiles(Map<String, byte[]> files, String where) {
        byte[] manifestBytes = files.get(MANIFEST);
        if (manifestBytes == null) {
            throw new BundleIntegrityException("bundle " + where + " has no " + MANIFEST + "; expected a directory written by ModelBundle.save");
        }
        BundleManifest manifest;
        try {
            manifest = Json.read(manifestBytes, BundleManifest.class);
        } catch (IOException | RuntimeException e) {
            throw new BundleIntegrityException("bundle " + where + ": " + MANIFEST + " is not a valid manifest: " + e.getMessage(), e);
        }
        if (!BundleManifest.FORMAT.equals(manifest.format())) {
            throw new BundleIntegrityException("bundle " + where + ": format is '" + manifest.format() + "'; expected '"
                    + BundleManifest.FORMAT + "'");
        }
        if (manifest.formatVersion() > BundleManifest.FORMAT_VERSION || manifest.formatVersion() < 1) {
            throw new BundleIntegrityException("bundle " + where + " has format version " + manifest.formatVersion()
                    + "; this mlops4j reads versions 1 to " + BundleManifest.FORMAT_VERSION + " (a newer release wrote it?)");
        }
        if (!"tribuo".equals(manifest.flavor())) {
            throw new BundleIntegrityException("bundle " + where + " has flavor '" + manifest.flavor() + "'; this module loads 'tribuo'");
        }
        Set<String> listed = new java.util.HashSet<>();
        for (BundleManifest.BundleFile f : manifest.files()) {
            if (f.path() == null || f.path().contains("/") || f.path().contains("\\") || f.path().startsWith(".")
                    || f.path().equals(MANIFEST)) {
                throw new BundleIntegrityException("bundle " + where + ": the manifest lists an invalid file path "
                        + Names.quote(f.path()) + "; expected plain file names");
            }
            byte[] content = files.get(f.path());
            if (content == null) {
                throw new BundleIntegrityException("bundle " + where + ": file " + f.path() + " is listed in the manifest but missing");
            }
            if (content.length != f.size()) {
                throw new BundleIntegrityException("bundle " + where + ": file " + f.path() + " has " + content.length
                        + " bytes but the manifest records " + f.size() + "; the bundle was modified or truncated, refusing to load it");
            }
            String actual = sha256(content);
            if (!actual.equals(f.sha256())) {
                throw new BundleIntegrityException("bundle " + where + ": file " + f.path() + " has SHA-256 " + actual
                        + " but the manifest records " + f.sha256() + "; the bundle was modified or corrupted, refusing to load it");
            }
            listed.add(f.path());
        }
        for (String required : REQUIRED) {
            if (!listed.contains(required)) {
                throw new BundleIntegrityException("bundle " + where + ": the manifest does not list " + required);
            }
        }
        List<FittedTransform> transforms;
        DataProfile profile;
        try {
            transforms = Json.read(files.get(TRANSFORMS), Json.transformListType());
            profile = Json.read(files.get(PROFILE), DataProfile.class);
        } catch (IOException | RuntimeException e) {
            throw new BundleIntegrityException("bundle " + where + ": cannot read transforms or profile: " + e.getMessage(), e);
        }
        var model = TribuoBridge.deserialize(files.get(MODEL), "bundle " + where);
        Map<String, byte[]> kept = new LinkedHashMap<>();
        kept.put(MANIFEST, manifestBytes);
        for (String name : listed) {
            kept.put(name, files.get(name));
        }
        return new ModelBundle(manifest, kept, transforms, profile,
                new TrainedModel(manifest.task(), model, manifest.features(), manifest.classes()));
    }

    /**
     * Reads and verifies a bundle directory written by {@link #save}.
     *
     * @param dir the bundle directory
     * @return the verified bundle
     * @throws BundleIntegrityException when a file is missing or does not match the manifest
     */
    public static ModelBundle load(Path dir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    files.put(p.getFileName().toString(), Files.readAllBytes(p));
                } else {
                    LOG.debug("ignoring {} in bundle {}: not a regular file", p.getFileName(), dir);
                }
            }
        } catch (NoSuchFileException e) {
            throw new BundleIntegrityException("bundle " + dir + " does not exist", e);
        } catch (IOException e) {
            throw new BundleIntegrityException("cannot read bundle " + dir + ": " + e.getMessage(), e);
        }
        return fromFiles(files, dir.toString());
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

    /** @return the files by name, manifest included (the arrays must not be modified) */
    Map<String, byte[]> files() {
        return files;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "ModelBundle[" + manifest.task() + " " + manifest.algorithm() + " -> " + manifest.label() + ", "
                + manifest.features().size() + " features, manifest sha256:" + manifestSha256.substring(0, 12) + "]";
    }
}
