package org.mlops4j.core.model.compiled;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Task;
import org.mlops4j.core.model.ModelSignature;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ensemble re-lays its nodes in memory for walking (depth first, or the given order when trees share nodes);
 * whatever the layout, it predicts what walking the given arrays predicts. Seeded random ensembles built by hand,
 * checked bit for bit against a plain walk of the arrays as given, with the combiners' arithmetic written out, on both
 * kernels (8-byte nodes with thresholds as ranks, and the 16-byte fallback).
 */
class WalkingLayoutTest {
    private static final int WIDTH = 5;
    /** Thresholds and row values: signed zeros, infinities and the smallest double included (ranks must not confuse them). */
    private static final double[] CUTS = {Double.NEGATIVE_INFINITY, -1.0, -0.5, -0.0, 0.0, Double.MIN_VALUE, 0.5, 1.0,
            Double.POSITIVE_INFINITY};

    /** A forest as the arrays {@link TreeEnsemble#of} takes, built tree after tree, children pairs after their parent. */
    private static final class Forest {
        final List<Integer> roots = new ArrayList<>();
        final List<int[]> nodes = new ArrayList<>();
        final List<Double> thresholds = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        final List<Integer> classes = new ArrayList<>();

        int add() {
            nodes.add(new int[2]);
            thresholds.add(Double.NaN);
            values.add(0.0);
            classes.add(0);
            return nodes.size() - 1;
        }

        void grow(Random rnd, int node, int depth, int classCount) {
            if (depth == 0 || rnd.nextInt(4) == 0) {
                nodes.get(node)[1] = node;
                values.set(node, rnd.nextGaussian());
                classes.set(node, rnd.nextInt(classCount));
                return;
            }
            int left = add();
            add();
            nodes.get(node)[0] = rnd.nextInt(WIDTH);
            nodes.get(node)[1] = left;
            thresholds.set(node, CUTS[rnd.nextInt(CUTS.length)]);
            grow(rnd, left, depth - 1, classCount);
            grow(rnd, left + 1, depth - 1, classCount);
        }

        int[] nodeInts() {
            int[] out = new int[2 * nodes.size()];
            for (int i = 0; i < nodes.size(); i++) {
                out[2 * i] = nodes.get(i)[0];
                out[2 * i + 1] = nodes.get(i)[1];
            }
            return out;
        }
    }

    private static int leaf(int[] nodes, double[] thresholds, int root, double[] row, int offset) {
        int n = root;
        while (nodes[2 * n + 1] != n) {
            n = nodes[2 * n + 1] + (row[offset + nodes[2 * n]] > thresholds[n] ? 1 : 0);
        }
        return n;
    }

    private static double[] rows(Random rnd, int count) {
        double[] rows = new double[count * WIDTH];
        for (int i = 0; i < rows.length; i++) {
            int pick = rnd.nextInt(10);
            rows[i] = pick == 0 ? Double.NaN : pick < 4 ? CUTS[rnd.nextInt(CUTS.length)] : 3 * rnd.nextGaussian();
        }
        return rows;
    }

    private static List<String> features() {
        List<String> f = new ArrayList<>();
        for (int i = 0; i < WIDTH; i++) {
            f.add("f" + i);
        }
        return f;
    }

    @Test
    void regressionForestsPredictAsTheirArraysWalkedAsGiven() {
        for (int c = 0; c < 40; c++) {
            Random rnd = new Random(1000 + c);
            Forest fo = new Forest();
            int trees = 1 + rnd.nextInt(20);
            boolean shared = c % 3 == 0;
            for (int t = 0; t < trees; t++) {
                if (shared && t > 0 && rnd.nextBoolean()) {
                    fo.roots.add(fo.roots.get(rnd.nextInt(t)));   // a tree that is another one: nodes reached twice
                    continue;
                }
                int root = fo.add();
                fo.roots.add(root);
                fo.grow(rnd, root, 1 + rnd.nextInt(7), 1);
            }
            int[] roots = fo.roots.stream().mapToInt(Integer::intValue).toArray();
            int[] nodes = fo.nodeInts();
            double[] thr = fo.thresholds.stream().mapToDouble(Double::doubleValue).toArray();
            double[] val = fo.values.stream().mapToDouble(Double::doubleValue).toArray();
            float[] w = new float[trees];
            for (int t = 0; t < trees; t++) {
                w[t] = 0.5f + rnd.nextInt(4);
            }
            TreeEnsemble.Combiner comb = trees == 1 && rnd.nextBoolean() ? TreeEnsemble.Combiner.SINGLE : TreeEnsemble.Combiner.AVERAGE;
            TreeEnsemble built = TreeEnsemble.of(new ModelSignature(Task.REGRESSION, features(), List.of()), comb, w, roots, nodes, thr,
                    val, null, null, null, null);
            assertThat(built.nodeBytes()).isEqualTo(8);
            for (TreeEnsemble m : new TreeEnsemble[] {built, built.withWideNodes()}) {
                int count = 1 + rnd.nextInt(150);
                double[] rows = rows(rnd, count);
                double[] batch = new double[count];
                m.predictValues(rows, count, batch);
                for (int r = 0; r < count; r++) {
                    double mean = 0.0;
                    double sum = 0.0;
                    for (int t = 0; t < trees; t++) {
                        double v = val[leaf(nodes, thr, roots[t], rows, r * WIDTH)];
                        sum += w[t];
                        mean += (w[t] / sum) * (v - mean);
                    }
                    double expected = comb == TreeEnsemble.Combiner.SINGLE ? val[leaf(nodes, thr, roots[0], rows, r * WIDTH)] : mean;
                    double[] one = java.util.Arrays.copyOfRange(rows, r * WIDTH, (r + 1) * WIDTH);
                    assertThat(m.predictValue(one)).as("case %d row %d", c, r).isEqualTo(expected);
                    assertThat(batch[r]).as("case %d batch row %d", c, r).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void classificationForestsPredictAsTheirArraysWalkedAsGiven() {
        for (int c = 0; c < 40; c++) {
            Random rnd = new Random(2000 + c);
            int k = 2 + rnd.nextInt(3);
            Forest fo = new Forest();
            boolean single = c % 4 == 0;
            int trees = single ? 1 : 1 + rnd.nextInt(20);
            boolean shared = c % 3 == 0;
            for (int t = 0; t < trees; t++) {
                if (shared && t > 0 && rnd.nextBoolean()) {
                    fo.roots.add(fo.roots.get(rnd.nextInt(t)));
                    continue;
                }
                int root = fo.add();
                fo.roots.add(root);
                fo.grow(rnd, root, 1 + rnd.nextInt(7), k);
            }
            int[] roots = fo.roots.stream().mapToInt(Integer::intValue).toArray();
            int[] nodes = fo.nodeInts();
            double[] thr = fo.thresholds.stream().mapToDouble(Double::doubleValue).toArray();
            int[] cls = fo.classes.stream().mapToInt(Integer::intValue).toArray();
            int n = cls.length;
            double[] scores = null;
            if (single) {
                scores = new double[n * k];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = rnd.nextDouble();
                }
            }
            float[] w = new float[trees];
            for (int t = 0; t < trees; t++) {
                w[t] = 1.0f + rnd.nextInt(3);
            }
            int[] order = new int[k];
            for (int i = 0; i < k; i++) {
                order[i] = k - 1 - i;
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                names.add("c" + i);
            }
            TreeEnsemble built = TreeEnsemble.of(new ModelSignature(Task.CLASSIFICATION, features(), names),
                    single ? TreeEnsemble.Combiner.SINGLE : TreeEnsemble.Combiner.VOTE, w, roots, nodes, thr, null, cls, scores, order, null);
            assertThat(built.nodeBytes()).isEqualTo(8);
            for (TreeEnsemble m : new TreeEnsemble[] {built, built.withWideNodes()}) {
                int count = 1 + rnd.nextInt(100);
                double[] rows = rows(rnd, count);
                int[] got = new int[count];
                double[] gotScores = new double[count * k];
                m.predictClasses(rows, count, got, gotScores);
                for (int r = 0; r < count; r++) {
                    double[] expected = new double[k];
                    int best;
                    if (single) {
                        int leaf = leaf(nodes, thr, roots[0], rows, r * WIDTH);
                        System.arraycopy(scores, leaf * k, expected, 0, k);
                        best = cls[leaf];
                    } else {
                        double sum = 0.0;
                        for (int t = 0; t < trees; t++) {
                            expected[cls[leaf(nodes, thr, roots[t], rows, r * WIDTH)]] += w[t];
                            sum += w[t];
                        }
                        double max = Double.NEGATIVE_INFINITY;
                        best = order[0];
                        for (int i : order) {
                            expected[i] /= sum;
                            if (expected[i] > max) {
                                max = expected[i];
                                best = i;
                            }
                        }
                    }
                    assertThat(got[r]).as("case %d row %d", c, r).isEqualTo(best);
                    assertThat(java.util.Arrays.copyOfRange(gotScores, r * k, (r + 1) * k)).as("case %d row %d", c, r)
                            .isEqualTo(expected);
                    double[] one = java.util.Arrays.copyOfRange(rows, r * WIDTH, (r + 1) * WIDTH);
                    double[] s = new double[k];
                    assertThat(m.predictClass(one, s)).isEqualTo(best);
                    assertThat(s).isEqualTo(expected);
                }
            }
        }
    }
}
