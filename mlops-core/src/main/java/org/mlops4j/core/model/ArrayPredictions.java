package org.mlops4j.core.model;

import org.mlops4j.core.internal.ScoreMap;

import java.util.List;

/** Turns primitive model outputs into {@link Prediction}s. */
final class ArrayPredictions {
    private ArrayPredictions() {
    }

    /**
     * Scores keyed by class name, in the (sorted) order of the signature's classes: an array-backed map over
     * {@code scores[offset, offset + classes.size())}, which the caller no longer writes (pass each row its own array).
     */
    static Prediction classification(List<String> classes, int predicted, double[] scores, int offset) {
        return new Prediction(classes.get(predicted), scores[offset + predicted], new ScoreMap(classes, scores, offset));
    }
}
