package org.mlops4j.core;

/**
 * Which metrics a pipeline computes; each set belongs to a {@link Task}.
 * {@snippet :
 * Pipeline.from(source).label("MEDV").train(RandomForest.regression()).evaluate(Metrics.regression());
 * }
 */
public enum Metrics {
    /** RMSE, MAE, R², MAPE: see {@link RegressionMetrics}. */
    REGRESSION(Task.REGRESSION),
    /** Accuracy, macro-F1 and the confusion matrix: see {@link ClassificationMetrics}. */
    CLASSIFICATION(Task.CLASSIFICATION);

    private final Task task;

    Metrics(Task task) {
        this.task = task;
    }

    /** @return the regression metrics */
    public static Metrics regression() {
        return REGRESSION;
    }

    /** @return the classification metrics */
    public static Metrics classification() {
        return CLASSIFICATION;
    }

    /** @return the task these metrics evaluate */
    public Task task() {
        return task;
    }
}
