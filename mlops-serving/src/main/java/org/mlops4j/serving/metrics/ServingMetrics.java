package org.mlops4j.serving.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The serving meters, on a Micrometer registry (Prometheus by default, so {@code GET /metrics} can print
 * {@link #scrape()}): requests by model, version, protocol and status; request latency as a histogram; rows per
 * request; the prediction distribution; validation failures by field; drift state and statistic per feature;
 * live error per version from feedback. Meters are created once and cached, so recording is a map lookup and
 * an add. Tag values an attacker controls are never used as-is: a field that is not an input column is counted
 * as {@code other}. Thread-safe.
 * {@snippet :
 * ServingMetrics metrics = ServingMetrics.prometheus();
 * metrics.request("house-prices", "3", "v2", 200, 1_200_000L, 1);
 * String text = metrics.scrape();
 * }
 */
public final class ServingMetrics {
    private static final Set<String> STRUCTURAL = Set.of("body", "inputs", "shape", "datatype", "data", "rows", "name", "outputs", "id",
            "parameters", "columns", "index", "params", "Content-Type", "dataframe_split", "dataframe_records", "instances", "unknown_column");
    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final ConcurrentMap<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<ModelKey, Timer> latency = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DistributionSummary> rows = new ConcurrentHashMap<>();
    private final ConcurrentMap<ModelKey, DistributionSummary> predictions = new ConcurrentHashMap<>();

    /** Cache keys without string concatenation on the hot path. */
    private record RequestKey(String model, String version, String protocol, int status) {
    }

    private record ModelKey(String model, String other) {
    }
    private final ConcurrentMap<String, Counter> failures = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    private ServingMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.prometheus = registry instanceof PrometheusMeterRegistry p ? p : null;
    }

    /** @return meters on a new Prometheus registry */
    public static ServingMetrics prometheus() {
        return new ServingMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /**

     * @param registry any Micrometer registry (an application's own)

     * @return meters on it

     */
    public static ServingMetrics on(MeterRegistry registry) {
        return new ServingMetrics(registry);
    }

    /** @return the registry */
    public MeterRegistry registry() {
        return registry;
    }

    /** @return Prometheus text format 0.0.4, or an empty string when the registry is not Prometheus */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    /**
     * @param model    model name ({@code none} when the request named no served model)
     * @param version  version, or {@code none}
     * @param protocol {@code v2}, {@code mlflow}, {@code predict}
     * @param status   HTTP status
     * @param nanos    time taken
     * @param batch    rows predicted (0 when refused)
     */
    public void request(String model, String version, String protocol, int status, long nanos, int batch) {
        requests.computeIfAbsent(new RequestKey(model, version, protocol, status), k -> Counter.builder("mlops.serving.requests").description("Requests answered")
                .tags("model", model, "version", version, "protocol", protocol, "status", Integer.toString(status)).register(registry)).increment();
        latency.computeIfAbsent(new ModelKey(model, protocol), k -> Timer.builder("mlops.serving.request.latency").description("Time to answer a request")
                .tags("model", model, "protocol", protocol).publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (batch > 0) {
            rows.computeIfAbsent(model, k -> DistributionSummary.builder("mlops.serving.batch.rows").description("Rows per request")
                    .tags("model", model).serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096).register(registry)).record(batch);
        }
    }

    /**
     * @param model   model name
     * @param version version
     * @param values  predictions (regression values, or the predicted class's score)
     */
    public void predictions(String model, String version, double[] values) {
        DistributionSummary s = predictions.computeIfAbsent(new ModelKey(model, version), k -> DistributionSummary.builder("mlops.serving.prediction")
                .description("Predicted values").tags("model", model, "version", version).publishPercentileHistogram().register(registry));
        for (double v : values) {
            if (Double.isFinite(v)) {
                s.record(v);
            }
        }
    }

    /**
     * @param model   model name
     * @param field   the field at fault (an input column or a structural field; anything else counts as {@code other})
     * @param columns the model's input columns
     */
    public void validationFailure(String model, String field, List<String> columns) {
        String f = field == null ? "body" : columns.contains(field) || STRUCTURAL.contains(field) ? field : "other";
        failures.computeIfAbsent(model + '\0' + f, k -> Counter.builder("mlops.serving.validation.failures")
                .description("Requests refused for their input, by field").tags("model", model, "field", f).register(registry)).increment();
    }

    /**
     * A gauge read from the caller's value (drift state, statistics, live error); registered once per name and tags.
     *
     * @param name  meter name
     * @param help  description
     * @param value read on each scrape
     * @param tags  tag key-value pairs
     */
    public void gauge(String name, String help, Supplier<Number> value, String... tags) {
        String key = name + '\0' + String.join("\0", tags);
        gauges.computeIfAbsent(key, k -> {
            Gauge.builder(name, value, v -> {
                Number n = v.get();
                return n == null ? Double.NaN : n.doubleValue();
            }).description(help).tags(tags).register(registry);
            return new AtomicLong();
        });
    }

    /**

     * @param name meter name

     * @param tags tag key-value pairs of gauges to drop (a version no longer served)

     */
    public void removeGauges(String name, String... tags) {
        String key = name + '\0' + String.join("\0", tags);
        if (gauges.remove(key) != null) {
            registry.find(name).tags(tags).meters().forEach(registry::remove);
        }
    }
}
