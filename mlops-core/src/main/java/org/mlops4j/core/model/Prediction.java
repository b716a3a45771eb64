package org.mlops4j.core.model;

import org.mlops4j.core.internal.ScoreMap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One prediction. For regression, {@link #value()} is the predicted number and {@link #label()} is null.
 * For classification, {@link #label()} is the predicted class, {@link #scores()} holds a score (a
 * probability or a vote share) for every class, and {@link #value()} is the predicted class's score.
 * {@snippet :
 * Prediction p = predictor.predict(Map.of("RM", 6.5, "LSTAT", 4.98, "CRIM", 0.006));
 * double price = p.value();
 * }
 *
 * @param label  predicted class, or null for regression
 * @param value  predicted number (regression) or the predicted class's score (classification)
 * @param scores score per class (classification), empty for regression
 */
public record Prediction(String label, double value, Map<String, Double> scores) {

    /**
     * Copies the scores, keeping their order (the array-backed, already unmodifiable scores the array models
     * build are kept as they are).
     */
    public Prediction {
        scores = scores instanceof ScoreMap ? scores : Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    /**
     * @param value the predicted number
     * @return a regression prediction
     */
    public static Prediction ofValue(double value) {
        return new Prediction(null, value, Map.of());
    }
}
