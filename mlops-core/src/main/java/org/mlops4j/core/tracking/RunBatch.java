package org.mlops4j.core.tracking;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Params, metrics and tags written together: all or nothing. Limits follow MLflow's: at most
 * {@value #MAX_METRICS} metrics, {@value #MAX_PARAMS} params and {@value #MAX_TAGS} tags per batch.
 * {@snippet :
 * run.logBatch(new RunBatch(Map.of("lr", "0.1"), List.of(new Metric("loss", 0.3, 1, Instant.now())), Map.of()));
 * }
 *
 * @param params  params to log
 * @param metrics metric observations to log, in order
 * @param tags    tags to set
 */
public record RunBatch(Map<String, String> params, List<Metric> metrics, Map<String, String> tags) {

    /** Most metrics in one batch. */
    public static final int MAX_METRICS = 1000;
    /** Most params in one batch. */
    public static final int MAX_PARAMS = 100;
    /** Most tags in one batch. */
    public static final int MAX_TAGS = 100;

    /** Copies and checks the sizes. */
    public RunBatch {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        metrics = List.copyOf(metrics);
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        if (metrics.size() > MAX_METRICS || params.size() > MAX_PARAMS || tags.size() > MAX_TAGS) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_METRICS + " metrics, " + MAX_PARAMS
                    + " params and " + MAX_TAGS + " tags but this one has " + metrics.size() + ", " + params.size()
                    + " and " + tags.size());
        }
    }

    /** @return whether the batch holds nothing */
    public boolean isEmpty() {
        return params.isEmpty() && metrics.isEmpty() && tags.isEmpty();
    }
}
