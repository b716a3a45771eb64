package org.mlops4j.serving.routing;

import org.mlops4j.core.model.Predictor;
import org.mlops4j.serving.protocol.Batch;

/**
 * Predicts a decoded batch: the one seam between serving and a model's predictor. {@link #of(Predictor)} is the
 * only place that decides how a batch reaches the predictor, so a faster path (a primitive {@code double[]}
 * entry on {@code Predictor}) is swapped in there and nowhere else. Implementations are thread-safe.
 * {@snippet :
 * Scorer scorer = Scorer.of(registry.predictor("house-prices@champion"));
 * Scorer.Scores s = scorer.score(rows);
 * double first = s.values()[0]; // the first row's prediction
 * }
 */
@FunctionalInterface
public interface Scorer {

    /**
     * @param batch decoded rows in the predictor's input layout
     * @return one prediction per row
     * @throws org.mlops4j.serving.protocol.RequestException (400) when a row cannot be predicted (a needed value missing)
     */
    Scores score(Batch batch);

    /**
     * Predictions of a batch.
     *
     * @param values regression values, or the predicted class's score
     * @param labels predicted classes (classification), else null
     */
    record Scores(double[] values, String[] labels) {
    }

    /**
     * @param predictor a bundle's predictor
     * @return the scorer serving uses for it
     */
    static Scorer of(Predictor predictor) {
        return new PredictorScorer(predictor);
    }
}
