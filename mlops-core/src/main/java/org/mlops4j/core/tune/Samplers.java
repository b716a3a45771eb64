package org.mlops4j.core.tune;

import org.mlops4j.core.train.Trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The samplers: every combination in order ({@link #grid()}), independent draws ({@link #random()}), and the
 * tree-structured Parzen estimator as Optuna defines it ({@link #tpe()}: 10 random start-up trials, 24
 * candidates drawn from the good trials' density, the good trials being the best min(⌈0.1·n⌉, 25),
 * univariate by default, {@link Tpe#multivariate()} as an option).
 * {@snippet :
 * Tune.study(space, Samplers.random()).trials(30);
 * Tune.study(space, Samplers.tpe().startupTrials(5));
 * }
 */
public final class Samplers {
    private Samplers() {
    }

    /** @return every combination, in the space's order (a float range needs a step, an int range is taken whole) */
    public static Grid grid() {
        return new Grid();
    }

    /** @return independent uniform draws (log-uniform for log ranges) */
    public static RandomSampler random() {
        return new RandomSampler();
    }

    /** @return TPE with Optuna's defaults, univariate */
    public static Tpe tpe() {
        return new Tpe(10, 24, false, 1.0);
    }

    /** Every combination of a finite space, each once, in order. */
    public record Grid() implements Sampler {
        /** More combinations than this is refused: give steps, or sample instead. */
        static final int MAX_POINTS = 100_000;

        @Override
        public Map<String, Object> sample(Space<?> space, List<Trial> trials, Direction direction, SplittableRandom random) {
            List<Map<String, Object>> all = points(space);
            java.util.Set<Map<String, Object>> tried = new java.util.HashSet<>();
            trials.forEach(t -> tried.add(t.params()));
            for (Map<String, Object> p : all) {
                if (!tried.contains(p)) {
                    return p;
                }
            }
            return null;
        }

        @Override
        public String name() {
            return "grid";
        }

        /**
         * @param space a space
         * @return every configuration, in order
         * @throws IllegalArgumentException for a float range without a step, or more than {@value #MAX_POINTS} points
         */
        @SuppressWarnings({"rawtypes", "unchecked"})
        static List<Map<String, Object>> points(Space<?> space) {
            List<Map<String, Object>> out = new ArrayList<>();
            out.add(new LinkedHashMap<>());
            for (Space.Param p : space.params()) {
                List<Object> values = values(p);
                List<Map<String, Object>> next = new ArrayList<>();
                for (Map<String, Object> partial : out) {
                    if (!((Space) space).isUsed(p, partial)) {
                        next.add(partial);
                        continue;
                    }
                    for (Object v : values) {
                        Map<String, Object> m = new LinkedHashMap<>(partial);
                        m.put(p.name(), v);
                        next.add(m);
                    }
                }
                if (next.size() > MAX_POINTS) {
                    throw new IllegalArgumentException("the grid has more than " + MAX_POINTS + " points at parameter '" + p.name()
                            + "'; give larger steps, or sample with random() or tpe()");
                }
                out = next;
            }
            return out;
        }

        static List<Object> values(Space.Param<?> p) {
            List<Object> out = new ArrayList<>();
            switch (p) {
                case Space.IntParam<?> i -> {
                    for (long v = i.low(); v <= i.high(); v += i.step()) {
                        out.add((int) v);
                    }
                }
                case Space.DoubleParam<?> d -> {
                    if (d.step() == null) {
                        throw new IllegalArgumentException("parameter '" + d.name() + "': a grid needs a step for a float range;"
                                + " give doubles(name, wither, low, high, step)");
                    }
                    long n = (long) Math.floor((d.high() - d.low()) / d.step() + 1e-9);
                    for (long k = 0; k <= n; k++) {
                        out.add(Distributions.onStep(d.low(), d.step(), k, d.high()));
                    }
                }
                case Space.ChoiceParam<?> c -> out.addAll(c.values());
            }
            return out;
        }
    }

    /** Independent draws: uniform, log-uniform for log ranges, on the step grid for stepped ranges. */
    public record RandomSampler() implements Sampler {
        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Map<String, Object> sample(Space<?> space, List<Trial> trials, Direction direction, SplittableRandom random) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Space.Param p : space.params()) {
                if (((Space) space).isUsed(p, m)) {
                    m.put(p.name(), Distributions.uniform(p, random));
                }
            }
            return m;
        }

        @Override
        public String name() {
            return "random";
        }
    }

    /**
     * The tree-structured Parzen estimator: after {@code startupTrials} random trials, splits the trials with
     * a value into the good ones (the best γ(n) = min(⌈0.1·n⌉, 25)) and the rest, fits a Parzen density to
     * each (truncated Gaussian kernels with Optuna's bandwidths and magic clip, a prior kernel of weight
     * {@code priorWeight}, older trials down-weighted past 25), draws {@code candidates} candidates from the
     * good density and keeps the one with the highest ratio good/rest. Univariate: each parameter on its own;
     * {@link #multivariate()}: the parameters used in every trial jointly. Running trials count among the rest
     * (Optuna's constant liar), so parallel workers spread out.
     *
     * @param startupTrials random trials first
     * @param candidates    candidates drawn per parameter (or per configuration, multivariate)
     * @param jointly       whether the always-used parameters are modelled jointly ({@link #multivariate()})
     * @param priorWeight   the prior kernel's weight
     */
    public record Tpe(int startupTrials, int candidates, boolean jointly, double priorWeight) implements Sampler {

        /** Validates. */
        public Tpe {
            if (startupTrials < 0) {
                throw new IllegalArgumentException("startupTrials must be >= 0 but was " + startupTrials);
            }
            if (candidates < 1) {
                throw new IllegalArgumentException("candidates must be >= 1 but was " + candidates);
            }
            if (!(priorWeight >= 0) || Double.isInfinite(priorWeight)) {
                throw new IllegalArgumentException("priorWeight must be >= 0 and finite but was " + priorWeight);
            }
        }

        /**
         * @param n random trials before the estimator takes over
         * @return this sampler with that many
         */
        public Tpe startupTrials(int n) {
            return new Tpe(n, candidates, jointly, priorWeight);
        }

        /**
         * @param n candidates drawn per choice
         * @return this sampler with that many
         */
        public Tpe candidates(int n) {
            return new Tpe(startupTrials, n, jointly, priorWeight);
        }

        /** @return this sampler modelling the always-used parameters jointly */
        public Tpe multivariate() {
            return new Tpe(startupTrials, candidates, true, priorWeight);
        }

        /** Fresh estimator draws tried when the first repeats a configuration, before exploring at random. */
        static final int REDRAWS = 3;
        /** Random draws tried for a configuration not yet tried, before accepting a repeat. */
        static final int EXPLORE_DRAWS = 200;

        /**
         * {@inheritDoc}
         *
         * <p>A configuration some trial already has (finished, failed or running) is not drawn again while others
         * remain: on a finite space (stepped ranges, choices) the estimator can grow so sure of a region that its
         * every candidate is a configuration already scored, and re-running it would spend a trial to learn
         * nothing (the trainer's seed is part of the space's base, so the result would be the same). The sampler
         * then draws again (three times), and after that explores: a random configuration not tried
         * yet. Only when none is found does it repeat its first choice.
         */
        @Override
        public Map<String, Object> sample(Space<?> space, List<Trial> trials, Direction direction, SplittableRandom random) {
            long valued = trials.stream().filter(Trial::hasValue).count();
            Map<String, Object> first = valued < startupTrials
                    ? new RandomSampler().sample(space, trials, direction, random)
                    : ParzenTpe.sample(this, space, trials, direction, random);
            if (trials.isEmpty()) {
                return first;
            }
            java.util.Set<Map<String, Object>> tried = new java.util.HashSet<>();
            trials.forEach(t -> tried.add(t.params()));
            if (!tried.contains(first)) {
                return first;
            }
            if (valued >= startupTrials) {
                for (int i = 0; i < REDRAWS; i++) {
                    Map<String, Object> again = ParzenTpe.sample(this, space, trials, direction, random);
                    if (!tried.contains(again)) {
                        return again;
                    }
                }
            }
            for (int i = 0; i < EXPLORE_DRAWS; i++) {
                Map<String, Object> other = new RandomSampler().sample(space, trials, direction, random);
                if (!tried.contains(other)) {
                    return other;
                }
            }
            return first;
        }

        @Override
        public String name() {
            return jointly ? "tpe_multivariate" : "tpe";
        }
    }

    static <T extends Trainer> boolean used(Space<T> space, Space.Param<T> p, Map<String, Object> values) {
        return space.isUsed(p, values);
    }
}
