package org.mlops4j.core.registry.spi;

import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.memory.InMemoryRegistryStore;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backend contract behind {@link org.mlops4j.core.registry.ModelRegistry}: store versions and aliases. Name
 * and alias rules, reference resolution and bundle verification stay in {@code ModelRegistry}; a store
 * must number versions 1, 2, 3… per model without gaps or duplicates even under concurrent calls, and
 * make {@link #addVersion} atomic (the version, its files and its aliases appear together or not at all).
 * {@snippet :
 * ModelRegistry registry = ModelRegistry.of(new InMemoryRegistryStore());
 * }
 */
public interface RegistryStore {

    /**
     * A version to add.
     *
     * @param name           model name (created on first version)
     * @param createdAt      registration time
     * @param lineage        run and data
     * @param metrics        metrics
     * @param tags           tags
     * @param aliases        aliases to point at the new version (moved from older versions)
     * @param files          bundle files by name, manifest included
     * @param manifestSha256 SHA-256 of the manifest file
     */
    record NewVersion(String name, Instant createdAt, Lineage lineage, Map<String, Double> metrics,
                      Map<String, String> tags, List<String> aliases, Map<String, byte[]> files, String manifestSha256) {
        /** Copies. */
        public NewVersion {
            metrics = Map.copyOf(metrics);
            tags = Map.copyOf(tags);
            aliases = List.copyOf(aliases);
            files = Map.copyOf(files);
        }
    }

    /**
     * @param version what to add
     * @return the stored version with its number
     */
    ModelVersion addVersion(NewVersion version);

    /**
     * @param name    model name
     * @param version version number
     * @return the version with its current aliases
     */
    Optional<ModelVersion> version(String name, int version);

    /**
     * @param name model name
     * @return its versions, oldest first (empty for an unknown model)
     */
    List<ModelVersion> versions(String name);

    /** @return every model name, sorted */
    List<String> models();

    /**
     * Points an alias at a version, moving it when it pointed elsewhere.
     *
     * @param name    model name
     * @param alias   alias
     * @param version existing version
     */
    void setAlias(String name, String alias, int version);

    /**
     * @param name  model name
     * @param alias alias
     * @return whether the alias existed
     */
    boolean deleteAlias(String name, String alias);

    /**
     * @param name  model name
     * @param alias alias
     * @return the version it points at
     */
    Optional<Integer> alias(String name, String alias);

    /**
     * @param name    model name
     * @param version existing version
     * @param key     tag key
     * @param value   tag value
     */
    void setTag(String name, int version, String key, String value);

    /**
     * @param name    model name
     * @param version existing version
     * @return the bundle files exactly as stored
     */
    Map<String, byte[]> files(String name, int version);
}
