package org.mlops4j.core.tracking;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A named group of runs, such as every training run of one model.
 * {@snippet :
 * Experiment e = tracker.experiment("house-prices"); // created on first use
 * e.id(); e.name();
 * }
 *
 * @param id        store-assigned id
 * @param name      unique name
 * @param createdAt creation time
 * @param tags      free-form tags
 */
public record Experiment(String id, String name, Instant createdAt, Map<String, String> tags) {

    /** Validates and copies. */
    public Experiment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    }
}
