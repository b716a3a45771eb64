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
 * @param description    free text, "" when none
 * @param source         where the files were registered from when that was a URI (an MLflow {@code source}), or null
 */
public record ModelVersion(String name, int version, Instant createdAt, Lineage lineage, Map<String, Double> metrics,
                           Map<String, String> tags, List<String> aliases, String manifestSha256, String description,
                           String source) {

    /** Copies. */
    public ModelVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lineage, "lineage");
        metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
        aliases = aliases.stream().sorted().toList();
        description = description == null ? "" : description;
    }

    /**
     * A version without description or source.
     *
     * @param name           model name
     * @param version        version number, from 1
     * @param createdAt      registration time
     * @param lineage        run and data it came from
     * @param metrics        evaluation metrics at registration
     * @param tags           free-form tags
     * @param aliases        aliases pointing at this version
     * @param manifestSha256 SHA-256 of the bundle's manifest
     */
    public ModelVersion(String name, int version, Instant createdAt, Lineage lineage, Map<String, Double> metrics,
                        Map<String, String> tags, List<String> aliases, String manifestSha256) {
        this(name, version, createdAt, lineage, metrics, tags, aliases, manifestSha256, "", null);
    }

    /**
     * @param newAliases the aliases pointing at this version now
     * @return this version with them
     */
    public ModelVersion withAliases(List<String> newAliases) {
        return new ModelVersion(name, version, createdAt, lineage, metrics, tags, newAliases, manifestSha256, description, source);
    }

    /** @return the git commit of the code that trained it (tag {@code mlops.git.commit}), or null when unknown */
    public String codeCommit() {
        return tags.get("mlops.git.commit");
    }

    /** @return the mlops4j version that trained it (tag {@code mlops.version}), or null when unknown */
    public String libraryVersion() {
        return tags.get("mlops.version");
    }

    /** @return {@code models:/name/version}, the URI of this version */
    public String uri() {
        return "models:/" + name + "/" + version;
    }

    /** @return {@code name/version}, a reference that always means this version */
    public ModelRef ref() {
        return new ModelRef(name, version, null);
    }

    /** @return the version, its aliases, short run and data ids and rounded metrics, for a terminal or JShell */
    @Override
    public String toString() {
        StringBuilder m = new StringBuilder();
        metrics.forEach((k, v) -> m.append(m.isEmpty() ? "" : ", ").append(k).append('=')
                .append(String.format(java.util.Locale.ROOT, "%.4g", v)));
        return "ModelVersion[name=" + name + ", version=" + version + (aliases.isEmpty() ? "" : ", aliases=" + aliases)
                + ", created " + createdAt + (lineage.runId() == null ? "" : ", run " + shortId(lineage.runId()))
                + (lineage.datasetVersion() == null ? "" : ", data sha256:" + shortId(lineage.datasetVersion()))
                + (lineage.parent() == null ? "" : ", from " + lineage.parent())
                + (metrics.isEmpty() ? "" : ", metrics {" + m + "}") + (tags.isEmpty() ? "" : ", tags " + tags)
                + ", manifest sha256:" + shortId(manifestSha256) + "]";
    }

    private static String shortId(String id) {
        return id == null || id.length() <= 12 ? String.valueOf(id) : id.substring(0, 12);
    }
}
