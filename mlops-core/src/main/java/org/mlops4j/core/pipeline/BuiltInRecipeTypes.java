package org.mlops4j.core.pipeline;

import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.pipeline.spi.RecipeType;
import org.mlops4j.core.pipeline.spi.RecipeTypeProvider;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.Linear;
import org.mlops4j.core.train.RandomForest;

import java.util.List;

/**
 * The names of mlops-core's trainers, evaluators and steps in {@code pipeline.json} (CSV sources are
 * written as {@code csv}). Found by {@link java.util.ServiceLoader}; applications do not call it.
 * {@snippet :
 * new BuiltInRecipeTypes().recipeTypes(); // random_forest, decision_tree, linear_sgd, regression, classification, metric_gate, validate
 * }
 */
public final class BuiltInRecipeTypes implements RecipeTypeProvider {

    /** For {@link java.util.ServiceLoader}. */
    public BuiltInRecipeTypes() {
    }

    @Override
    public List<RecipeType> recipeTypes() {
        return List.of(
                RecipeType.of("random_forest", RandomForest.class),
                RecipeType.of("decision_tree", DecisionTree.class),
                RecipeType.of("linear_sgd", Linear.class),
                RecipeType.of("regression", Metrics.Regression.class),
                RecipeType.of("classification", Metrics.Classification.class),
                RecipeType.of("metric_gate", Steps.MetricGate.class),
                RecipeType.of("validate", Steps.Validate.class));
    }
}
