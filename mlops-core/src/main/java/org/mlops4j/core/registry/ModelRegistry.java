package org.mlops4j.core.registry;

import org.mlops4j.core.internal.Names;
import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.BundleManifest;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.memory.InMemoryRegistryStore;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.Tracker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Registered models: versions numbered 1, 2, 3… per name, aliases ({@code champion}, {@code staging}, any
 * name) that point at one version and can move, tags, and lineage to the run and the data. Storage is a
 * pluggable {@link RegistryStore}; {@link #inMemory()} keeps everything in this JVM.
 *
 * <p>Every load re-verifies the bundle: the stored manifest must have the SHA-256 recorded at
 * registration, and every file the checksum in the manifest. A model is named as MLflow names it,
 * everywhere: {@code models:/name/3}, {@code models:/name@champion}, {@code models:/name/latest} (or
 * without {@code models:/}), and {@code runs:/<run-id>/model} for the bundle a tracked run logged (when the
 * registry was given that tracker, {@link #withRuns}). Closing the registry closes its store (a durable
 * store holds a database connection pool). Thread-safe.
 * {@snippet :
 * ModelRegistry registry = ModelRegistry.inMemory();
 * ModelVersion v = registry.register("house-prices", bundle, List.of("challenger"), Map.of("owner", "pricing"));
 * registry.setAlias("house-prices", "champion", v.version());      // promote
 * Predictor p = registry.predictor("house-prices@champion");        // verified on load
 * }
 */
public final class ModelRegistry implements AutoCloseable {
    /** Most files a {@code runs:/} bundle may hold. */
    private static final int MAX_RUN_FILES = 10_000;
    /** Most bytes a {@code runs:/} bundle may hold (its files are read into memory to verify them). */
    private static final long MAX_RUN_BYTES = 2L << 30;

    private final RegistryStore store;
    private final Clock clock;
    private final Tracker runs;
    private final List<AutoCloseable> owned;

    private ModelRegistry(RegistryStore store, Clock clock, Tracker runs, List<AutoCloseable> owned) {
        this.store = store;
        this.clock = clock;
        this.runs = runs;
        this.owned = List.copyOf(owned);
    }

    private ModelRegistry(RegistryStore store, Clock clock) {
        this(store, clock, null, store instanceof AutoCloseable c ? List.of(c) : List.of());
    }

    /**
     * @param tracker where {@code runs:/<run-id>/<path>} URIs are read from (the tracker stays open when this
     *                registry closes, unless it was handed over with {@link #closing})
     * @return this registry, also loading bundles that tracked runs logged
     */
    public ModelRegistry withRuns(Tracker tracker) {
        return new ModelRegistry(store, clock, Objects.requireNonNull(tracker, "tracker"), owned);
    }

    /**
     * @param resource closed when this registry closes (after its store), e.g. the tracker given to {@link #withRuns}
     * @return a registry that closes it too
     */
    public ModelRegistry closing(AutoCloseable resource) {
        List<AutoCloseable> all = new ArrayList<>(owned);
        all.add(Objects.requireNonNull(resource, "resource"));
        return new ModelRegistry(store, clock, runs, all);
    }

    /** @return the tracker {@code runs:/} URIs are read from, or empty */
    public Optional<Tracker> runs() {
        return Optional.ofNullable(runs);
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
        Map<String, String> all = new TreeMap<>();
        for (String key : List.of("mlops.git.commit", "mlops.version")) { // lineage: the code and library that trained it
            String value = m.environment().get(key);
            if (value != null && !value.isBlank()) {
                all.put(key, value);
            }
        }
        all.putAll(tags);
        return store.addVersion(new RegistryStore.NewVersion(name, clock.instant(), m.lineage(), m.metrics(), all,
                aliases, bundle.files(), bundle.manifestSha256()));
    }

    /**
     * Registers files as they are (the MLflow server's {@code model-versions/create}, imports): names, aliases,
     * tags and sizes are checked, and the manifest's SHA-256 recomputed when {@code manifest.json} is there.
     *
     * @param version what to add; its {@code createdAt} is kept
     * @return the new version
     */
    public ModelVersion register(RegistryStore.NewVersion version) {
        Objects.requireNonNull(version, "version");
        Names.model("model name", version.name());
        version.aliases().forEach(Names::alias);
        version.tags().forEach((k, v) -> {
            Names.key("tag", k);
            Names.tagValue(k, v);
        });
        description(version.description());
        byte[] manifest = version.files().get(ModelBundle.MANIFEST);
        // The checksum given is recorded as it is (loading refuses a manifest that does not match it); when none
        // is given, the manifest's own is.
        String sha = version.manifestSha256() != null || manifest == null ? version.manifestSha256() : Sha256.hex(manifest);
        return store.addVersion(new RegistryStore.NewVersion(version.name(), version.createdAt(), version.lineage(),
                version.metrics(), version.tags(), version.aliases(), version.files(), sha, version.description(), version.source()));
    }

    /** Longest description (MLflow's limit is on the database column; this one keeps every store's the same). */
    private static final int MAX_DESCRIPTION = 64_000;

    private static String description(String d) {
        if (d != null && d.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("description must be at most " + MAX_DESCRIPTION + " characters but has " + d.length());
        }
        return d == null ? "" : d;
    }

    // ---- models ----

    /**
     * @param name model name
     * @return the model with its description, tags and aliases, or empty when there is none
     */
    public Optional<RegisteredModel> model(String name) {
        return store.model(Names.model("model name", name));
    }

    /**
     * Creates a model before its first version (registering creates it too).
     *
     * @param name        model name (letters, digits, {@code _ . -})
     * @param description description, "" for none
     * @param tags        model tags
     * @return the created model
     * @throws RegistryConflictException when the name is taken
     */
    public RegisteredModel createModel(String name, String description, Map<String, String> tags) {
        return createModel(name, description, tags, clock.instant());
    }

    /**
     * Creates a model before its first version, at a given time (an import, a server acting for a client).
     *
     * @param name        model name (letters, digits, {@code _ . -})
     * @param description description, "" for none
     * @param tags        model tags
     * @param createdAt   its creation time
     * @return the created model
     * @throws RegistryConflictException when the name is taken
     */
    public RegisteredModel createModel(String name, String description, Map<String, String> tags, java.time.Instant createdAt) {
        Objects.requireNonNull(createdAt, "createdAt");
        Names.model("model name", name);
        tags.forEach((k, v) -> {
            Names.key("tag", k);
            Names.tagValue(k, v);
        });
        return store.createModel(name, description(description), tags, createdAt);
    }

    /**
     * @param name        existing model
     * @param description the new description
     */
    public void setDescription(String name, String description) {
        store.setModelDescription(requireModel(name), description(description));
    }

    /**
     * @param name  existing model
     * @param key   tag key
     * @param value tag value
     */
    public void setModelTag(String name, String key, String value) {
        Names.key("tag", key);
        Names.tagValue(key, value);
        store.setModelTag(requireModel(name), key, value);
    }

    /**
     * @param name existing model
     * @param key  tag key
     * @return whether it existed
     */
    public boolean deleteModelTag(String name, String key) {
        return store.deleteModelTag(requireModel(name), key);
    }

    /**
     * @param name    model name
     * @param newName the new name (letters, digits, {@code _ . -}), unused
     * @throws RegistryConflictException when {@code newName} is taken
     */
    public void renameModel(String name, String newName) {
        Names.model("new model name", newName);
        store.renameModel(requireModel(name), newName);
    }

    /**
     * Deletes a model with all its versions.
     *
     * @param name  existing model
     * @param force delete even when aliases point at its versions
     * @throws RegistryConflictException without force when an alias exists, naming it
     */
    public void deleteModel(String name, boolean force) {
        RegisteredModel m = store.model(requireModel(name)).orElseThrow(() -> noModel(name));
        if (!force && !m.aliases().isEmpty()) {
            throw new RegistryConflictException("model '" + name + "' still has alias" + (m.aliases().size() > 1 ? "es " : " ")
                    + aliasList(m.aliases()) + "; delete the aliases first or delete with force");
        }
        store.deleteModel(name);
    }

    /**
     * Deletes one version; its number is never given again.
     *
     * @param name    model name
     * @param version existing version
     * @param force   delete even when aliases point at it (they are deleted with it)
     * @throws RegistryConflictException without force when an alias points at it, naming the alias
     */
    public void deleteVersion(String name, int version, boolean force) {
        requireVersion(name, version);
        ModelVersion v = store.version(name, version).orElseThrow(() -> notFound(new ModelRef(name, version, null)));
        if (!force && !v.aliases().isEmpty()) {
            throw new RegistryConflictException(name + "/" + version + " is what alias" + (v.aliases().size() > 1 ? "es " : " ")
                    + v.aliases().stream().map(a -> "'" + a + "'").toList() + (v.aliases().size() > 1 ? " point" : " points")
                    + " to; move the alias or delete with force");
        }
        store.deleteVersion(name, version);
    }

    private static String aliasList(Map<String, Integer> aliases) {
        List<String> out = new ArrayList<>();
        aliases.forEach((a, v) -> out.add("'" + a + "' (version " + v + ")"));
        return String.join(", ", out);
    }

    /**
     * @param name        model name
     * @param version     existing version
     * @param description the new description
     */
    public void setVersionDescription(String name, int version, String description) {
        requireVersion(name, version);
        store.setVersionDescription(name, version, description(description));
    }

    /**
     * @param name    model name
     * @param version existing version
     * @param key     tag key
     * @return whether it existed
     */
    public boolean deleteTag(String name, int version, String key) {
        requireVersion(name, version);
        return store.deleteTag(name, version, key);
    }

    private String requireModel(String name) {
        model(name, true);
        return name;
    }

    /**
     * @param name     model name
     * @param required whether a missing model is an error
     * @return the model, or null when it does not exist and is not required
     * @throws ModelNotFoundException when required and missing, naming the closest registered name
     */
    public RegisteredModel model(String name, boolean required) {
        Names.model("model name", name);
        Optional<RegisteredModel> m = store.model(name);
        if (m.isEmpty() && required) {
            throw noModel(name);
        }
        return m.orElse(null);
    }

    private ModelNotFoundException noModel(String name) {
        List<String> all = store.models();
        String near = Names.closest(name, all);
        return new ModelNotFoundException("no model named '" + name + "'" + (near == null ? "" : "; did you mean '" + near + "'?")
                + (all.size() <= 20 ? "; registered models are " + all : "; " + all.size() + " models are registered"));
    }

    // ---- search ----

    /**
     * Searches models with MLflow's filter syntax ({@code name LIKE 'house%' AND tags.team = 'pricing'}).
     *
     * @param filter     the filter, "" for all
     * @param orderBy    {@code name}, {@code creation_timestamp}, {@code last_updated_timestamp}, each with ASC or DESC
     *                   (default: name ascending)
     * @param maxResults page size, 1 to 1000
     * @param pageToken  the previous page's token, or null for the first page
     * @return one page
     */
    public RegistryPage<RegisteredModel> searchModels(String filter, List<String> orderBy, int maxResults, String pageToken) {
        RegistryFilter f = RegistryFilter.parse(filter, false);
        int offset = RegistryFilter.offset(pageToken);
        pageSize(maxResults);
        List<RegisteredModel> matched = new ArrayList<>();
        for (String name : store.models()) {
            Optional<RegisteredModel> m = store.model(name);
            if (m.isPresent() && f.test(field -> modelField(m.get(), field))) {
                matched.add(m.get());
            }
        }
        Comparator<RegisteredModel> order = RegistryFilter.<RegisteredModel>order(orderBy, false, m -> Map.of("name", m.name(),
                "creation_timestamp", m.createdAt().toEpochMilli(), "last_updated_timestamp", m.updatedAt().toEpochMilli()))
                .thenComparing(RegisteredModel::name);
        matched.sort(order);
        return page(matched, offset, maxResults);
    }

    /**
     * Searches versions with MLflow's filter syntax ({@code name = 'house-prices' AND tags.stage = 'approved'},
     * {@code run_id IN ('a', 'b')}, {@code version_number > 3}).
     *
     * @param filter     the filter, "" for all
     * @param orderBy    {@code name}, {@code version_number}, {@code creation_timestamp}, {@code last_updated_timestamp}
     *                   with ASC or DESC (default: name ascending, newest version first)
     * @param maxResults page size, 1 to 10000
     * @param pageToken  the previous page's token, or null for the first page
     * @return one page
     */
    public RegistryPage<ModelVersion> searchVersions(String filter, List<String> orderBy, int maxResults, String pageToken) {
        RegistryFilter f = RegistryFilter.parse(filter, true);
        int offset = RegistryFilter.offset(pageToken);
        if (maxResults < 1 || maxResults > 10_000) {
            throw new IllegalArgumentException("max_results must be between 1 and 10000 but was " + maxResults);
        }
        List<ModelVersion> matched = new ArrayList<>();
        for (String name : store.models()) {
            for (ModelVersion v : store.versions(name)) {
                if (f.test(field -> versionField(v, field))) {
                    matched.add(v);
                }
            }
        }
        Comparator<ModelVersion> order = RegistryFilter.<ModelVersion>order(orderBy, true, v -> Map.of("name", v.name(),
                "version_number", (long) v.version(), "creation_timestamp", v.createdAt().toEpochMilli(),
                "last_updated_timestamp", v.createdAt().toEpochMilli()))
                .thenComparing(ModelVersion::name).thenComparing(Comparator.comparingInt(ModelVersion::version).reversed());
        matched.sort(order);
        return page(matched, offset, maxResults);
    }

    private static void pageSize(int maxResults) {
        if (maxResults < 1 || maxResults > 1000) {
            throw new IllegalArgumentException("max_results must be between 1 and 1000 but was " + maxResults);
        }
    }

    private static <T> RegistryPage<T> page(List<T> all, int offset, int max) {
        int from = Math.min(offset, all.size());
        int to = (int) Math.min((long) from + max, all.size());
        return new RegistryPage<>(all.subList(from, to), to < all.size() ? RegistryFilter.token(to) : null);
    }

    private static String modelField(RegisteredModel m, String field) {
        return field.equals("name") ? m.name() : field.startsWith("tags.") ? m.tags().get(field.substring(5)) : null;
    }

    private static String versionField(ModelVersion v, String field) {
        return switch (field) {
            case "name" -> v.name();
            case "run_id" -> v.lineage().runId();
            case "source_path" -> v.source() == null ? v.uri() : v.source();
            case "version_number" -> Integer.toString(v.version());
            default -> field.startsWith("tags.") ? v.tags().get(field.substring(5)) : null;
        };
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
            throw store.model(ref.name()).isPresent()
                    ? new ModelNotFoundException("model '" + ref.name() + "' has no versions yet")
                    : noModel(ref.name());
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
        if (all.isEmpty() && store.model(ref.name()).isPresent()) {
            return new ModelNotFoundException("model '" + ref.name() + "' has no versions yet (asked for "
                    + (ref.version() > 0 ? "version " + ref.version() : ref.toString()) + ")");
        }
        return new ModelNotFoundException(all.isEmpty()
                ? "no model named '" + ref.name() + "'; registered models are " + store.models()
                : "model '" + ref.name() + "' has no version " + ref.version() + "; versions are "
                + (all.size() == all.get(all.size() - 1).version() ? "1 to " + all.size()
                : all.stream().map(v -> Integer.toString(v.version())).toList()));
    }

    /**
     * @param version a version of this registry
     * @return its files exactly as stored, not verified (use {@link #load} to verify and load them)
     */
    public Map<String, byte[]> files(ModelVersion version) {
        return store.files(version.name(), version.version());
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
        if (ref != null && ref.startsWith("runs:/")) {
            return loadRun(ref);
        }
        return load(ModelRef.parse(ref));
    }

    /**
     * {@code runs:/<run-id>/<path>}: the bundle files a run logged under {@code <path>} (the pipeline logs
     * {@code model/}), verified like a registered bundle.
     */
    private ModelBundle loadRun(String uri) {
        String rest = uri.substring("runs:/".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("a run's model URI is runs:/<run-id>/<path> (the pipeline logs model/) but was '"
                    + uri + "'");
        }
        if (runs == null) {
            throw new IllegalStateException("this registry reads no runs: open it with TrackingStores.registry(uri) or give it the"
                    + " tracker with registry.withRuns(tracker) to load '" + uri + "'");
        }
        String runId = rest.substring(0, slash);
        String dir = Names.artifactPath(rest.substring(slash + 1).replaceAll("/+$", ""));
        Run run = runs.run(runId).orElseThrow(() -> new ModelNotFoundException("no run with id " + runId + " (from '" + uri + "')"));
        Map<String, byte[]> files = new LinkedHashMap<>();
        long total = 0;
        for (ArtifactInfo a : run.artifacts()) {
            if (!a.path().startsWith(dir + "/")) {
                continue;
            }
            if (files.size() >= MAX_RUN_FILES) {
                throw new IllegalArgumentException("'" + uri + "' holds more than " + MAX_RUN_FILES + " files; not a model bundle");
            }
            total += a.size();
            if (total > MAX_RUN_BYTES) {
                throw new IllegalArgumentException("'" + uri + "' holds more than " + MAX_RUN_BYTES + " bytes; not a model bundle");
            }
            try (InputStream in = runs.openArtifact(runId, a.path())) {
                files.put(a.path().substring(dir.length() + 1), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + a.path() + " of run " + runId + " failed: " + e.getMessage(), e);
            }
        }
        if (files.isEmpty()) {
            throw new ModelNotFoundException("run " + runId + " logged no files under '" + dir + "/' (from '" + uri + "')");
        }
        return ModelBundle.fromFiles(files, uri);
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

    /** Closes the store (when it holds resources) and whatever {@link #closing} handed over. Idempotent. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException("closing " + c + " failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
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
        return "ModelRegistry[" + store + "]";
    }
}
