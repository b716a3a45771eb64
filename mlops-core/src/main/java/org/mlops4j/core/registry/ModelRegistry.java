package org.mlops4j.core.registry;

import org.mlops4j.core.internal.Names;
import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.BundleManifest;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.memory.InMemoryRegistryStore;
import org.mlops4j.core.registry.spi.RegistryStore;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Registered models: versions numbered 1, 2, 3… per name, aliases ({@code champion}, {@code staging}, any
 * name) that point at one version and can move, tags, and lineage to the run and the data. Storage is a
 * pluggable {@link RegistryStore}; {@link #inMemory()} keeps everything in this JVM.
 *
 * <p>Every load re-verifies the bundle: the stored manifest must have the SHA-256 recorded at
 * registration, and every file the checksum in the manifest. Thread-safe.
 * {@snippet :
 * ModelRegistry registry = ModelRegistry.inMemory();
 * ModelVersion v = registry.register("house-prices", bundle, List.of("challenger"), Map.of("owner", "pricing"));
 * registry.setAlias("house-prices", "champion", v.version());      // promote
 * Predictor p = registry.predictor("house-prices@champion");        // verified on load
 * }
 */
public final class ModelRegistry {
    private final RegistryStore store;
    private final Clock clock;

    private ModelRegistry(RegistryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** @return a registry kept in memory (lost when the JVM exits) */
    public static ModelRegistry inMemory() {
        return of(new InMemoryRegistryStore());
    }

    /**
     * @param store the backend
     * @return a registry over it, stamping times with the system UTC clock
     */
    public static ModelRegistry of(RegistryStore store) {
        return of(store, Clock.systemUTC());
    }

    /**
     * @param store the backend
     * @param clock stamps registration times
     * @return a registry over it
     */
    public static ModelRegistry of(RegistryStore store, Clock clock) {
        return new ModelRegistry(Objects.requireNonNull(store, "store"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * @param name   model name (letters, digits, {@code _ . -})
     * @param bundle the model
     * @return the new version
     */
    public ModelVersion register(String name, ModelBundle bundle) {
        return register(name, bundle, List.of(), Map.of());
    }

    /**
     * Registers a new version and points aliases at it, atomically.
     *
     * @param name    model name (letters, digits, {@code _ . -})
     * @param bundle  the model
     * @param aliases aliases to point at the new version (moved from older versions)
     * @param tags    tags of the version
     * @return the new version
     */
    public ModelVersion register(String name, ModelBundle bundle, List<String> aliases, Map<String, String> tags) {
        Names.model("model name", name);
        Objects.requireNonNull(bundle, "bundle");
        aliases.forEach(Names::alias);
        tags.forEach((k, v) -> {
            Names.key("tag", k);
            Names.tagValue(k, v);
        });
        BundleManifest m = bundle.manifest();
        return store.addVersion(new RegistryStore.NewVersion(name, clock.instant(), m.lineage(), m.metrics(), tags,
                aliases, bundle.files(), bundle.manifestSha256()));
    }

    /**
     * @param name    model name
     * @param alias   alias (not all digits, not {@code latest})
     * @param version an existing version
     */
    public void setAlias(String name, String alias, int version) {
        Names.alias(alias);
        requireVersion(name, version);
        store.setAlias(name, alias, version);
    }

    /**
     * @param name  model name
     * @param alias alias
     * @return whether it existed
     */
    public boolean deleteAlias(String name, String alias) {
        return store.deleteAlias(name, alias);
    }

    /**
     * @param name    model name
     * @param version an existing version
     * @param key     tag key
     * @param value   tag value
     */
    public void setTag(String name, int version, String key, String value) {
        Names.key("tag", key);
        Names.tagValue(key, value);
        requireVersion(name, version);
        store.setTag(name, version, key, value);
    }

    private void requireVersion(String name, int version) {
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1 but was " + version);
        }
        if (store.version(name, version).isEmpty()) {
            throw notFound(new ModelRef(name, version, null));
        }
    }

    /**
     * @param ref {@code name@alias}, {@code name/N} or {@code name}
     * @return the version it means
     * @throws ModelNotFoundException naming what exists when nothing matches
     */
    public ModelVersion version(String ref) {
        return version(ModelRef.parse(ref));
    }

    /**
     * @param ref a parsed reference
     * @return the version it means
     * @throws ModelNotFoundException naming what exists when nothing matches
     */
    public ModelVersion version(ModelRef ref) {
        List<ModelVersion> all = store.versions(ref.name());
        if (all.isEmpty()) {
            throw new ModelNotFoundException("no model named '" + ref.name() + "'; registered models are " + store.models());
        }
        if (ref.isLatest()) {
            return all.get(all.size() - 1);
        }
        int number = ref.version();
        if (ref.alias() != null) {
            Optional<Integer> v = store.alias(ref.name(), ref.alias());
            if (v.isEmpty()) {
                throw new ModelNotFoundException("model '" + ref.name() + "' has no alias '" + ref.alias() + "'; aliases are "
                        + all.stream().flatMap(x -> x.aliases().stream()).sorted().toList());
            }
            number = v.get();
        }
        int n = number;
        return store.version(ref.name(), n).orElseThrow(() -> notFound(new ModelRef(ref.name(), n, null)));
    }

    private ModelNotFoundException notFound(ModelRef ref) {
        List<ModelVersion> all = store.versions(ref.name());
        return new ModelNotFoundException(all.isEmpty()
                ? "no model named '" + ref.name() + "'; registered models are " + store.models()
                : "model '" + ref.name() + "' has no version " + ref.version() + "; versions are 1 to " + all.size());
    }

    /**
     * @param name model name
     * @return its versions, oldest first (empty for an unknown name)
     */
    public List<ModelVersion> versions(String name) {
        return store.versions(name);
    }

    /** @return every model name, sorted */
    public List<String> models() {
        return store.models();
    }

    /**
     * Loads and verifies a version's bundle.
     *
     * @param ref {@code name@alias}, {@code name/N} or {@code name}
     * @return the verified bundle
     * @throws BundleIntegrityException when the stored files do not match their checksums
     */
    public ModelBundle load(String ref) {
        return load(ModelRef.parse(ref));
    }

    /**
     * Loads and verifies a version's bundle.
     *
     * @param ref a parsed reference
     * @return the verified bundle
     * @throws BundleIntegrityException when the stored files do not match their checksums
     */
    public ModelBundle load(ModelRef ref) {
        ModelVersion v = version(ref);
        Map<String, byte[]> files = store.files(v.name(), v.version());
        String where = v.name() + "/" + v.version();
        byte[] manifest = files.get(ModelBundle.MANIFEST);
        if (manifest != null && !Sha256.hex(manifest).equals(v.manifestSha256())) {
            throw new BundleIntegrityException("bundle " + where + ": manifest.json has SHA-256 " + Sha256.hex(manifest)
                    + " but the registry recorded " + v.manifestSha256() + " at registration; refusing to load it");
        }
        return ModelBundle.fromFiles(files, where);
    }

    /**
     * Loads and verifies a version's bundle and returns its predictor.
     *
     * @param ref {@code name@alias}, {@code name/N} or {@code name}
     * @return the thread-safe predictor of that version
     * @throws ModelNotFoundException  naming what exists when nothing matches
     * @throws BundleIntegrityException when the stored files do not match their checksums
     */
    public Predictor predictor(String ref) {
        return load(ref).predictor();
    }

    /**
     * @param ref a parsed reference
     * @return the thread-safe predictor of that version, after verifying its bundle
     */
    public Predictor predictor(ModelRef ref) {
        return load(ref).predictor();
    }

    /**
     * Writes a version to one zip: its verified bundle and the registry's record of it ({@link VersionTransfer}).
     *
     * @param ref {@code name@alias}, {@code name/N} or {@code name}
     * @param zip a file that does not exist yet
     * @return the exported version
     * @throws BundleIntegrityException when the stored bundle does not verify
     */
    public ModelVersion exportVersion(String ref, java.nio.file.Path zip) {
        return VersionTransfer.export(this, ref, zip, null);
    }

    /**
     * @param ref      {@code name@alias}, {@code name/N} or {@code name}
     * @param zip      a file that does not exist yet
     * @param signWith signs the bundle's manifest, so the importer can check it came from here
     * @return the exported version
     */
    public ModelVersion exportVersion(String ref, java.nio.file.Path zip, org.mlops4j.core.model.BundleKey signWith) {
        return VersionTransfer.export(this, ref, zip, Objects.requireNonNull(signWith, "signWith"));
    }

    /**
     * Verifies an exported zip whole, then registers it as a new version with its lineage and tags, plus
     * {@value VersionTransfer#IMPORTED_FROM}. Nothing is registered when anything is refused.
     *
     * @param zip     a zip written by {@link #exportVersion}
     * @param options name, aliases, required key, limits
     * @return the new version
     * @throws BundleIntegrityException when the zip or its bundle is refused
     */
    public ModelVersion importVersion(java.nio.file.Path zip, VersionTransfer.ImportOptions options) {
        return VersionTransfer.importZip(this, zip, Objects.requireNonNull(options, "options"));
    }

    @Override
    public String toString() {
        return "ModelRegistry[" + store.getClass().getSimpleName() + ", models=" + store.models() + "]";
    }
}
