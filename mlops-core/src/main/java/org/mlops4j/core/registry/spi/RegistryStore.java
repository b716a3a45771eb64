package org.mlops4j.core.registry.spi;

import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.memory.InMemoryRegistryStore;

import org.mlops4j.core.registry.ModelNotFoundException;
import org.mlops4j.core.registry.RegisteredModel;
import org.mlops4j.core.registry.RegistryConflictException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backend contract behind {@link org.mlops4j.core.registry.ModelRegistry}: store versions and aliases. Name
 * and alias rules, reference resolution and bundle verification stay in {@code ModelRegistry}; a store
 * must number versions 1, 2, 3… per model without gaps or duplicates even under concurrent calls, and
 * make {@link #addVersion} atomic (the version, its files and its aliases appear together or not at all).
 * A deleted version's number is never given again (the next version of the model is one more than the
 * highest number it ever had); deleting the model itself starts it afresh.
 *
 * <p>The methods after {@link #files} came with the durable stores; their defaults refuse with
 * {@link UnsupportedOperationException} so an older store keeps compiling. Every store in mlops4j
 * implements them all, and the contract kit tests them.
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
     * @param description    description of the version, "" for none
     * @param source         the URI the files were registered from (an MLflow {@code source}), or null
     */
    record NewVersion(String name, Instant createdAt, Lineage lineage, Map<String, Double> metrics,
                      Map<String, String> tags, List<String> aliases, Map<String, byte[]> files, String manifestSha256,
                      String description, String source) {
        /** Copies. */
        public NewVersion {
            metrics = Map.copyOf(metrics);
            tags = Map.copyOf(tags);
            aliases = List.copyOf(aliases);
            files = Map.copyOf(files);
            description = description == null ? "" : description;
        }

        /**
         * A version without description or source.
         *
         * @param name           model name (created on first version)
         * @param createdAt      registration time
         * @param lineage        run and data
         * @param metrics        metrics
         * @param tags           tags
         * @param aliases        aliases to point at the new version
         * @param files          bundle files by name, manifest included
         * @param manifestSha256 SHA-256 of the manifest file
         */
        public NewVersion(String name, Instant createdAt, Lineage lineage, Map<String, Double> metrics, Map<String, String> tags,
                          List<String> aliases, Map<String, byte[]> files, String manifestSha256) {
            this(name, createdAt, lineage, metrics, tags, aliases, files, manifestSha256, "", null);
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

    /**
     * @param name model name
     * @return the model with its description, tags and aliases, or empty when unknown
     */
    default Optional<RegisteredModel> model(String name) {
        throw unsupported("model");
    }

    /**
     * Creates a model without versions ({@link #addVersion} creates it too, on its first version).
     *
     * @param name        model name
     * @param description description, "" for none
     * @param tags        model tags
     * @param createdAt   creation time
     * @return the created model
     * @throws RegistryConflictException when a model of that name exists
     */
    default RegisteredModel createModel(String name, String description, Map<String, String> tags, Instant createdAt) {
        throw unsupported("createModel");
    }

    /**
     * @param name        existing model
     * @param description the new description
     * @throws ModelNotFoundException when the model does not exist
     */
    default void setModelDescription(String name, String description) {
        throw unsupported("setModelDescription");
    }

    /**
     * @param name  existing model
     * @param key   tag key
     * @param value tag value
     * @throws ModelNotFoundException when the model does not exist
     */
    default void setModelTag(String name, String key, String value) {
        throw unsupported("setModelTag");
    }

    /**
     * @param name existing model
     * @param key  tag key
     * @return whether the tag existed
     * @throws ModelNotFoundException when the model does not exist
     */
    default boolean deleteModelTag(String name, String key) {
        throw unsupported("deleteModelTag");
    }

    /**
     * @param name    model name
     * @param version existing version
     * @param key     tag key
     * @return whether the tag existed
     * @throws ModelNotFoundException when the version does not exist
     */
    default boolean deleteTag(String name, int version, String key) {
        throw unsupported("deleteTag");
    }

    /**
     * @param name        model name
     * @param version     existing version
     * @param description the new description
     * @throws ModelNotFoundException when the version does not exist
     */
    default void setVersionDescription(String name, int version, String description) {
        throw unsupported("setVersionDescription");
    }

    /**
     * Renames a model with its versions, tags and aliases.
     *
     * @param name    existing model
     * @param newName the new name, unused
     * @throws ModelNotFoundException    when the model does not exist
     * @throws RegistryConflictException when {@code newName} is taken
     */
    default void renameModel(String name, String newName) {
        throw unsupported("renameModel");
    }

    /**
     * Deletes one version and its tags; aliases pointing at it go with it. The registry checks aliases
     * before calling this (force); the store deletes.
     *
     * @param name    model name
     * @param version existing version
     * @throws ModelNotFoundException when the version does not exist
     */
    default void deleteVersion(String name, int version) {
        throw unsupported("deleteVersion");
    }

    /**
     * Deletes a model with every version, tag and alias.
     *
     * @param name existing model
     * @throws ModelNotFoundException when the model does not exist
     */
    default void deleteModel(String name) {
        throw unsupported("deleteModel");
    }

    private UnsupportedOperationException unsupported(String method) {
        return new UnsupportedOperationException(getClass().getName() + " does not implement RegistryStore." + method
                + " (a registry store written before mlops4j's durable registry)");
    }
}
