package org.mlops4j.core.tracking;

import java.time.Instant;
import java.util.Objects;

/**
 * One metric observation: a value at a step and a time. A run keeps the whole history per key.
 * {@snippet :
 * run.logMetric("loss", 0.42, 7);
 * tracker.metricHistory(run.id(), "loss"); // [Metric[key=loss, value=0.42, step=7, timestamp=...]]
 * }
 *
 * @param key       metric name
 * @param value     value (NaN and infinities are recorded as they are)
 * @param step      step, for example the epoch or the fold
 * @param timestamp when it was logged; {@link Tracker} keeps milliseconds, as MLflow does
 */
public record Metric(String key, double value, long step, Instant timestamp) {

    /** Validates. */
    public Metric {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
