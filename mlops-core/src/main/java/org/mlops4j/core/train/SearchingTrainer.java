package org.mlops4j.core.train;

/**
 * A trainer that tries candidate trainers while it fits and keeps the best (a hyperparameter search such
 * as {@code org.mlops4j.core.tune.Study}). It reports its pick through {@link TrainContext#chose}, so the
 * run records the chosen hyperparameters and the bundle the chosen trainer. Its candidates are bound by
 * code (withers), so {@code pipeline.json} records a search by its description, its base trainer and
 * the trainer it chose, and a pipeline read back from that file asks for the search to be given again.
 * {@snippet :
 * if (trainer instanceof SearchingTrainer s) {
 *     Trainer startingPoint = s.base(); // e.g. RandomForest.regression().seed(42)
 * }
 * }
 */
public interface SearchingTrainer extends Trainer {

    /** @return the trainer the candidates are derived from */
    Trainer base();
}
