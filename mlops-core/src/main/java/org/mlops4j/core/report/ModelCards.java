package org.mlops4j.core.report;

import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.pipeline.Phase;
import org.mlops4j.core.pipeline.Step;
import org.mlops4j.core.pipeline.StepContext;
import org.mlops4j.core.pipeline.spi.RecipeType;
import org.mlops4j.core.pipeline.spi.RecipeTypeProvider;

import java.util.List;

/**
 * Model cards as a pipeline step: {@link #step} writes {@code card.md} and {@code card.html} into the bundle (and
 * the run) at {@link Phase#REGISTERING}, from the bundle, the holdout rows and the cross-validation folds. Also the
 * {@link RecipeTypeProvider} that names the step {@code model_card} in {@code pipeline.json}.
 * {@snippet :
 * pipeline.then(ModelCards.step("Estimate Boston house prices for teaching.", "1970s census data; prices in $1000s."));
 * }
 */
public final class ModelCards implements RecipeTypeProvider {
    /** The Markdown card's file name in a bundle. */
    public static final String MARKDOWN = "card.md";
    /** The HTML card's file name in a bundle. */
    public static final String HTML = "card.html";

    /** For {@link java.util.ServiceLoader}. */
    public ModelCards() {
    }

    @Override
    public List<RecipeType> recipeTypes() {
        return List.of(RecipeType.of("model_card", CardStep.class));
    }

    /**
     * @param intendedUse what the model is for, or null
     * @param limitations where it must not be used, or null
     * @return the step
     */
    public static CardStep step(String intendedUse, String limitations) {
        return new CardStep(intendedUse, limitations);
    }

    /**
     * Writes the card into the bundle and the run.
     *
     * @param intendedUse what the model is for, or null
     * @param limitations where it must not be used, or null
     */
    public record CardStep(String intendedUse, String limitations) implements Step {
        @Override
        public Phase phase() {
            return Phase.REGISTERING;
        }

        @Override
        public void apply(StepContext context) {
            ModelBundle bundle = context.bundle().orElseThrow(() -> new IllegalStateException("the model card step needs the bundle"));
            ModelCard.Builder b = ModelCard.builder(bundle);
            context.holdoutRows().ifPresent(b::holdout);
            context.crossValidation().ifPresent(cv -> {
                java.util.Map<String, List<Double>> folds = new java.util.LinkedHashMap<>();
                cv.folds().get(0).values().keySet().forEach(k -> folds.put(k, cv.folds().stream().map(f -> f.get(k)).toList()));
                b.folds(folds);
            });
            if (intendedUse != null && !intendedUse.isBlank()) {
                b.intendedUse(intendedUse);
            }
            if (limitations != null && !limitations.isBlank()) {
                b.limitations(limitations);
            }
            ModelCard card = b.build();
            context.attach(MARKDOWN, card.markdownBytes());
            context.attach(HTML, card.htmlBytes());
        }
    }
}
