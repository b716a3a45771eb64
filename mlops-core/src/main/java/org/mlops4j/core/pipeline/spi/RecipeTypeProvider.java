package org.mlops4j.core.pipeline.spi;

import java.util.List;

/**
 * Names the trainers, evaluators, steps and data sources a module defines, so pipelines using them are
 * recorded in {@code pipeline.json} and can be rebuilt. Found with {@link java.util.ServiceLoader}: list the
 * class in {@code META-INF/services/org.mlops4j.core.pipeline.spi.RecipeTypeProvider}.
 * {@snippet :
 * public final class DjlRecipeTypes implements RecipeTypeProvider {
 *     public List<RecipeType> recipeTypes() {
 *         return List.of(RecipeType.of("djl_mlp", MlpTrainer.class));
 *     }
 * }
 * }
 */
@FunctionalInterface
public interface RecipeTypeProvider {

    /** @return the types this module defines */
    List<RecipeType> recipeTypes();
}
