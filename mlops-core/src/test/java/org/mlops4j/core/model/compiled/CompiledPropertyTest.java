package org.mlops4j.core.model.compiled;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.internal.tribuo.TribuoFits;
import org.mlops4j.core.model.ArrayModel;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainingSet;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded property test: random forests and trees (random sizes, depths, leaf sizes, feature fractions, 1 to
 * 23 trees so the 8-tree lockstep and its remainder both run) over random data (continuous, integer-valued with
 * many ties, constant columns, 2 to 5 classes) predict exactly as Tribuo on random probe rows, which include the
 * training values themselves (so values equal to thresholds) and values outside the training range.
 */
class CompiledPropertyTest {

    private static final int CASES = 40;

    @Test
    void randomForestsOverRandomDataPredictExactlyAsTribuo() {
        check(CASES, 20261202L, 1, 23);
    }

    /**
     * 17 to 64 trees: three to eight lockstep groups of eight and a remainder, so more groups than the 1 to 23 trees
     * above reach (the house-price forest's 100 trees are the only other case with more than two groups).
     */
    @Test
    void forestsOfManyGroupsPredictExactlyAsTribuo() {
        check(16, 20261203L, 17, 48);
    }

    private static void check(int cases, long seed0, int minTrees, int treeSpread) {
        Random seeds = new Random(seed0);
        for (int c = 0; c < cases; c++) {
            long seed = seeds.nextLong();
            Random rnd = new Random(seed);
            Task task = rnd.nextBoolean() ? Task.REGRESSION : Task.CLASSIFICATION;
            int rows = 20 + rnd.nextInt(200);
            int width = 1 + rnd.nextInt(8);
            int classes = 2 + rnd.nextInt(4);
            Dataset.Builder train = Dataset.builder("random-" + c);
            Dataset.Builder probe = Dataset.builder("probe-" + c);
            int probes = 150;
            double[][] cols = new double[width][];
            for (int f = 0; f < width; f++) {
                int kind = rnd.nextInt(3);
                double[] v = new double[rows];
                for (int r = 0; r < rows; r++) {
                    v[r] = switch (kind) {
                        case 0 -> rnd.nextGaussian() * 10;
                        case 1 -> rnd.nextInt(5);
                        default -> f == 0 ? rnd.nextDouble() : 3.0; // a constant column (unless it is the only one)
                    };
                }
                cols[f] = v;
                train.numeric("x" + f, v);
                double[] p = new double[probes];
                for (int r = 0; r < probes; r++) {
                    p[r] = switch (rnd.nextInt(3)) {
                        case 0 -> v[rnd.nextInt(rows)];
                        case 1 -> rnd.nextGaussian() * 30;
                        default -> Math.rint(rnd.nextGaussian() * 4) / 2;
                    };
                }
                probe.numeric("x" + f, p);
            }
            String[] labels = new String[rows];
            double[] y = new double[rows];
            for (int r = 0; r < rows; r++) {
                double signal = cols[0][r] + (width > 1 ? cols[1][r] : 0) + rnd.nextGaussian();
                y[r] = signal;
                labels[r] = "c" + Math.floorMod((int) Math.floor(signal / 3), classes);
            }
            Dataset features = train.build();
            Target target = task == Task.REGRESSION ? Target.numeric("y", y) : Target.classes("y", labels);
            if (task == Task.CLASSIFICATION && target.classes().size() < 2) {
                continue;
            }
            Trainer trainer = rnd.nextInt(4) == 0
                    ? new DecisionTree(task, 1 + rnd.nextInt(12), 1 + rnd.nextInt(3), rnd.nextLong())
                    : new RandomForest(task, minTrees + rnd.nextInt(treeSpread), rnd.nextBoolean() ? Integer.MAX_VALUE : 1 + rnd.nextInt(10),
                    1 + rnd.nextInt(3), rnd.nextBoolean() ? null : 0.3 + 0.7 * rnd.nextDouble(), rnd.nextLong());
            Model compiled = trainer.fit(new TrainingSet(features, target), TrainContext.defaults());
            assertThat(compiled).as("case %d (seed %d)", c, seed).isInstanceOf(TreeEnsemble.class);
            Model tribuo = TribuoFits.tribuoSource(compiled);
            Dataset probeRows = probe.build();
            List<Prediction> expected = tribuo.predict(probeRows);
            assertThat(compiled.predict(probeRows)).as("case %d (seed %d): %s by %s", c, seed, compiled, trainer)
                    .isEqualTo(expected);
            CompiledEqualityTest.assertPrimitiveSame((ArrayModel) compiled, probeRows, expected);
        }
    }
}
