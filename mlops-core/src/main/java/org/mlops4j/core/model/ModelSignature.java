package org.mlops4j.core.model;

import org.mlops4j.core.Task;

import java.util.List;
import java.util.Objects;

/**
 * What a model takes and gives: the task, the (transformed) feature columns it reads, in order, and the
 * classes it predicts (classification) or none (regression).
 * {@snippet :
 * ModelSignature s = new ModelSignature(Task.REGRESSION, List.of("RM", "LSTAT"), List.of());
 * }
 *
 * @param task     regression or classification
 * @param features the columns the model reads, in order
 * @param classes  the classes it knows, sorted (classification), else empty
 */
public record ModelSignature(Task task, List<String> features, List<String> classes) {

    /**
     * Copies the lists.
     *
     * @throws IllegalArgumentException when a class is listed twice (a prediction's scores are keyed by class)
     */
    public ModelSignature {
        Objects.requireNonNull(task, "task");
        features = List.copyOf(features);
        classes = classes == null ? List.of() : List.copyOf(classes);
        if (classes.size() > 1) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String c : classes) {
                if (!seen.add(c)) {
                    throw new IllegalArgumentException("class '" + c + "' is listed twice in the signature's classes " + classes);
                }
            }
        }
    }
}
