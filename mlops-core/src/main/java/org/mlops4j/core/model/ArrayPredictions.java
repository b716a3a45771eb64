package org.mlops4j.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns primitive model outputs into {@link Prediction}s. */
final class ArrayPredictions {
    private ArrayPredictions() {
    }

    /** Scores keyed by class name, in the (sorted) order of the signature's classes. */
    static Prediction classification(List<String> classes, int predicted, double[] scores) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            map.put(classes.get(k), scores[k]);
        }
        return new Prediction(classes.get(predicted), scores[predicted], map);
    }
}
