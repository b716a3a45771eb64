package org.mlops4j.core.registry;

import org.mlops4j.core.model.Lineage;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One registered version of a model: its number, lineage, metrics, tags, aliases and the checksum of its
 * bundle's manifest (which in turn lists the checksum of every file).
 * {@snippet :
 * ModelVersion v = registry.version("house-prices@champion");
 * v.version();   // 3
 * v.aliases();   // [champion]
 * v.metrics();   // {holdout_rmse=2.9, cv_rmse=3.2, ...}
 * }
 *
 * @param name           model name
 * @param version        version number, from 1
 * @param createdAt      registration time
 * @param lineage        run and data it came from
 * @param metrics        evaluation metrics at registration
 * @param tags           free-form tags
 * @param aliases        aliases pointing at this version, sorted
 * @param manifestSha256 SHA-256 of the bundle's manifest
 */
public record ModelVersion(String name, int version, Instant createdAt, Lineage lineage, Map<String, Double> metrics,
                           Map<String, String> tags, List<String> aliases, String manifestSha256) {

    /** Copies. */
    public ModelVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lineage, "lineage");
        metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
        aliases = aliases.stream().sorted().toList();
    }

    /** @return {@code name/version}, a reference that always means this version */
    public ModelRef ref() {
        return new ModelRef(name, version, null);
    }
}
