package org.mlops4j.core.model.compiled;

import java.util.Arrays;

/**
 * The 8-byte-node kernel of {@link TreeEnsemble} (internal): thresholds become ranks into per-feature sorted tables
 * of the ensemble's distinct thresholds, a row's features become ranks by a lower-bound search in those tables, and
 * the walk compares integers. Exactly the {@code double} comparison it replaces: for a sorted table {@code T} of
 * distinct values and {@code rank(x) = |{t in T : t < x}|}, {@code x > T[j]} holds if and only if
 * {@code rank(x) > j}. NaN is less than nothing, so its rank is 0 and it goes left at every node, as
 * {@code NaN > t} is false; -0.0 and 0.0 are one table entry (they compare equal), infinities are ordinary
 * entries. A node is one {@code long}: high half {@code rank << 8 | feature}, low half the left child's index
 * in the walking layout (the right child is the next one). The field widths are constants (8 bits of feature, 24 of
 * rank), so the step's shifts and masks are immediates and the eight lanes' hot loop keeps its registers for the
 * walk. A leaf reads feature {@code width}, whose rank slot is
 * always 0, and holds its leaf number as its rank: {@code 0 > leaf} is false, so it stays on itself, and the
 * number indexes compact per-leaf outputs. Used only when there are at most 255 features and at most 2^24
 * thresholds per feature and leaves ({@link #fits}); the 16-byte kernel is the fallback.
 *
 * <p>{@code TreeEnsemble} builds it at construction with {@link #build} and falls back to its 16-byte nodes when
 * that returns null.
 */
final class RankedNodes {
    /** The tree shape and combiner arithmetic both kernels share (references, never written). */
    record Shape(TreeEnsemble.Combiner combiner, int[] starts, int[] depths, int[] groupDepths, double[] factors,
                 float[] weights, int[] classOrder, double weightSum) {
    }

    private static final int LANES = TreeEnsemble.LANES;
    private static final int BLOCK = TreeEnsemble.BLOCK;

    private final int width;
    private final int classCount;
    private final TreeEnsemble.Combiner combiner;
    private final int[] starts;
    private final int[] depths;
    private final int[] groupDepths;
    private final double[] factors;
    private final float[] weights;
    private final int[] classOrder;
    private final double weightSum;
    /** One node per entry, power-of-two length, indexed under a mask. */
    private final long[] nodes;
    /** Every feature's distinct thresholds, ascending, after a NaN at index 0 (where features without any point). */
    private final double[] cuts;
    private final int[] cutFrom;
    private final int[] cutCount;
    /** Per leaf number: regression value, classification class, single-tree class scores. */
    private final double[] leafValues;
    private final int[] leafClasses;
    private final double[] leafScores;
    /** {@link TreeEnsemble#BLOCK} rows of ranks, {@code width + 1} ints each (the last one 0, never written). */
    private final ThreadLocal<int[]> ranks;

    private RankedNodes(int width, int classCount, Shape shape, long[] nodes, double[] cuts,
                        int[] cutFrom, int[] cutCount, double[] leafValues, int[] leafClasses, double[] leafScores) {
        this.width = width;
        this.classCount = classCount;
        this.combiner = shape.combiner();
        this.starts = shape.starts();
        this.depths = shape.depths();
        this.groupDepths = shape.groupDepths();
        this.factors = shape.factors();
        this.weights = shape.weights();
        this.classOrder = shape.classOrder();
        this.weightSum = shape.weightSum();
        this.nodes = nodes;
        this.cuts = cuts;
        this.cutFrom = cutFrom;
        this.cutCount = cutCount;
        this.leafValues = leafValues;
        this.leafClasses = leafClasses;
        this.leafScores = leafScores;
        final int size = TreeEnsemble.powerOfTwo(BLOCK * (width + 1));
        this.ranks = ThreadLocal.withInitial(() -> new int[size]);
    }

    /** Bits of a node's feature field (features up to {@code width}, the leaves' rank-0 slot), and its mask. */
    static final int FB = 8;
    static final int FM = (1 << FB) - 1;
    /** Most threshold ranks per feature, and leaf numbers, the 24-bit rank field holds. */
    static final int MAX_RANKS = 1 << (32 - FB);

    /**
     * Whether an ensemble packs into 8-byte nodes: features up to {@code width} (the leaves' slot) fit the 8-bit
     * feature field, and threshold ranks below {@code maxCuts} and leaf numbers below {@code leaves} the 24-bit rank
     * field.
     */
    static boolean fits(int width, int maxCuts, int leaves) {
        return width <= FM && maxCuts <= MAX_RANKS && leaves <= MAX_RANKS;
    }

    /**
     * Builds the kernel over the walking layout {@code at} (node → position, -1 for a node no tree reaches), or
     * returns null when the ensemble does not fit 8-byte nodes.
     */
    static RankedNodes build(int width, int[] at, int laid, int[] nodes, double[] thresholds, double[] values,
                             int[] leafClasses, double[] leafScores, int classCount, Shape shape) {
        int n = thresholds.length;
        // Each feature's thresholds, -0.0 as 0.0 (they compare equal), sorted and without repeats.
        int[] count = new int[width];
        int leaves = 0;
        for (int i = 0; i < n; i++) {
            if (at[i] < 0) {
                continue;
            }
            if (nodes[2 * i + 1] == i) {
                leaves++;
            } else {
                count[nodes[2 * i]]++;
            }
        }
        int[] from = new int[width];
        int total = 1;
        for (int f = 0; f < width; f++) {
            from[f] = total;
            total += count[f];
        }
        double[] all = new double[total];
        all[0] = Double.NaN;
        int[] fill = from.clone();
        for (int i = 0; i < n; i++) {
            if (at[i] >= 0 && nodes[2 * i + 1] != i) {
                all[fill[nodes[2 * i]]++] = thresholds[i] + 0.0;   // -0.0 + 0.0 is 0.0
            }
        }
        int maxCuts = 0;
        int[] cutFrom = new int[width];
        int[] cutCount = new int[width];
        int out = 1;
        for (int f = 0; f < width; f++) {
            if (count[f] == 0) {
                continue;   // cutFrom 0: the NaN, below which nothing is
            }
            Arrays.sort(all, from[f], from[f] + count[f]);
            cutFrom[f] = out;
            double last = Double.NaN;
            for (int i = from[f]; i < from[f] + count[f]; i++) {
                if (all[i] != last) {
                    last = all[i];
                    all[out++] = last;
                }
            }
            cutCount[f] = out - cutFrom[f];
            maxCuts = Math.max(maxCuts, cutCount[f]);
        }
        if (!fits(width, maxCuts, leaves)) {
            return null;
        }
        double[] cuts = Arrays.copyOf(all, out);
        int[] byPos = new int[laid];
        Arrays.fill(byPos, -1);
        for (int i = 0; i < n; i++) {
            if (at[i] >= 0) {
                byPos[at[i]] = i;
            }
        }
        long[] packed = new long[TreeEnsemble.powerOfTwo(laid)];
        boolean regression = values != null;
        double[] lv = regression ? new double[leaves] : null;
        int[] lc = leafClasses == null ? null : new int[leaves];
        double[] ls = leafScores == null ? null : new double[leaves * classCount];
        int leaf = 0;
        for (int m = 0; m < laid; m++) {
            int i = byPos[m];
            if (i < 0) {
                continue;   // a hole in the layout (never walked)
            }
            int left = nodes[2 * i + 1];
            int high;
            int low;
            if (left == i) {
                high = (leaf << FB) | width;
                low = m;
                if (lv != null) {
                    lv[leaf] = values[i];
                }
                if (lc != null) {
                    lc[leaf] = leafClasses[i];
                }
                if (ls != null) {
                    System.arraycopy(leafScores, i * classCount, ls, leaf * classCount, classCount);
                }
                leaf++;
            } else {
                int f = nodes[2 * i];
                int rank = Arrays.binarySearch(cuts, cutFrom[f], cutFrom[f] + cutCount[f], thresholds[i] + 0.0) - cutFrom[f];
                if (rank < 0 || rank >= cutCount[f]) {
                    throw new IllegalStateException("node " + i + ": threshold " + thresholds[i] + " not in its feature's table");
                }
                high = (rank << FB) | f;
                low = at[left];
            }
            packed[m] = ((long) high << 32) | (low & 0xffffffffL);
        }
        return new RankedNodes(width, classCount, shape, packed, cuts, cutFrom, cutCount, lv, lc, ls);
    }

    /** Bytes the walk reads per node. */
    static int nodeBytes() {
        return Long.BYTES;
    }

    /** Each feature of {@code x[from..from+width)} as its rank, into {@code rk[o..o+width)}. */
    private void rank(double[] x, int from, int[] rk, int o) {
        final double[] c = cuts;
        final int[] cf = cutFrom;
        final int[] cc = cutCount;
        for (int f = 0; f < width; f++) {
            double v = x[from + f];
            int lo = cf[f];
            int base = lo;
            int len = cc[f];
            // Lower bound without a data-dependent branch: the answer stays in [base, base + len].
            while (len > 1) {
                int half = len >>> 1;
                base = c[base + half] < v ? base + half : base;
                len -= half;
            }
            rk[o + f] = base - lo + (c[base] < v ? 1 : 0);
        }
    }

    // ---- regression ----

    double predictValue(double[] row) {
        final int[] rk = ranks.get();
        rank(row, 0, rk, 0);
        final long[] p = this.nodes;
        final int pm = p.length - 1;
        final int km = rk.length - 1;
        final double[] lv = leafValues;
        if (combiner == TreeEnsemble.Combiner.SINGLE) {
            return lv[leaf(walk(rk, 0, starts[0], depths[0]))];
        }
        final double[] f = this.factors;
        double mean = 0.0;
        int t = 0;
        for (int g = 0; g < groupDepths.length; g++, t += LANES) {
            int n0 = starts[t], n1 = starts[t + 1], n2 = starts[t + 2], n3 = starts[t + 3];
            int n4 = starts[t + 4], n5 = starts[t + 5], n6 = starts[t + 6], n7 = starts[t + 7];
            for (int d = groupDepths[g]; d > 0; d--) {
                long b0 = p[n0 & pm];
                int q0 = (int) (b0 >>> 32);
                int m0 = (int) b0 + (((q0 >>> FB) - rk[(q0 & FM) & km]) >>> 31);
                long b1 = p[n1 & pm];
                int q1 = (int) (b1 >>> 32);
                int m1 = (int) b1 + (((q1 >>> FB) - rk[(q1 & FM) & km]) >>> 31);
                long b2 = p[n2 & pm];
                int q2 = (int) (b2 >>> 32);
                int m2 = (int) b2 + (((q2 >>> FB) - rk[(q2 & FM) & km]) >>> 31);
                long b3 = p[n3 & pm];
                int q3 = (int) (b3 >>> 32);
                int m3 = (int) b3 + (((q3 >>> FB) - rk[(q3 & FM) & km]) >>> 31);
                long b4 = p[n4 & pm];
                int q4 = (int) (b4 >>> 32);
                int m4 = (int) b4 + (((q4 >>> FB) - rk[(q4 & FM) & km]) >>> 31);
                long b5 = p[n5 & pm];
                int q5 = (int) (b5 >>> 32);
                int m5 = (int) b5 + (((q5 >>> FB) - rk[(q5 & FM) & km]) >>> 31);
                long b6 = p[n6 & pm];
                int q6 = (int) (b6 >>> 32);
                int m6 = (int) b6 + (((q6 >>> FB) - rk[(q6 & FM) & km]) >>> 31);
                long b7 = p[n7 & pm];
                int q7 = (int) (b7 >>> 32);
                int m7 = (int) b7 + (((q7 >>> FB) - rk[(q7 & FM) & km]) >>> 31);
                int moved = (m0 ^ n0) | (m1 ^ n1) | (m2 ^ n2) | (m3 ^ n3) | (m4 ^ n4) | (m5 ^ n5) | (m6 ^ n6) | (m7 ^ n7);
                n0 = m0; n1 = m1; n2 = m2; n3 = m3; n4 = m4; n5 = m5; n6 = m6; n7 = m7;
                if (moved == 0) {
                    break;
                }
            }
            mean += f[t] * (lv[(int) (p[n0 & pm] >>> 32) >>> FB] - mean);
            mean += f[t + 1] * (lv[(int) (p[n1 & pm] >>> 32) >>> FB] - mean);
            mean += f[t + 2] * (lv[(int) (p[n2 & pm] >>> 32) >>> FB] - mean);
            mean += f[t + 3] * (lv[(int) (p[n3 & pm] >>> 32) >>> FB] - mean);
            mean += f[t + 4] * (lv[(int) (p[n4 & pm] >>> 32) >>> FB] - mean);
            mean += f[t + 5] * (lv[(int) (p[n5 & pm] >>> 32) >>> FB] - mean);
            mean += f[t + 6] * (lv[(int) (p[n6 & pm] >>> 32) >>> FB] - mean);
            mean += f[t + 7] * (lv[(int) (p[n7 & pm] >>> 32) >>> FB] - mean);
        }
        for (; t < starts.length; t++) {
            mean += f[t] * (lv[leaf(walk(rk, 0, starts[t], depths[t]))] - mean);
        }
        return mean;
    }

    void predictValues(double[] rows, int count, double[] out) {
        final long[] p = this.nodes;
        final double[] f = this.factors;
        final double[] lv = leafValues;
        final int w = width;
        final int w1 = width + 1;
        final int[] rk = ranks.get();
        final int pm = p.length - 1;
        final int km = rk.length - 1;
        for (int start = 0; start < count; start += BLOCK) {
            int end = Math.min(count, start + BLOCK);
            for (int r = start; r < end; r++) {
                rank(rows, r * w, rk, (r - start) * w1);
            }
            if (combiner == TreeEnsemble.Combiner.SINGLE) {
                for (int r = start; r < end; r++) {
                    out[r] = lv[leaf(walk(rk, (r - start) * w1, starts[0], depths[0]))];
                }
                continue;
            }
            Arrays.fill(out, start, end, 0.0);
            int t = 0;
            for (int g = 0; g < groupDepths.length; g++, t += LANES) {
                int depth = groupDepths[g];
                int r0 = starts[t], r1 = starts[t + 1], r2 = starts[t + 2], r3 = starts[t + 3];
                int r4 = starts[t + 4], r5 = starts[t + 5], r6 = starts[t + 6], r7 = starts[t + 7];
                for (int r = start; r < end; r++) {
                    int o = (r - start) * w1;
                    int n0 = r0, n1 = r1, n2 = r2, n3 = r3, n4 = r4, n5 = r5, n6 = r6, n7 = r7;
                    for (int d = depth; d > 0; d--) {
                        long b0 = p[n0 & pm];
                        int q0 = (int) (b0 >>> 32);
                        int m0 = (int) b0 + (((q0 >>> FB) - rk[(o + (q0 & FM)) & km]) >>> 31);
                        long b1 = p[n1 & pm];
                        int q1 = (int) (b1 >>> 32);
                        int m1 = (int) b1 + (((q1 >>> FB) - rk[(o + (q1 & FM)) & km]) >>> 31);
                        long b2 = p[n2 & pm];
                        int q2 = (int) (b2 >>> 32);
                        int m2 = (int) b2 + (((q2 >>> FB) - rk[(o + (q2 & FM)) & km]) >>> 31);
                        long b3 = p[n3 & pm];
                        int q3 = (int) (b3 >>> 32);
                        int m3 = (int) b3 + (((q3 >>> FB) - rk[(o + (q3 & FM)) & km]) >>> 31);
                        long b4 = p[n4 & pm];
                        int q4 = (int) (b4 >>> 32);
                        int m4 = (int) b4 + (((q4 >>> FB) - rk[(o + (q4 & FM)) & km]) >>> 31);
                        long b5 = p[n5 & pm];
                        int q5 = (int) (b5 >>> 32);
                        int m5 = (int) b5 + (((q5 >>> FB) - rk[(o + (q5 & FM)) & km]) >>> 31);
                        long b6 = p[n6 & pm];
                        int q6 = (int) (b6 >>> 32);
                        int m6 = (int) b6 + (((q6 >>> FB) - rk[(o + (q6 & FM)) & km]) >>> 31);
                        long b7 = p[n7 & pm];
                        int q7 = (int) (b7 >>> 32);
                        int m7 = (int) b7 + (((q7 >>> FB) - rk[(o + (q7 & FM)) & km]) >>> 31);
                        int moved = (m0 ^ n0) | (m1 ^ n1) | (m2 ^ n2) | (m3 ^ n3) | (m4 ^ n4) | (m5 ^ n5) | (m6 ^ n6) | (m7 ^ n7);
                        n0 = m0; n1 = m1; n2 = m2; n3 = m3; n4 = m4; n5 = m5; n6 = m6; n7 = m7;
                        if (moved == 0) {
                            break;
                        }
                    }
                    double mean = out[r];
                    mean += f[t] * (lv[(int) (p[n0 & pm] >>> 32) >>> FB] - mean);
                    mean += f[t + 1] * (lv[(int) (p[n1 & pm] >>> 32) >>> FB] - mean);
                    mean += f[t + 2] * (lv[(int) (p[n2 & pm] >>> 32) >>> FB] - mean);
                    mean += f[t + 3] * (lv[(int) (p[n3 & pm] >>> 32) >>> FB] - mean);
                    mean += f[t + 4] * (lv[(int) (p[n4 & pm] >>> 32) >>> FB] - mean);
                    mean += f[t + 5] * (lv[(int) (p[n5 & pm] >>> 32) >>> FB] - mean);
                    mean += f[t + 6] * (lv[(int) (p[n6 & pm] >>> 32) >>> FB] - mean);
                    mean += f[t + 7] * (lv[(int) (p[n7 & pm] >>> 32) >>> FB] - mean);
                    out[r] = mean;
                }
            }
            for (; t < starts.length; t++) {
                for (int r = start; r < end; r++) {
                    out[r] += f[t] * (lv[leaf(walk(rk, (r - start) * w1, starts[t], depths[t]))] - out[r]);
                }
            }
        }
    }

    // ---- classification ----

    int classify(double[] row, int from, double[] acc, int a) {
        final int k = classCount;
        final int[] rk = ranks.get();
        rank(row, from, rk, 0);
        final int[] cls = this.leafClasses;
        if (combiner == TreeEnsemble.Combiner.SINGLE) {
            int leaf = leaf(walk(rk, 0, starts[0], depths[0]));
            System.arraycopy(leafScores, leaf * k, acc, a, k);
            return cls[leaf];
        }
        final long[] p = this.nodes;
        final int pm = p.length - 1;
        final int km = rk.length - 1;
        final float[] wt = this.weights;
        Arrays.fill(acc, a, a + k, 0.0);
        int t = 0;
        for (int g = 0; g < groupDepths.length; g++, t += LANES) {
            int n0 = starts[t], n1 = starts[t + 1], n2 = starts[t + 2], n3 = starts[t + 3];
            int n4 = starts[t + 4], n5 = starts[t + 5], n6 = starts[t + 6], n7 = starts[t + 7];
            for (int d = groupDepths[g]; d > 0; d--) {
                long b0 = p[n0 & pm];
                int q0 = (int) (b0 >>> 32);
                int m0 = (int) b0 + (((q0 >>> FB) - rk[(q0 & FM) & km]) >>> 31);
                long b1 = p[n1 & pm];
                int q1 = (int) (b1 >>> 32);
                int m1 = (int) b1 + (((q1 >>> FB) - rk[(q1 & FM) & km]) >>> 31);
                long b2 = p[n2 & pm];
                int q2 = (int) (b2 >>> 32);
                int m2 = (int) b2 + (((q2 >>> FB) - rk[(q2 & FM) & km]) >>> 31);
                long b3 = p[n3 & pm];
                int q3 = (int) (b3 >>> 32);
                int m3 = (int) b3 + (((q3 >>> FB) - rk[(q3 & FM) & km]) >>> 31);
                long b4 = p[n4 & pm];
                int q4 = (int) (b4 >>> 32);
                int m4 = (int) b4 + (((q4 >>> FB) - rk[(q4 & FM) & km]) >>> 31);
                long b5 = p[n5 & pm];
                int q5 = (int) (b5 >>> 32);
                int m5 = (int) b5 + (((q5 >>> FB) - rk[(q5 & FM) & km]) >>> 31);
                long b6 = p[n6 & pm];
                int q6 = (int) (b6 >>> 32);
                int m6 = (int) b6 + (((q6 >>> FB) - rk[(q6 & FM) & km]) >>> 31);
                long b7 = p[n7 & pm];
                int q7 = (int) (b7 >>> 32);
                int m7 = (int) b7 + (((q7 >>> FB) - rk[(q7 & FM) & km]) >>> 31);
                int moved = (m0 ^ n0) | (m1 ^ n1) | (m2 ^ n2) | (m3 ^ n3) | (m4 ^ n4) | (m5 ^ n5) | (m6 ^ n6) | (m7 ^ n7);
                n0 = m0; n1 = m1; n2 = m2; n3 = m3; n4 = m4; n5 = m5; n6 = m6; n7 = m7;
                if (moved == 0) {
                    break;
                }
            }
            acc[a + cls[(int) (p[n0 & pm] >>> 32) >>> FB]] += wt[t];
            acc[a + cls[(int) (p[n1 & pm] >>> 32) >>> FB]] += wt[t + 1];
            acc[a + cls[(int) (p[n2 & pm] >>> 32) >>> FB]] += wt[t + 2];
            acc[a + cls[(int) (p[n3 & pm] >>> 32) >>> FB]] += wt[t + 3];
            acc[a + cls[(int) (p[n4 & pm] >>> 32) >>> FB]] += wt[t + 4];
            acc[a + cls[(int) (p[n5 & pm] >>> 32) >>> FB]] += wt[t + 5];
            acc[a + cls[(int) (p[n6 & pm] >>> 32) >>> FB]] += wt[t + 6];
            acc[a + cls[(int) (p[n7 & pm] >>> 32) >>> FB]] += wt[t + 7];
        }
        for (; t < starts.length; t++) {
            acc[a + cls[leaf(walk(rk, 0, starts[t], depths[t]))]] += wt[t];
        }
        double max = Double.NEGATIVE_INFINITY;
        int best = classOrder[0];
        for (int i = 0; i < k; i++) {
            int c = classOrder[i];
            double s = acc[a + c] / weightSum;
            acc[a + c] = s;
            if (s > max) {
                max = s;
                best = c;
            }
        }
        return best;
    }

    // ---- shared ----

    /** The leaf number of the leaf at position {@code n}. */
    private int leaf(int n) {
        return (int) (nodes[n & (nodes.length - 1)] >>> 32) >>> FB;
    }

    private int walk(int[] rk, int o, int node, int depth) {
        final long[] p = nodes;
        final int pm = p.length - 1;
        final int km = rk.length - 1;
        int n = node;
        for (int d = depth; d > 0; d--) {
            long b = p[n & pm];
            int q = (int) (b >>> 32);
            int m = (int) b + (((q >>> FB) - rk[(o + (q & FM)) & km]) >>> 31);
            if (m == n) {
                break;
            }
            n = m;
        }
        return n;
    }
}
