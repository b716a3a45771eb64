package org.mlops4j.djl;

import org.mlops4j.core.pipeline.spi.RecipeType;
import org.mlops4j.core.pipeline.spi.RecipeTypeProvider;

import java.util.List;

/**
 * Names mlops-djl's recipe parts in {@code pipeline.json}: the {@code mlp} trainer, the {@code quantize} and
 * {@code onnx_export} steps, so a recorded pipeline that trains an MLP and quantizes it can be rebuilt. Found by
 * {@link java.util.ServiceLoader}.
 * {@snippet :
 * new DjlRecipeTypes().recipeTypes();   // mlp, quantize, onnx_export
 * }
 */
public final class DjlRecipeTypes implements RecipeTypeProvider {
    /** For {@link java.util.ServiceLoader}. */
    public DjlRecipeTypes() {
    }

    @Override
    public List<RecipeType> recipeTypes() {
        return List.of(RecipeType.of("mlp", Mlp.class), RecipeType.of("quantize", Quantize.class),
                RecipeType.of("onnx_export", OnnxExport.class));
    }
}
