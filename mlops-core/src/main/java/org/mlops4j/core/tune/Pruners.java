package org.mlops4j.core.tune;

import java.util.ArrayList;
import java.util.List;

/**
 * The pruners: {@link #none()}, {@link #median()} (Optuna's {@code MedianPruner} defaults) and
 * {@link #successiveHalving()} (asynchronous successive halving, ASHA). A step is a cross-validation fold;
 * the intermediate value at step s is the trial's mean over its first s folds.
 * {@snippet :
 * Tune.tpe(space).crossValidate(5).pruner(Pruners.median().startupTrials(3));
 * }
 */
public final class Pruners {
    private Pruners() {
    }

    /** @return a pruner that never stops a trial */
    public static Pruner none() {
        return new None();
    }

    /** @return the median rule with Optuna's defaults: 5 start-up trials, no warm-up steps, every step */
    public static Median median() {
        return new Median(5, 0, 1);
    }

    /** @return ASHA with reduction factor 3 from step 1 (rungs at steps 1, 3, 9, …) */
    public static SuccessiveHalving successiveHalving() {
        return new SuccessiveHalving(1, 3);
    }

    /** Never prunes. */
    public record None() implements Pruner {
        @Override
        public boolean prune(int step, double value, int current, List<Trial> trials, Direction direction) {
            return false;
        }

        @Override
        public String name() {
            return "none";
        }
    }

    /**
     * Stops a trial whose intermediate value at a step is worse than the median of the other finished
     * trials' values at that step, once {@code startupTrials} trials have completed and after
     * {@code warmupSteps} steps, checking every {@code intervalSteps} steps.
     *
     * @param startupTrials completed trials before any pruning
     * @param warmupSteps   steps of a trial before it can be pruned
     * @param intervalSteps check every this many steps
     */
    public record Median(int startupTrials, int warmupSteps, int intervalSteps) implements Pruner {
        /** Validates. */
        public Median {
            if (startupTrials < 0 || warmupSteps < 0 || intervalSteps < 1) {
                throw new IllegalArgumentException("median pruner: startupTrials and warmupSteps must be >= 0 and intervalSteps"
                        + " >= 1 but were " + startupTrials + ", " + warmupSteps + ", " + intervalSteps);
            }
        }

        /**
         * @param n completed trials before any pruning
         * @return this pruner with that many
         */
        public Median startupTrials(int n) {
            return new Median(n, warmupSteps, intervalSteps);
        }

        @Override
        public boolean prune(int step, double value, int current, List<Trial> trials, Direction direction) {
            if (step <= warmupSteps || (step - warmupSteps - 1) % intervalSteps != 0) {
                return false;
            }
            long completed = trials.stream().filter(t -> t.state() == TrialState.COMPLETE && t.number() != current).count();
            if (completed < startupTrials) {
                return false;
            }
            List<Double> others = new ArrayList<>();
            for (Trial t : trials) {
                if (t.number() != current && t.state() != TrialState.RUNNING && t.intermediate().size() >= step) {
                    others.add(t.intermediate().get(step - 1));
                }
            }
            if (others.isEmpty()) {
                return false;
            }
            others.sort(null);
            int m = others.size();
            double median = m % 2 == 1 ? others.get(m / 2) : 0.5 * (others.get(m / 2 - 1) + others.get(m / 2));
            return direction.better(median, value);
        }

        @Override
        public String name() {
            return "median";
        }
    }

    /**
     * Asynchronous successive halving: at each rung (steps minStep·factor^k), a trial goes on only if its value
     * is among the best 1/factor of the values recorded at that rung so far (its own included).
     *
     * @param minStep first rung
     * @param factor  reduction factor, at least 2
     */
    public record SuccessiveHalving(int minStep, int factor) implements Pruner {
        /** Validates. */
        public SuccessiveHalving {
            if (minStep < 1 || factor < 2) {
                throw new IllegalArgumentException("successive halving: minStep must be >= 1 and factor >= 2 but were "
                        + minStep + ", " + factor);
            }
        }

        @Override
        public boolean prune(int step, double value, int current, List<Trial> trials, Direction direction) {
            long rung = minStep;
            while (rung < step) {
                rung *= factor;
            }
            if (rung != step) {
                return false;
            }
            List<Double> atRung = new ArrayList<>();
            for (Trial t : trials) {
                if (t.number() != current && t.intermediate().size() >= step) {
                    atRung.add(t.intermediate().get(step - 1));
                }
            }
            atRung.add(value);
            int keep = Math.max(1, atRung.size() / factor);
            atRung.sort(direction == Direction.MINIMIZE ? null : java.util.Comparator.reverseOrder());
            double threshold = atRung.get(keep - 1);
            return direction.better(threshold, value);
        }

        @Override
        public String name() {
            return "successive_halving";
        }
    }
}
