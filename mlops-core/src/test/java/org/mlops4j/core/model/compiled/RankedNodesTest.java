package org.mlops4j.core.model.compiled;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.internal.tribuo.TribuoFits;
import org.mlops4j.core.internal.tribuo.TribuoModel;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainingSet;

import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 8-byte-node kernel (thresholds as ranks into per-feature tables) predicts what Tribuo predicts on the values
 * where a rank could go wrong: exactly a threshold and the doubles either side of it, ±infinity, -0.0 against a
 * 0.0 threshold, the smallest and largest doubles; and the 16-byte fallback is chosen when feature and rank do not
 * fit their fixed fields (8 and 24 bits), and predicts as a plain walk of the arrays does.
 */
class RankedNodesTest {
    /** Tribuo refuses a NaN feature, so NaN is checked against the plain walk (WalkingLayoutTest), not here. */
    private static final double[] SPECIAL = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};

    /**
     * Row-major rows made from a few holdout rows, one feature at a time set to: some of the thresholds the ensemble
     * splits that feature at (exactly, and the next double up and down), and the special values; then rows that are
     * all +∞, all -∞, all -0.0. (A {@code Dataset} holds finite numbers only, so these stay arrays.)
     */
    static List<double[]> edgeRows(TreeEnsemble m, Dataset holdout, long seed) {
        List<String> names = m.signature().features();
        int w = names.size();
        double[] base = Rows.rowMajor(holdout, names);
        int baseRows = Math.min(8, holdout.rowCount());
        Random rnd = new Random(seed);
        List<double[]> rows = new ArrayList<>();
        int[] nodes = m.nodes();
        double[] thr = m.thresholds();
        for (int f = 0; f < w; f++) {
            List<Double> cuts = new ArrayList<>();
            for (int i = 0; i < thr.length; i++) {
                if (nodes[2 * i + 1] != i && nodes[2 * i] == f) {
                    cuts.add(thr[i]);
                }
            }
            java.util.Collections.shuffle(cuts, rnd);
            List<Double> vals = new ArrayList<>();
            for (int i = 0; i < Math.min(10, cuts.size()); i++) {
                double c = cuts.get(i);
                vals.add(c);
                if (i < 4) {
                    vals.add(Math.nextUp(c));
                    vals.add(Math.nextDown(c));
                }
            }
            for (double s : SPECIAL) {
                vals.add(s);
            }
            for (int v = 0; v < vals.size(); v++) {
                int b = (f + v) % baseRows;
                double[] row = Arrays.copyOfRange(base, b * w, (b + 1) * w);
                row[f] = vals.get(v);
                rows.add(row);
            }
        }
        for (double s : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0}) {
            double[] row = new double[w];
            Arrays.fill(row, s);
            rows.add(row);
        }
        return rows;
    }

    /** Tribuo's own prediction of each row, as an {@code ArrayExample} in the signature's feature order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Prediction> tribuo(TreeEnsemble m, List<double[]> rows) {
        org.tribuo.Model model = ((TribuoModel) TribuoFits.tribuoSource(m)).tribuoModel();
        String[] names = m.signature().features().toArray(new String[0]);
        List<Prediction> out = new ArrayList<>();
        for (double[] row : rows) {
            if (m.signature().task() == Task.REGRESSION) {
                org.tribuo.Prediction<Regressor> p = model.predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, row));
                out.add(Prediction.ofValue(p.getOutput().getValues()[0]));
            } else {
                org.tribuo.Prediction<Label> p = model.predict(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, row));
                Map<String, Double> scores = new LinkedHashMap<>();
                p.getOutputScores().keySet().stream().sorted().forEach(k -> scores.put(k, p.getOutputScores().get(k).getScore()));
                String label = p.getOutput().getLabel();
                out.add(new Prediction(label, scores.getOrDefault(label, p.getOutput().getScore()), scores));
            }
        }
        return out;
    }

    /** Fits; on the edge rows, the compiled model on both kernels predicts what its Tribuo source predicts. */
    private static TreeEnsemble assertEdgesAsTribuo(Trainer trainer, Dataset features, Target target, Dataset holdout) {
        TreeEnsemble m = (TreeEnsemble) trainer.fit(new TrainingSet(features, target), TrainContext.defaults());
        assertThat(m.nodeBytes()).isEqualTo(8);
        List<double[]> edges = edgeRows(m, holdout, 5);
        List<Prediction> expected = tribuo(m, edges);
        double[] rows = new double[edges.size() * m.width()];
        for (int r = 0; r < edges.size(); r++) {
            System.arraycopy(edges.get(r), 0, rows, r * m.width(), m.width());
        }
        CompiledEqualityTest.assertPrimitiveSame(m, rows, edges.size(), expected);
        CompiledEqualityTest.assertPrimitiveSame(m.withWideNodes(), rows, edges.size(), expected);
        return m;
    }

    @Test
    void theHousePriceForestPredictsAsTribuoAtThresholdsInfinitiesAndSignedZeros() {
        CompiledEqualityTest.Split s = CompiledEqualityTest.Split.of(CompiledEqualityTest.houses(), "MEDV", Task.REGRESSION, 7);
        assertEdgesAsTribuo(RandomForest.regression(), s.trainFeatures(), s.trainTarget(), s.testFeatures());
    }

    @Test
    void votingForestsAndASingleClassificationTreePredictAsTribuoOnEdgeRows() {
        CompiledEqualityTest.Split s = CompiledEqualityTest.Split.of(CompiledEqualityTest.wine(), "cultivar", Task.CLASSIFICATION, 11);
        TreeEnsemble forest = assertEdgesAsTribuo(RandomForest.classification(), s.trainFeatures(), s.trainTarget(), s.testFeatures());
        assertThat(forest.combiner()).isEqualTo(TreeEnsemble.Combiner.VOTE);
        assertEdgesAsTribuo(RandomForest.classification().trees(13).featureFraction(1.0), s.trainFeatures(), s.trainTarget(),
                s.testFeatures());
        TreeEnsemble tree = assertEdgesAsTribuo(DecisionTree.classification(), s.trainFeatures(), s.trainTarget(), s.testFeatures());
        assertThat(tree.combiner()).isEqualTo(TreeEnsemble.Combiner.SINGLE);
    }

    @Test
    void aZeroThresholdSendsMinusZeroLeftAsTribuoDoes() {
        // A feature that is -1 or 1 is split at their midpoint, 0.0: -0.0 > 0.0 is false (left), MIN_VALUE goes right.
        Random rnd = new Random(17);
        int n = 300;
        double[] a = new double[n];
        double[] c = new double[n];
        double[] y = new double[n];
        String[] label = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextBoolean() ? 1.0 : -1.0;
            c[i] = rnd.nextGaussian();
            y[i] = 3 * a[i] + c[i] + 0.1 * rnd.nextGaussian();
            label[i] = a[i] + 0.3 * c[i] > 0 ? "up" : "down";
        }
        Dataset features = Dataset.builder("signs").numeric("a", a).numeric("c", c).build();
        Dataset regression = Dataset.builder("signs").numeric("a", a).numeric("c", c).numeric("y", y).build();
        Dataset classification = Dataset.builder("signs").numeric("a", a).numeric("c", c).categorical("k", label).build();
        for (TreeEnsemble m : new TreeEnsemble[] {
                assertEdgesAsTribuo(RandomForest.regression().trees(20), features, Target.of(regression, "y", Task.REGRESSION),
                        features.rows(new int[] {0, 1, 2, 3})),
                assertEdgesAsTribuo(RandomForest.classification().trees(20), features,
                        Target.of(classification, "k", Task.CLASSIFICATION), features.rows(new int[] {0, 1, 2, 3}))}) {
            boolean zero = false;
            for (int i = 0; i < m.nodeCount(); i++) {
                zero |= m.nodes()[2 * i + 1] != i && m.nodes()[2 * i] == 0 && m.thresholds()[i] == 0.0;
            }
            assertThat(zero).as("the forest splits a at 0.0, so the signed zeros are tested").isTrue();
        }
    }

    @Test
    void featureAndRankFitTheirFixedFieldsOrTheFallbackIsChosen() {
        // 8 bits of feature hold 0..width (width: the leaves' rank-0 slot); 24 bits hold ranks and leaf numbers.
        assertThat(RankedNodes.fits(255, 1, 1)).isTrue();
        assertThat(RankedNodes.fits(256, 1, 1)).isFalse();
        assertThat(RankedNodes.fits(13, 1 << 24, 1 << 24)).isTrue();
        assertThat(RankedNodes.fits(13, (1 << 24) + 1, 1)).isFalse();
        assertThat(RankedNodes.fits(13, 1, (1 << 24) + 1)).isFalse();
    }

    @Test
    void atTheFeatureFieldsEdgeTheKernelIsChosenByWidthAndPredictsAsItsArraysWalked() {
        // 255 features and the leaves' slot (feature 255) fill the 8-bit feature field: 8-byte nodes. 256 do not: the
        // 16-byte fallback. Nine trees, so the eight-lane group and the one-tree tail both run; half the splits are on
        // the last feature (the field's top value, next to the rank bits), and rows hit thresholds exactly.
        int trees = 9;
        int leaves = 1 << 9;
        int per = 2 * leaves - 1;
        for (int width : new int[] {255, 256}) {
            List<String> names = new ArrayList<>(width);
            for (int f = 0; f < width; f++) {
                names.add("f" + f);
            }
            Random rnd = new Random(width);
            int n = trees * per;
            int[] nodes = new int[2 * n];
            double[] thr = new double[n];
            double[] val = new double[n];
            int[] cls = new int[n];
            int[] roots = new int[trees];
            float[] weights = new float[trees];
            for (int t = 0; t < trees; t++) {
                roots[t] = t * per;
                weights[t] = 1 + rnd.nextInt(4);
                // A complete binary tree: local node i's children are 2i+1 and 2i+2, the last `leaves` are leaves.
                for (int i = 0; i < per; i++) {
                    int g = t * per + i;
                    if (i < leaves - 1) {
                        nodes[2 * g] = rnd.nextBoolean() ? width - 1 : rnd.nextInt(width);
                        nodes[2 * g + 1] = t * per + 2 * i + 1;
                        thr[g] = rnd.nextGaussian();
                    } else {
                        nodes[2 * g + 1] = g;
                        thr[g] = Double.NaN;
                        val[g] = rnd.nextGaussian();
                        cls[g] = rnd.nextInt(3);
                    }
                }
            }
            int count = 70;   // more than one block of rows
            double[] rows = new double[count * width];
            for (int i = 0; i < rows.length; i++) {
                int pick = rnd.nextInt(20);
                rows[i] = pick == 0 ? Double.NaN : pick < 6 ? thr[rnd.nextInt(leaves - 1)] : rnd.nextGaussian();
            }
            double[] factors = new double[trees];
            double sum = 0.0;
            for (int t = 0; t < trees; t++) {
                sum += weights[t];
                factors[t] = weights[t] / sum;
            }

            TreeEnsemble reg = TreeEnsemble.of(new ModelSignature(Task.REGRESSION, names, List.of()),
                    TreeEnsemble.Combiner.AVERAGE, weights, roots, nodes, thr, val, null, null, null, null);
            TreeEnsemble vote = TreeEnsemble.of(new ModelSignature(Task.CLASSIFICATION, names, List.of("a", "b", "c")),
                    TreeEnsemble.Combiner.VOTE, weights, roots, nodes, thr, null, cls, null, new int[] {0, 1, 2}, null);
            int bytes = width == 255 ? 8 : 16;
            assertThat(reg.nodeBytes()).as("%d features, regression", width).isEqualTo(bytes);
            assertThat(vote.nodeBytes()).as("%d features, vote", width).isEqualTo(bytes);
            double[] batch = new double[count];
            reg.predictValues(rows, count, batch);
            int[] batchClasses = new int[count];
            double[] batchScores = new double[count * 3];
            vote.predictClasses(rows, count, batchClasses, batchScores);
            for (int r = 0; r < count; r++) {
                double mean = 0.0;
                double[] acc = new double[3];
                for (int t = 0; t < trees; t++) {
                    int leaf = leaf(nodes, thr, roots[t], rows, r * width);
                    mean += factors[t] * (val[leaf] - mean);
                    acc[cls[leaf]] += weights[t];
                }
                int best = 0;
                for (int c = 0; c < 3; c++) {
                    acc[c] /= sum;
                    if (acc[c] > acc[best]) {
                        best = c;
                    }
                }
                double[] one = Arrays.copyOfRange(rows, r * width, (r + 1) * width);
                assertThat(reg.predictValue(one)).as("%d features, row %d", width, r).isEqualTo(mean);
                assertThat(batch[r]).as("%d features, batch row %d", width, r).isEqualTo(mean);
                double[] scores = new double[3];
                assertThat(vote.predictClass(one, scores)).as("%d features, class of row %d", width, r).isEqualTo(best);
                assertThat(scores).as("%d features, scores of row %d", width, r).containsExactly(acc);
                assertThat(batchClasses[r]).as("%d features, batch class of row %d", width, r).isEqualTo(best);
                assertThat(Arrays.copyOfRange(batchScores, 3 * r, 3 * r + 3)).as("%d features, batch scores of row %d", width, r)
                        .containsExactly(acc);
            }
        }
    }

    private static int leaf(int[] nodes, double[] thresholds, int root, double[] row, int offset) {
        int n = root;
        while (nodes[2 * n + 1] != n) {
            n = nodes[2 * n + 1] + (row[offset + nodes[2 * n]] > thresholds[n] ? 1 : 0);
        }
        return n;
    }
}
