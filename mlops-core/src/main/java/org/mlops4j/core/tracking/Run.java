package org.mlops4j.core.tracking;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A snapshot of a run as stored: its info, params, the latest value of each metric, tags and artifacts.
 * The full history of a metric comes from {@link Tracker#metricHistory}.
 * {@snippet :
 * Run run = tracker.run(result.runId().orElseThrow()).orElseThrow();
 * run.params().get("trees");          // "100"
 * run.metrics().get("cv_rmse").value();
 * run.tags().get("mlops.dataset.version");
 * }
 *
 * @param info      identity and lifecycle
 * @param params    parameters, immutable once logged
 * @param metrics   latest observation per metric key (highest step, then latest time)
 * @param tags      tags, including the {@code mlops.*} system tags
 * @param artifacts stored files
 */
public record Run(RunInfo info, Map<String, String> params, Map<String, Metric> metrics, Map<String, String> tags,
                  List<ArtifactInfo> artifacts) {

    /** Copies; maps are sorted by key for stable listings. */
    public Run {
        Objects.requireNonNull(info, "info");
        params = Collections.unmodifiableMap(new TreeMap<>(params));
        metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
        artifacts = List.copyOf(artifacts);
    }

    /** @return the run id */
    public String id() {
        return info.runId();
    }

    /**
     * @param key metric name
     * @return the latest value of that metric
     * @throws TrackingException naming the run's metrics when it has none of that name
     */
    public double metric(String key) {
        Metric m = metrics.get(key);
        if (m == null) {
            throw new TrackingException("run " + info.runId() + " has no metric '" + key + "'; metrics are " + metrics.keySet());
        }
        return m.value();
    }
}
