package org.mlops4j.core.tune;

import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.train.Trainer;

/**
 * Where studies start: {@code Tune.tpe(space)}, {@code Tune.random(space)}, {@code Tune.grid(space)}. Each is
 * a {@link Study} with 20 trials, 3-fold cross-validation, no pruning, seed 42 and one worker per core,
 * optimising the task's metric; change any of them on the study.
 * {@snippet :
 * Study<RandomForest> study = Tune.tpe(space).trials(40).pruner(Pruners.median());
 * Pipeline.from(source).label("MEDV").train(study).run();
 * }
 */
public final class Tune {
    private Tune() {
    }

    /**
     * @param space the search space
     * @param <T>   the trainer type
     * @return a TPE study (Optuna's defaults)
     */
    public static <T extends Trainer> Study<T> tpe(Space<T> space) {
        return study(space, Samplers.tpe());
    }

    /**
     * @param space the search space
     * @param <T>   the trainer type
     * @return a random-search study
     */
    public static <T extends Trainer> Study<T> random(Space<T> space) {
        return study(space, Samplers.random());
    }

    /**
     * @param space the search space, finite (float ranges with steps)
     * @param <T>   the trainer type
     * @return a study of every combination (its trials default to the grid's size)
     */
    public static <T extends Trainer> Study<T> grid(Space<T> space) {
        return study(space, Samplers.grid()).trials(Math.max(1, Samplers.Grid.points(space).size()));
    }

    /**
     * @param space   the search space
     * @param sampler the sampler
     * @param <T>     the trainer type
     * @return a study with the defaults
     */
    public static <T extends Trainer> Study<T> study(Space<T> space, Sampler sampler) {
        return new Study<>(space, sampler, Pruners.none(), 20, null, 42L, null, null, Split.kFold(3),
                Runtime.getRuntime().availableProcessors(), null, null);
    }
}
