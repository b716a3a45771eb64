package org.mlops4j.core.train;

import org.mlops4j.core.Task;
import org.mlops4j.core.model.Model;

/**
 * Learns a {@link Model} from ready training data: the open extension point for training. The built-in
 * trainers ({@link RandomForest}, {@link DecisionTree}, {@link Linear}) are records with typed,
 * validated hyperparameters; another module adds its own (a DJL network, a compiled forest), and a
 * trainer that wraps a trainer (a hyperparameter search, say) is a trainer too, so the pipeline never
 * gains a field for it.
 *
 * <p>A trainer is an immutable description: the same trainer, data and seed give the same model.
 * {@link #spec()} is what the run records (name, task, every hyperparameter); a trainer whose class a
 * {@link org.mlops4j.core.pipeline.spi.RecipeType} names is also written exactly into {@code pipeline.json}.
 * {@snippet :
 * Trainer rf = RandomForest.regression().trees(100).seed(42);
 * rf.spec().hyperparameters();                   // {trees=100, max_depth=unlimited, ...}
 * Model model = rf.fit(trainingSet, TrainContext.defaults());
 * }
 */
public interface Trainer {

    /** @return what this trainer is, for run records and checks: name, task, hyperparameters */
    TrainerSpec spec();

    /**
     * @param train   ready features (numeric, complete) and their target
     * @param context clock, executor, and where to report intermediate values
     * @return the trained model, immutable and thread-safe
     */
    Model fit(TrainingSet train, TrainContext context);

    /** @return the task this trainer learns; {@code spec().task()} */
    default Task task() {
        return spec().task();
    }
}
