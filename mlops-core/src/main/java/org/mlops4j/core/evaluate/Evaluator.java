package org.mlops4j.core.evaluate;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.Prediction;

import java.util.List;

/**
 * Scores predictions against the truth: the holdout and every cross-validation fold of a pipeline go
 * through the evaluator it was given ({@link Metrics#regression()} or {@link Metrics#classification()}
 * by default, after the trainer's task). An evaluator is an immutable description; one whose class a
 * {@link org.mlops4j.core.pipeline.spi.RecipeType} names is recorded in {@code pipeline.json}.
 * {@snippet :
 * Evaluator e = Metrics.regression();
 * Evaluation holdout = e.evaluate(testTarget, predictions);   // rmse, mae, r2, mape
 * }
 */
public interface Evaluator {

    /** @return the task whose predictions this evaluator scores */
    Task task();

    /**
     * @param truth       the true labels, row for row
     * @param predictions one prediction per row
     * @return the metrics
     * @throws IllegalArgumentException when the sizes differ or the task does not fit
     */
    Evaluation evaluate(Target truth, List<Prediction> predictions);

    /** @return a short name for run records and messages ({@code regression}); {@code toString()} by default */
    default String name() {
        return toString();
    }
}
