package org.mlops4j.core.registry;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A registered model: its name, description, tags, when it was created and last changed, its newest version
 * number and where its aliases point.
 * {@snippet :
 * RegisteredModel m = registry.model("house-prices").orElseThrow();
 * m.latestVersion();  // 3
 * m.aliases();        // {champion=2}
 * }
 *
 * @param name          model name
 * @param description   free text, "" when none
 * @param tags          tags of the model (not of a version)
 * @param createdAt     when the model was created
 * @param updatedAt     when the model, its tags, aliases or versions last changed
 * @param latestVersion the highest version number that exists, 0 when the model has no version
 * @param aliases       alias to version number
 */
public record RegisteredModel(String name, String description, Map<String, String> tags, Instant createdAt, Instant updatedAt,
                              int latestVersion, Map<String, Integer> aliases) {

    /** Validates and copies. */
    public RegisteredModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        description = description == null ? "" : description;
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
        aliases = Collections.unmodifiableMap(new TreeMap<>(aliases));
    }
}
