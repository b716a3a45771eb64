package org.mlops4j.core.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Runs side by side: the union of their param and metric keys, for a table with one column per run.
 * {@snippet :
 * RunComparison c = tracker.compare(List.of(firstRunId, secondRunId));
 * for (String key : c.metricKeys()) {
 *     System.out.println(key + " " + c.metric(0, key) + " " + c.metric(1, key));
 * }
 * c.differingParams(); // the params whose values are not the same in every run
 * }
 *
 * @param runs       the runs compared, in the order asked
 * @param paramKeys  every param key of any run, sorted
 * @param metricKeys every metric key of any run, sorted
 */
public record RunComparison(List<Run> runs, List<String> paramKeys, List<String> metricKeys) {

    /** Copies. */
    public RunComparison {
        runs = List.copyOf(runs);
        paramKeys = List.copyOf(paramKeys);
        metricKeys = List.copyOf(metricKeys);
    }

    /**
     * @param runs runs to compare
     * @return the comparison
     */
    public static RunComparison of(List<Run> runs) {
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> metrics = new TreeSet<>();
        for (Run r : runs) {
            params.addAll(r.params().keySet());
            metrics.addAll(r.metrics().keySet());
        }
        return new RunComparison(runs, new ArrayList<>(params), new ArrayList<>(metrics));
    }

    /**
     * @param run index of the run
     * @param key param key
     * @return its value in that run, or null when the run lacks it
     */
    public String param(int run, String key) {
        return runs.get(run).params().get(key);
    }

    /**
     * @param run index of the run
     * @param key metric key
     * @return the latest value in that run, or null when the run lacks it
     */
    public Double metric(int run, String key) {
        Metric m = runs.get(run).metrics().get(key);
        return m == null ? null : m.value();
    }

    /** @return the param keys whose value is not the same in every run (absent counts as a value) */
    public List<String> differingParams() {
        return paramKeys.stream().filter(k -> runs.stream().map(r -> r.params().get(k)).distinct().count() > 1).toList();
    }

    /** @return the metric keys whose latest value is not the same in every run */
    public List<String> differingMetrics() {
        return metricKeys.stream().filter(k -> {
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                values.add(metric(i, k));
            }
            return values.stream().distinct().count() > 1;
        }).toList();
    }

    /**
     * @param run index of the run
     * @param key metric key
     * @return the value minus the first run's, or null when either lacks it
     */
    public Double metricDelta(int run, String key) {
        Double base = metric(0, key);
        Double v = metric(run, key);
        return base == null || v == null ? null : v - base;
    }

    @Override
    public String toString() {
        return "RunComparison[" + runs.stream().map(Run::id).map(Objects::toString).toList() + ", params=" + paramKeys
                + ", metrics=" + metricKeys + "]";
    }
}
