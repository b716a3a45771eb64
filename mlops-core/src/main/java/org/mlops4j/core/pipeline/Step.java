package org.mlops4j.core.pipeline;

import java.util.List;

/**
 * Something that happens around the lifecycle at one {@link Phase}: a data check at {@code LOADED}, a
 * quality gate at {@code EVALUATED}, a model card at {@code REGISTERED}. Steps see the run through a typed
 * {@link StepContext} and act through it (veto registration, derive a model, attach a file). A step that
 * throws fails the run like any other error: the run is marked failed and nothing is registered.
 *
 * <p>A step is an immutable description. One whose class a {@link org.mlops4j.core.pipeline.spi.RecipeType}
 * names is recorded in {@code pipeline.json} and rebuilt with the pipeline; others (lambdas) run, but a
 * recorded pipeline notes them as not recordable.
 * {@snippet :
 * Step gate = Steps.atMost("holdout_rmse", 4.0);             // veto registration of a poor model
 * Step print = Steps.at(Phase.EVALUATED, ctx -> System.out.println(ctx.metrics()));
 * Pipeline p = pipeline.then(gate).then(print);
 * }
 */
public interface Step {

    /** @return when the step runs */
    Phase phase();

    /**
     * @param context the run so far
     */
    void apply(StepContext context);

    /**
     * Checks the step against the whole recipe before any data loads (a step that needs cross-validation
     * when none is configured, say).
     *
     * @param spec the pipeline's recipe
     * @return problems, each a sentence saying what to change; empty when the step can run
     */
    default List<String> check(PipelineSpec spec) {
        return List.of();
    }
}
