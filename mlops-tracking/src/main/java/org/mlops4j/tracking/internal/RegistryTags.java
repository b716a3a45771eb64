package org.mlops4j.tracking.internal;

import org.mlops4j.core.model.Lineage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an mlops4j version carries that MLflow's registry has no field for (lineage, metrics, the manifest's
 * checksum, the registration time, the file list), as reserved version tags {@code mlops.*}: the MLflow
 * backend writes them, {@code mlops server} reads them into the store's fields and writes them back into
 * its answers, so a version makes the round trip exactly and MLflow's own UI shows its lineage.
 *
 * <pre>{@code
 * Map<String, String> tags = RegistryTags.encode(createdAt, lineage, metrics, manifestSha256, files);
 * RegistryTags.Decoded back = RegistryTags.decode(tags);   // the same values
 * RegistryTags.reserved("mlops.lineage.run_id");           // true: a user may not set it
 * }</pre>
 */
public final class RegistryTags {
    /** Prefix of the reserved tags. */
    public static final String PREFIX = "mlops.";
    private static final String CREATED = "mlops.created_at";
    private static final String RUN = "mlops.lineage.run_id";
    private static final String EXPERIMENT = "mlops.lineage.experiment_id";
    private static final String DATASET = "mlops.lineage.dataset_version";
    private static final String SOURCE = "mlops.lineage.dataset_source";
    private static final String PARENT = "mlops.lineage.parent";
    private static final String MANIFEST = "mlops.manifest_sha256";
    /** Newline-separated bundle file names. */
    public static final String FILES = "mlops.files";
    private static final String METRIC = "mlops.metric.";
    private static final List<String> FIELDS = List.of(CREATED, RUN, EXPERIMENT, DATASET, SOURCE, PARENT, MANIFEST, FILES);

    private RegistryTags() {
    }

    /**
     * The decoded fields.
     *
     * @param createdAt      registration time, or null
     * @param lineage        lineage (all null when absent)
     * @param metrics        metrics
     * @param manifestSha256 the manifest's checksum, or null
     * @param files          bundle file names (empty when not recorded)
     * @param tags           the other tags, the user's own
     */
    public record Decoded(Instant createdAt, Lineage lineage, Map<String, Double> metrics, String manifestSha256, List<String> files,
                          Map<String, String> tags) {
    }

    /**
     * @param createdAt      registration time
     * @param lineage        lineage
     * @param metrics        metrics
     * @param manifestSha256 checksum, or null
     * @param files          file names, or empty
     * @return the reserved tags (absent values left out)
     */
    public static Map<String, String> encode(Instant createdAt, Lineage lineage, Map<String, Double> metrics, String manifestSha256,
                                             List<String> files) {
        Map<String, String> t = new LinkedHashMap<>();
        if (createdAt != null) {
            t.put(CREATED, Long.toString(createdAt.toEpochMilli()));
        }
        put(t, RUN, lineage.runId());
        put(t, EXPERIMENT, lineage.experimentId());
        put(t, DATASET, lineage.datasetVersion());
        put(t, SOURCE, lineage.datasetSource());
        put(t, PARENT, lineage.parent());
        put(t, MANIFEST, manifestSha256);
        if (!files.isEmpty()) {
            t.put(FILES, String.join("\n", files));
        }
        new TreeMap<>(metrics).forEach((k, v) -> t.put(METRIC + k, Double.toString(v)));
        return t;
    }

    private static void put(Map<String, String> t, String key, String value) {
        if (value != null) {
            t.put(key, value);
        }
    }

    /**
     * @param tags a version's tags as MLflow holds them
     * @return the reserved fields and the user's tags
     * @throws IllegalArgumentException when a reserved tag does not parse, naming it
     */
    public static Decoded decode(Map<String, String> tags) {
        Map<String, String> user = new TreeMap<>();
        Map<String, Double> metrics = new TreeMap<>();
        for (Map.Entry<String, String> e : tags.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(METRIC)) {
                try {
                    metrics.put(k.substring(METRIC.length()), Double.parseDouble(e.getValue()));
                } catch (NumberFormatException bad) {
                    throw new IllegalArgumentException("tag " + k + " must be a number but was '" + e.getValue() + "'", bad);
                }
            } else if (!FIELDS.contains(k)) {
                user.put(k, e.getValue());
            }
        }
        Instant created = null;
        if (tags.containsKey(CREATED)) {
            try {
                created = Instant.ofEpochMilli(Long.parseLong(tags.get(CREATED)));
            } catch (NumberFormatException bad) {
                throw new IllegalArgumentException("tag " + CREATED + " must be epoch milliseconds but was '" + tags.get(CREATED) + "'", bad);
            }
        }
        List<String> files = new ArrayList<>();
        if (tags.containsKey(FILES) && !tags.get(FILES).isEmpty()) {
            files.addAll(List.of(tags.get(FILES).split("\n")));
        }
        return new Decoded(created, new Lineage(tags.get(RUN), tags.get(EXPERIMENT), tags.get(DATASET), tags.get(SOURCE), tags.get(PARENT)),
                metrics, tags.get(MANIFEST), files, user);
    }

    /**
     * @param key a tag key
     * @return whether it is one of the reserved fields (so a user may not set it by hand)
     */
    public static boolean reserved(String key) {
        return FIELDS.contains(key) || key.startsWith(METRIC);
    }

    /** Model-level: the creation time a client asked for. */
    public static final String MODEL_CREATED = CREATED;
}
