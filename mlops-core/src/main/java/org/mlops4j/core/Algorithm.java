package org.mlops4j.core;

import java.util.Map;

/**
 * A learning algorithm with typed, validated hyperparameters: {@link RandomForest}, {@link DecisionTree}
 * or {@link Linear}. Values are immutable records; every setter returns a changed copy and rejects an
 * invalid value at once. The same hyperparameters and seed on the same data give the same model.
 * {@snippet :
 * Algorithm rf = RandomForest.regression().trees(100).maxDepth(12).seed(42);
 * rf.hyperparameters(); // {trees=100, max_depth=12, ...} as recorded in the run
 * }
 */
public sealed interface Algorithm permits RandomForest, DecisionTree, Linear {

    /** @return regression or classification */
    Task task();

    /** @return a short name, recorded with the run ({@code random_forest}) */
    String name();

    /** @return every hyperparameter, as recorded in the run's params (stable keys, snake_case) */
    Map<String, String> hyperparameters();

    /** @return the random seed */
    long seed();
}
