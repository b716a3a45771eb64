package org.mlops4j.core.pipeline;

/**
 * The points of a pipeline run where a {@link Step} can act, in the order the runner reaches them.
 * {@snippet :
 * Pipeline p = pipeline.then(Steps.at(Phase.EVALUATED, ctx -> System.out.println(ctx.holdout().orElseThrow())));
 * }
 */
public enum Phase {
    /** The data is loaded, versioned and profiled; nothing is split or fitted yet. */
    LOADED,
    /** The rows are divided into training and holdout. */
    SPLIT,
    /** The transforms are fitted and the model trained on the training rows. */
    TRAINED,
    /** Holdout and cross-validation metrics are known. */
    EVALUATED,
    /** The bundle is built and about to be registered: the last point to veto or attach a file to it. */
    REGISTERING,
    /** The version is registered (or registration was vetoed or not asked for). */
    REGISTERED
}
