package org.mlops4j.core.registry.memory;

import org.mlops4j.core.registry.ModelNotFoundException;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.RegisteredModel;
import org.mlops4j.core.registry.RegistryConflictException;
import org.mlops4j.core.registry.spi.RegistryStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link RegistryStore} in this JVM's heap: for tests, notebooks and JShell. Thread-safe (one lock).
 * Bundle bytes are kept as given, so loading a version re-verifies every checksum like a durable store.
 * {@snippet :
 * ModelRegistry registry = ModelRegistry.inMemory(); // uses this store
 * }
 */
public final class InMemoryRegistryStore implements RegistryStore {
    private final Map<String, Entry> models = new TreeMap<>();
    private final Clock clock;

    private static final class Entry {
        String description = "";
        final Map<String, String> tags = new TreeMap<>();
        final Instant createdAt;
        Instant updatedAt;
        int lastNumber;
        final TreeMap<Integer, Stored> versions = new TreeMap<>();
        final Map<String, Integer> aliases = new TreeMap<>();

        Entry(Instant createdAt) {
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    private record Stored(ModelVersion version, Map<String, byte[]> files) {
    }

    /** A store stamping changes with the system UTC clock. */
    public InMemoryRegistryStore() {
        this(Clock.systemUTC());
    }

    /**
     * @param clock stamps the last-updated times of models
     */
    public InMemoryRegistryStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized ModelVersion addVersion(NewVersion v) {
        Entry e = models.computeIfAbsent(v.name(), k -> new Entry(v.createdAt()));
        int number = ++e.lastNumber;
        ModelVersion mv = new ModelVersion(v.name(), number, v.createdAt(), v.lineage(), v.metrics(), v.tags(), List.of(),
                v.manifestSha256(), v.description(), v.source());
        e.versions.put(number, new Stored(mv, v.files()));
        for (String alias : v.aliases()) {
            e.aliases.put(alias, number);
        }
        e.updatedAt = later(e.updatedAt, v.createdAt());
        return withAliases(e, mv);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void touch(Entry e) {
        e.updatedAt = later(e.updatedAt, clock.instant());
    }

    private static ModelVersion withAliases(Entry e, ModelVersion mv) {
        List<String> names = new ArrayList<>();
        e.aliases.forEach((alias, n) -> {
            if (n == mv.version()) {
                names.add(alias);
            }
        });
        return mv.withAliases(names);
    }

    private Entry entry(String name) {
        Entry e = models.get(name);
        if (e == null) {
            throw new ModelNotFoundException("no model named '" + name + "'");
        }
        return e;
    }

    private Stored stored(String name, int version) {
        Entry e = models.get(name);
        Stored s = e == null ? null : e.versions.get(version);
        if (s == null) {
            throw new ModelNotFoundException("model '" + name + "' has no version " + version);
        }
        return s;
    }

    private void replace(String name, Stored s, ModelVersion changed) {
        models.get(name).versions.put(changed.version(), new Stored(changed, s.files()));
    }

    @Override
    public synchronized Optional<ModelVersion> version(String name, int version) {
        Entry e = models.get(name);
        Stored s = e == null ? null : e.versions.get(version);
        return s == null ? Optional.empty() : Optional.of(withAliases(e, s.version()));
    }

    @Override
    public synchronized List<ModelVersion> versions(String name) {
        Entry e = models.get(name);
        return e == null ? List.of() : e.versions.values().stream().map(s -> withAliases(e, s.version())).toList();
    }

    @Override
    public synchronized List<String> models() {
        return List.copyOf(models.keySet());
    }

    @Override
    public synchronized void setAlias(String name, String alias, int version) {
        stored(name, version);
        Entry e = models.get(name);
        e.aliases.put(alias, version);
        touch(e);
    }

    @Override
    public synchronized boolean deleteAlias(String name, String alias) {
        Entry e = models.get(name);
        boolean existed = e != null && e.aliases.remove(alias) != null;
        if (existed) {
            touch(e);
        }
        return existed;
    }

    @Override
    public synchronized Optional<Integer> alias(String name, String alias) {
        Entry e = models.get(name);
        return e == null ? Optional.empty() : Optional.ofNullable(e.aliases.get(alias));
    }

    @Override
    public synchronized void setTag(String name, int version, String key, String value) {
        Stored s = stored(name, version);
        ModelVersion old = s.version();
        Map<String, String> tags = new TreeMap<>(old.tags());
        tags.put(key, value);
        replace(name, s, new ModelVersion(old.name(), old.version(), old.createdAt(), old.lineage(), old.metrics(), tags, List.of(),
                old.manifestSha256(), old.description(), old.source()));
    }

    @Override
    public synchronized Map<String, byte[]> files(String name, int version) {
        return stored(name, version).files();
    }

    @Override
    public synchronized Optional<RegisteredModel> model(String name) {
        Entry e = models.get(name);
        return e == null ? Optional.empty() : Optional.of(new RegisteredModel(name, e.description, e.tags, e.createdAt, e.updatedAt,
                e.versions.isEmpty() ? 0 : e.versions.lastKey(), e.aliases));
    }

    @Override
    public synchronized RegisteredModel createModel(String name, String description, Map<String, String> tags, Instant createdAt) {
        if (models.containsKey(name)) {
            throw new RegistryConflictException("registered model '" + name + "' already exists");
        }
        Entry e = new Entry(createdAt);
        e.description = description == null ? "" : description;
        e.tags.putAll(tags);
        models.put(name, e);
        return model(name).orElseThrow();
    }

    @Override
    public synchronized void setModelDescription(String name, String description) {
        Entry e = entry(name);
        e.description = description == null ? "" : description;
        touch(e);
    }

    @Override
    public synchronized void setModelTag(String name, String key, String value) {
        Entry e = entry(name);
        e.tags.put(key, value);
        touch(e);
    }

    @Override
    public synchronized boolean deleteModelTag(String name, String key) {
        Entry e = entry(name);
        boolean existed = e.tags.remove(key) != null;
        touch(e);
        return existed;
    }

    @Override
    public synchronized boolean deleteTag(String name, int version, String key) {
        Stored s = stored(name, version);
        ModelVersion old = s.version();
        if (!old.tags().containsKey(key)) {
            return false;
        }
        Map<String, String> tags = new TreeMap<>(old.tags());
        tags.remove(key);
        replace(name, s, new ModelVersion(old.name(), old.version(), old.createdAt(), old.lineage(), old.metrics(), tags, List.of(),
                old.manifestSha256(), old.description(), old.source()));
        return true;
    }

    @Override
    public synchronized void setVersionDescription(String name, int version, String description) {
        Stored s = stored(name, version);
        ModelVersion old = s.version();
        replace(name, s, new ModelVersion(old.name(), old.version(), old.createdAt(), old.lineage(), old.metrics(), old.tags(),
                List.of(), old.manifestSha256(), description, old.source()));
    }

    @Override
    public synchronized void renameModel(String name, String newName) {
        Entry e = entry(name);
        if (models.containsKey(newName)) {
            throw new RegistryConflictException("registered model '" + newName + "' already exists");
        }
        models.remove(name);
        TreeMap<Integer, Stored> renamed = new TreeMap<>();
        e.versions.forEach((n, s) -> {
            ModelVersion o = s.version();
            renamed.put(n, new Stored(new ModelVersion(newName, o.version(), o.createdAt(), o.lineage(), o.metrics(), o.tags(), List.of(),
                    o.manifestSha256(), o.description(), o.source()), s.files()));
        });
        e.versions.clear();
        e.versions.putAll(renamed);
        models.put(newName, e);
        touch(e);
    }

    @Override
    public synchronized void deleteVersion(String name, int version) {
        stored(name, version);
        Entry e = models.get(name);
        e.versions.remove(version);
        e.aliases.values().removeIf(n -> n == version);
        touch(e);
    }

    @Override
    public synchronized void deleteModel(String name) {
        entry(name);
        models.remove(name);
    }

    @Override
    public synchronized String toString() {
        return "InMemoryRegistryStore[models=" + models.keySet() + "]";
    }
}
