package org.mlops4j.core.tune;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.train.RandomForest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplersTest {
    private static final Space<RandomForest> SPACE = Space.of(RandomForest.regression())
            .ints("trees", RandomForest::trees, 10, 100, 10)
            .logDoubles("min_child_weight", RandomForest::minChildWeight, 0.5, 50)
            .doubles("feature_fraction", RandomForest::featureFraction, 0.2, 1.0)
            .choice("max_depth", RandomForest::maxDepth, List.of(4, 8, 16));

    /** A smooth bowl with its minimum at trees=70, min_child_weight=5, feature_fraction=0.6, depth 8. */
    private static final ToDoubleFunction<Map<String, Object>> BOWL = p -> {
        double t = (((Integer) p.get("trees")) - 70) / 90.0;
        double m = Math.log((Double) p.get("min_child_weight") / 5.0) / Math.log(100);
        double f = ((Double) p.get("feature_fraction") - 0.6) / 0.8;
        double d = ((Integer) p.get("max_depth")) == 8 ? 0 : 0.3;
        return t * t + m * m + f * f + d;
    };

    /** Runs a sampler on the bowl; returns the trials. */
    static List<Trial> optimise(Sampler sampler, Space<?> space, ToDoubleFunction<Map<String, Object>> f, int n, long seed) {
        List<Trial> trials = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Map<String, Object> p = sampler.sample(space, trials, Direction.MINIMIZE, new SplittableRandom(seed + 0x9E3779B97F4A7C15L * i));
            if (p == null) {
                break;
            }
            double v = f.applyAsDouble(p);
            trials.add(new Trial(i, p, TrialState.COMPLETE, v, List.of(v), null));
        }
        return trials;
    }

    private static double best(List<Trial> trials) {
        return trials.stream().mapToDouble(Trial::value).min().orElseThrow();
    }

    @Test
    void everySampledValueIsInItsRangeOnItsStepAndOfItsType() {
        for (Sampler s : List.of(Samplers.random(), Samplers.tpe(), Samplers.tpe().multivariate())) {
            for (Trial t : optimise(s, SPACE, BOWL, 40, 3)) {
                int trees = (Integer) t.params().get("trees");
                double mcw = (Double) t.params().get("min_child_weight");
                double ff = (Double) t.params().get("feature_fraction");
                assertThat(trees).as(s.name()).isBetween(10, 100);
                assertThat(trees % 10).as(s.name()).isZero();
                assertThat(mcw).as(s.name()).isBetween(0.5, 50.0);
                assertThat(ff).as(s.name()).isBetween(0.2, 1.0);
                assertThat(t.params().get("max_depth")).as(s.name()).isIn(4, 8, 16);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameTrialsAndAnotherSeedOthers() {
        for (Sampler s : List.of(Samplers.random(), Samplers.tpe(), Samplers.tpe().multivariate())) {
            List<Map<String, Object>> a = optimise(s, SPACE, BOWL, 25, 7).stream().map(Trial::params).toList();
            List<Map<String, Object>> b = optimise(s, SPACE, BOWL, 25, 7).stream().map(Trial::params).toList();
            List<Map<String, Object>> c = optimise(s, SPACE, BOWL, 25, 8).stream().map(Trial::params).toList();
            assertThat(b).as(s.name()).isEqualTo(a);
            assertThat(c).as(s.name()).isNotEqualTo(a);
        }
    }

    @Test
    void tpeFindsBetterConfigurationsThanRandomSearchWithTheSameBudget() {
        double[] tpe = new double[15];
        double[] random = new double[15];
        for (int seed = 0; seed < 15; seed++) {
            tpe[seed] = best(optimise(Samplers.tpe(), SPACE, BOWL, 40, seed));
            random[seed] = best(optimise(Samplers.random(), SPACE, BOWL, 40, seed));
        }
        java.util.Arrays.sort(tpe);
        java.util.Arrays.sort(random);
        assertThat(tpe[7]).as("median best of TPE vs random over 15 seeds").isLessThan(random[7]);
    }

    @Test
    void theGridVisitsEveryCombinationOnceRespectingConditionsThenStops() {
        Space<RandomForest> s = Space.of(RandomForest.regression())
                .choice("sampling", (RandomForest rf, String m) -> rf, List.of("all", "some"))
                .doubles("feature_fraction", RandomForest::featureFraction, 0.2, 0.6, 0.2).when("sampling", "some")
                .ints("trees", RandomForest::trees, 10, 20, 10);

        List<Trial> trials = optimise(Samplers.grid(), s, p -> 0, 100, 1);

        assertThat(trials).hasSize(2 + 3 * 2);
        assertThat(new HashSet<>(trials.stream().map(Trial::params).toList())).hasSize(8);
        assertThat(trials.get(0).params()).isEqualTo(Map.of("sampling", "all", "trees", 10));
        assertThat(trials).extracting(t -> t.params().get("feature_fraction")).contains(0.2, 0.4, 0.6);
        assertThatThrownBy(() -> Samplers.grid().sample(SPACE, List.of(), Direction.MINIMIZE, new SplittableRandom(1)))
                .hasMessageContaining("parameter 'min_child_weight': a grid needs a step");
    }

    @Test
    void tpeDoesNotRepeatAConfigurationWhileUntriedOnesRemain() {
        // 5 × 4 × 2 = 40 configurations with one sharp optimum: the estimator soon proposes only what it has scored
        Space<RandomForest> finite = Space.of(RandomForest.regression())
                .ints("trees", RandomForest::trees, 10, 50, 10)
                .doubles("feature_fraction", RandomForest::featureFraction, 0.25, 1.0, 0.25)
                .choice("max_depth", RandomForest::maxDepth, List.of(4, 8));
        ToDoubleFunction<Map<String, Object>> sharp = p -> Math.abs((Integer) p.get("trees") - 30)
                + 10 * Math.abs((Double) p.get("feature_fraction") - 0.5) + ((Integer) p.get("max_depth") == 8 ? 0 : 3);
        for (Sampler s : List.of(Samplers.tpe(), Samplers.tpe().startupTrials(3), Samplers.tpe().multivariate())) {
            for (long seed = 0; seed < 5; seed++) {
                List<Trial> trials = optimise(s, finite, sharp, 41, seed);
                List<Map<String, Object>> first40 = trials.subList(0, 40).stream().map(Trial::params).toList();
                assertThat(new HashSet<>(first40)).as("%s seed %d: 40 trials on 40 configurations", s.name(), seed).hasSize(40);
                assertThat(trials).as("a 41st trial repeats one, as none is left").hasSize(41);
            }
        }
    }

    @Test
    void tpeKeepsAwayFromWhatRunningTrialsAreTrying() {
        Space<RandomForest> s = Space.of(RandomForest.regression()).ints("trees", RandomForest::trees, 1, 3);
        List<Trial> trials = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            trials.add(new Trial(i, Map.of("trees", 1 + i % 3), TrialState.COMPLETE, (double) (i % 3), List.of(), null));
        }
        trials.add(new Trial(13, Map.of("trees", 1), TrialState.RUNNING, null, List.of(), null));
        int ones = 0;
        for (int seed = 0; seed < 40; seed++) {
            Object t = Samplers.tpe().sample(s, trials, Direction.MINIMIZE, new SplittableRandom(seed)).get("trees");
            ones += t.equals(1) ? 1 : 0;
        }
        assertThat(ones).as("trees=1 is the best value, and a running trial tries it already").isGreaterThan(20);
    }
}
