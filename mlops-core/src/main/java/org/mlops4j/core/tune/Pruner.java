package org.mlops4j.core.tune;

import java.util.List;

/**
 * Decides whether a trial should stop early, from its intermediate value at a step (the running
 * cross-validated mean after each fold) and the other trials' values: {@link Pruners#median()} or
 * {@link Pruners#successiveHalving()}; {@link Pruners#none()} never stops a trial.
 * {@snippet :
 * Tune.tpe(space).crossValidate(5).pruner(Pruners.median());
 * }
 */
public interface Pruner {

    /**
     * @param step      1-based step
     * @param value     the trial's intermediate value at that step
     * @param current   the trial's number
     * @param trials    the other trials so far (with their intermediate values)
     * @param direction better low or high
     * @return whether to stop the trial now
     */
    boolean prune(int step, double value, int current, List<Trial> trials, Direction direction);

    /** @return a short name for run records */
    String name();
}
