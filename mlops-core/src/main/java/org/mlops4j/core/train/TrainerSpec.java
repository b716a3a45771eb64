package org.mlops4j.core.train;

import org.mlops4j.core.Task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a trainer is, as a run records it: a short name ({@code random_forest}), the task, and every
 * hyperparameter under a stable snake_case key.
 * {@snippet :
 * TrainerSpec s = RandomForest.regression().trees(100).spec();
 * s.name();              // random_forest
 * s.hyperparameters();   // {trees=100, max_depth=unlimited, min_child_weight=1.0, feature_fraction=auto, seed=42}
 * }
 *
 * @param name            short name, recorded with the run
 * @param task            regression or classification
 * @param hyperparameters every setting, keys in a stable order
 */
public record TrainerSpec(String name, Task task, Map<String, String> hyperparameters) {

    /** Copies the map, keeping its order. */
    public TrainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    }
}
