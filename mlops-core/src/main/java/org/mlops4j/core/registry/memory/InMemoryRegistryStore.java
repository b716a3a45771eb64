package org.mlops4j.core.registry.memory;

import org.mlops4j.core.registry.ModelNotFoundException;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.spi.RegistryStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Map<String, List<Stored>> models = new TreeMap<>();
    private final Map<String, Map<String, Integer>> aliases = new HashMap<>();

    private record Stored(ModelVersion version, Map<String, byte[]> files) {
    }

    @Override
    public synchronized ModelVersion addVersion(NewVersion v) {
        List<Stored> list = models.computeIfAbsent(v.name(), k -> new ArrayList<>());
        int number = list.size() + 1;
        ModelVersion mv = new ModelVersion(v.name(), number, v.createdAt(), v.lineage(), v.metrics(), v.tags(), List.of(),
                v.manifestSha256());
        list.add(new Stored(mv, v.files()));
        Map<String, Integer> a = aliases.computeIfAbsent(v.name(), k -> new HashMap<>());
        for (String alias : v.aliases()) {
            a.put(alias, number);
        }
        return withAliases(mv);
    }

    private ModelVersion withAliases(ModelVersion mv) {
        List<String> names = new ArrayList<>();
        aliases.getOrDefault(mv.name(), Map.of()).forEach((alias, n) -> {
            if (n == mv.version()) {
                names.add(alias);
            }
        });
        return new ModelVersion(mv.name(), mv.version(), mv.createdAt(), mv.lineage(), mv.metrics(), mv.tags(), names,
                mv.manifestSha256());
    }

    private Stored stored(String name, int version) {
        List<Stored> list = models.get(name);
        if (list == null || version < 1 || version > list.size()) {
            throw new ModelNotFoundException("model '" + name + "' has no version " + version);
        }
        return list.get(version - 1);
    }

    @Override
    public synchronized Optional<ModelVersion> version(String name, int version) {
        List<Stored> list = models.get(name);
        if (list == null || version < 1 || version > list.size()) {
            return Optional.empty();
        }
        return Optional.of(withAliases(list.get(version - 1).version()));
    }

    @Override
    public synchronized List<ModelVersion> versions(String name) {
        return models.getOrDefault(name, List.of()).stream().map(s -> withAliases(s.version())).toList();
    }

    @Override
    public synchronized List<String> models() {
        return List.copyOf(models.keySet());
    }

    @Override
    public synchronized void setAlias(String name, String alias, int version) {
        stored(name, version);
        aliases.computeIfAbsent(name, k -> new HashMap<>()).put(alias, version);
    }

    @Override
    public synchronized boolean deleteAlias(String name, String alias) {
        Map<String, Integer> a = aliases.get(name);
        return a != null && a.remove(alias) != null;
    }

    @Override
    public synchronized Optional<Integer> alias(String name, String alias) {
        return Optional.ofNullable(aliases.getOrDefault(name, Map.of()).get(alias));
    }

    @Override
    public synchronized void setTag(String name, int version, String key, String value) {
        List<Stored> list = models.get(name);
        Stored s = stored(name, version);
        Map<String, String> tags = new TreeMap<>(s.version().tags());
        tags.put(key, value);
        ModelVersion old = s.version();
        list.set(version - 1, new Stored(new ModelVersion(old.name(), old.version(), old.createdAt(), old.lineage(),
                old.metrics(), tags, List.of(), old.manifestSha256()), s.files()));
    }

    @Override
    public synchronized Map<String, byte[]> files(String name, int version) {
        return stored(name, version).files();
    }
}
