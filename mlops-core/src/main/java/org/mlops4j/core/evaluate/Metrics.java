package org.mlops4j.core.evaluate;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.Prediction;

import java.util.List;

/**
 * The built-in evaluators: RMSE, MAE, R² and MAPE for a regression ({@link RegressionMetrics}); accuracy,
 * macro-F1 and the confusion matrix for a classification ({@link ClassificationMetrics}).
 * {@snippet :
 * Pipeline.from(source).label("MEDV").train(RandomForest.regression()).evaluate(Metrics.regression());
 * }
 */
public final class Metrics {
    private Metrics() {
    }

    /** @return the regression evaluator */
    public static Evaluator regression() {
        return new Regression();
    }

    /** @return the classification evaluator */
    public static Evaluator classification() {
        return new Classification();
    }

    /**
     * @param task a task
     * @return the built-in evaluator for it
     */
    public static Evaluator forTask(Task task) {
        return task == Task.REGRESSION ? regression() : classification();
    }

    private static void checkSizes(Target truth, List<Prediction> predictions) {
        if (truth.size() != predictions.size()) {
            throw new IllegalArgumentException("there are " + truth.size() + " true labels but " + predictions.size() + " predictions");
        }
    }

    /** RMSE, MAE, R², MAPE: see {@link RegressionMetrics}. Recorded as {@code regression}. */
    public record Regression() implements Evaluator {
        @Override
        public Task task() {
            return Task.REGRESSION;
        }

        @Override
        public Evaluation evaluate(Target truth, List<Prediction> predictions) {
            checkSizes(truth, predictions);
            double[] p = new double[predictions.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = predictions.get(i).value();
            }
            return RegressionMetrics.of(truth.values(), p);
        }

        @Override
        public String name() {
            return "regression";
        }

        @Override
        public String toString() {
            return "REGRESSION";
        }
    }

    /** Accuracy, macro-F1 and the confusion matrix: see {@link ClassificationMetrics}. Recorded as {@code classification}. */
    public record Classification() implements Evaluator {
        @Override
        public Task task() {
            return Task.CLASSIFICATION;
        }

        @Override
        public Evaluation evaluate(Target truth, List<Prediction> predictions) {
            checkSizes(truth, predictions);
            String[] p = new String[predictions.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = predictions.get(i).label();
            }
            return ClassificationMetrics.of(truth.labels(), p);
        }

        @Override
        public String name() {
            return "classification";
        }

        @Override
        public String toString() {
            return "CLASSIFICATION";
        }
    }
}
