package org.mlops4j.core.evaluate;

import org.mlops4j.core.Task;

import java.util.Map;

/**
 * Metrics of a model on rows it was not trained on, as an {@link Evaluator} computes them: {@link RegressionMetrics},
 * {@link ClassificationMetrics}, or an evaluator's own record.
 * {@snippet :
 * Evaluation e = result.holdout();
 * e.values();        // {rmse=2.9, mae=2.0, r2=0.88, mape=0.11} for regression
 * e.get("rmse");
 * }
 */
public interface Evaluation {

    /** @return the task the metrics belong to */
    Task task();

    /** @return number of rows evaluated */
    long n();

    /** @return every scalar metric by name, in a stable order */
    Map<String, Double> values();

    /**
     * @param metric a metric name from {@link #values()}
     * @return its value
     * @throws IllegalArgumentException naming the known metrics when there is none of that name
     */
    default double get(String metric) {
        Double v = values().get(metric);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + metric + "'; metrics are " + values().keySet());
        }
        return v;
    }
}
