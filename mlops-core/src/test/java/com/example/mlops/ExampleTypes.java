package com.example.mlops;

import org.mlops4j.core.pipeline.spi.RecipeType;
import org.mlops4j.core.pipeline.spi.RecipeTypeProvider;
import org.mlops4j.core.transform.spi.TransformType;
import org.mlops4j.core.transform.spi.TransformTypeProvider;

import java.util.List;

/** Names this module's transform and trainer for the files mlops4j writes (found by ServiceLoader). */
public final class ExampleTypes implements TransformTypeProvider, RecipeTypeProvider {

    @Override
    public List<TransformType> transformTypes() {
        return List.of(TransformType.of("example_clip", Clip.class, Clip.Fitted.class));
    }

    @Override
    public List<RecipeType> recipeTypes() {
        return List.of(RecipeType.of("example_line", LineTrainer.class));
    }
}
