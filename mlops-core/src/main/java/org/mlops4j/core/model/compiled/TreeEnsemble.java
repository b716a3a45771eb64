package org.mlops4j.core.model.compiled;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.ArrayModel;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A compiled tree or forest: every tree of the ensemble in a few flat primitive arrays, predicting exactly
 * what the trained model it was compiled from predicts (same comparison {@code value > threshold} to the
 * right, same {@code double} thresholds, NaN to the left, the combiner's arithmetic in the same order).
 * Immutable and thread-safe; the primitive entry points of {@link ArrayModel} allocate nothing.
 *
 * <p>Layout: node {@code n} has a feature index ({@code nodes[2n]}), the index of its left child
 * ({@code nodes[2n+1]}; the right child is the next node, so siblings are adjacent and a step is
 * {@code n = left + (x > threshold ? 1 : 0)}, without a branch) and a threshold. A leaf points at itself
 * with a NaN threshold, so walking a tree a fixed number of steps (its depth) ends at its leaf whatever the
 * path; eight trees are walked per row in lockstep, and batches go in blocks of rows so that a group of trees
 * stays in cache. Children always come after their parent, which makes a cycle impossible. In memory the nodes
 * are laid out again for walking (the payload keeps the order given): each tree depth first with a node's children
 * placed just before the left child's subtree, in arrays of a power-of-two length indexed under a mask so the hot
 * loop has no bounds checks. A node takes 8 bytes when it can: each feature's distinct thresholds go into a sorted
 * table, a node holds its threshold's rank in that table (with the feature and the left child, in one {@code long}),
 * a row's features are first turned into ranks by a binary search (the count of thresholds below the value), and
 * the walk compares integers: {@code x > T[j]} exactly when that count exceeds {@code j}, NaN counting 0. When
 * there are more than 255 features, or more than 2^24 thresholds on a feature or leaves, the nodes take
 * 16 bytes (threshold, or a leaf's value, then feature and left child) and the walk compares doubles. Both
 * predict the same, bit for bit.
 *
 * <p>Combiners: {@link Combiner#SINGLE} (one tree: its leaf's value, or for classification its leaf's
 * class and class distribution), {@link Combiner#AVERAGE} (regression: Tribuo's weighted running mean
 * {@code mean += (w_t / Σw) * (v_t - mean)}) and {@link Combiner#VOTE} (classification: each tree's class
 * gets its weight, scores are divided by the weights' sum, the first class with the highest score wins in
 * the trainer's class order).
 * {@snippet :
 * TreeEnsemble forest = (TreeEnsemble) RandomForest.regression().fit(trainingSet, TrainContext.defaults());
 * double price = forest.predictValue(readyRow);
 * forest.treeCount();   // 100
 * }
 */
public final class TreeEnsemble implements ArrayModel {
    /** How the trees' outputs are combined. */
    public enum Combiner {
        /** One tree, its leaf's output as it is. */
        SINGLE,
        /** Weighted running mean of the trees' values (regression). */
        AVERAGE,
        /** Weighted vote of the trees' classes (classification). */
        VOTE
    }

    /** Trees walked together per row. */
    static final int LANES = 8;
    /** Rows per block in batches. */
    static final int BLOCK = 64;
    /** Most trees, nodes and classes a compiled ensemble may have. */
    static final int MAX_TREES = 1 << 20;
    static final int MAX_NODES = 1 << 27;
    static final int MAX_CLASSES = 1 << 16;

    private final ModelSignature signature;
    private final Combiner combiner;
    private final int width;
    private final int classCount;
    private final float[] weights;
    private final int[] roots;
    /** Each tree's root in the walking layout ({@link #packed}). */
    private final int[] starts;
    /** Classification: each node's leaf class, and a single tree's leaf scores, in the walking layout. */
    private final int[] walkClasses;
    private final double[] walkScores;
    private final int[] depths;
    private final int[] groupDepths;
    private final int[] nodes;
    /** Per node: the threshold's bits, then feature (high half) and left child (low half): one cache line per step. */
    private final long[] packed;
    private final double[] thresholds;
    private final double[] values;
    private final int[] leafClasses;
    private final double[] leafScores;
    private final int[] classOrder;
    private final double[] factors;
    private final double weightSum;
    private final Model source;
    private final ThreadLocal<double[]> scratch;
    /**
     * Rows copied with one NaN after their features ({@link #BLOCK} of them): a leaf reads that NaN slot, so it
     * never moves, and holds its value where an inner node holds its threshold (one cache line per tree less).
     */
    private final ThreadLocal<double[]> padded;
    /** The 8-byte-node kernel, or null when the ensemble does not fit it (then the 16-byte arrays above are used). */
    private final RankedNodes ranked;

    private TreeEnsemble(ModelSignature signature, Combiner combiner, float[] weights, int[] roots, int[] nodes,
                         double[] thresholds, double[] values, int[] leafClasses, double[] leafScores, int[] classOrder,
                         Model source, boolean wideNodes) {
        this.signature = signature;
        this.combiner = combiner;
        this.width = signature.features().size();
        this.classCount = signature.classes().size();
        this.weights = weights;
        this.roots = roots;
        this.nodes = nodes;
        this.thresholds = thresholds;
        this.values = values;
        this.leafClasses = leafClasses;
        this.leafScores = leafScores;
        this.classOrder = classOrder;
        this.source = source;
        // The walking layout, in memory only (the payload keeps the arrays as given): each tree depth first, a
        // node's two children adjacent and placed right before the left child's subtree, so a step to the left stays
        // on the cache line or the next one. A structure that is not a forest of disjoint trees (nodes shared between
        // paths, which of() allows) keeps the given order.
        int[] at = depthFirst(roots, nodes, thresholds.length);
        int laid = 0;
        for (int x : at) {
            laid = Math.max(laid, x + 1);
        }
        this.starts = new int[roots.length];
        for (int t = 0; t < roots.length; t++) {
            starts[t] = at[roots[t]];
        }
        this.depths = new int[roots.length];
        int[] nodeDepth = new int[thresholds.length];
        for (int n = thresholds.length - 1; n >= 0; n--) {
            int left = nodes[2 * n + 1];
            nodeDepth[n] = left == n ? 0 : 1 + Math.max(nodeDepth[left], nodeDepth[left + 1]);
        }
        for (int t = 0; t < roots.length; t++) {
            depths[t] = nodeDepth[roots[t]];
        }
        this.groupDepths = new int[roots.length / LANES];
        for (int g = 0; g < groupDepths.length; g++) {
            int d = 0;
            for (int i = 0; i < LANES; i++) {
                d = Math.max(d, depths[g * LANES + i]);
            }
            groupDepths[g] = d;
        }
        // The combiners' row-independent arithmetic, done once in the combiner's own order and types.
        this.factors = new double[roots.length];
        double sum = 0.0;
        for (int t = 0; t < roots.length; t++) {
            float w = weights[t];
            sum += w;
            factors[t] = w / sum;
        }
        this.weightSum = sum;
        this.scratch = classCount == 0 ? null : ThreadLocal.withInitial(() -> new double[classCount]);
        // 8-byte nodes (thresholds as ranks) when feature and rank fit; else the 16-byte nodes below.
        this.ranked = wideNodes ? null : RankedNodes.build(width, at, laid, nodes, thresholds, values, leafClasses,
                leafScores, classCount, new RankedNodes.Shape(combiner, starts, depths, groupDepths, factors, weights,
                        classOrder, weightSum));
        if (ranked != null) {
            this.packed = null;
            this.walkClasses = null;
            this.walkScores = null;
            this.padded = null;
            return;
        }
        // Both hot arrays have a power-of-two length, and the kernels index them masked with length - 1: every index
        // is already checked (of), the mask changes none of them, and it lets the JIT drop the bounds checks.
        this.packed = new long[powerOfTwo(2 * laid)];
        this.walkClasses = leafClasses == null ? null : new int[laid];
        this.walkScores = leafScores == null ? null : new double[laid * classCount];
        for (int n = 0; n < thresholds.length; n++) {
            int m = at[n];
            if (m < 0) {
                continue;
            }
            boolean leaf = nodes[2 * n + 1] == n;
            packed[2 * m] = Double.doubleToRawLongBits(leaf && values != null ? values[n] : thresholds[n]);
            packed[2 * m + 1] = ((long) (leaf ? width : nodes[2 * n]) << 32) | (at[nodes[2 * n + 1]] & 0xffffffffL);
            if (walkClasses != null) {
                walkClasses[m] = leafClasses[n];
            }
            if (walkScores != null) {
                System.arraycopy(leafScores, n * classCount, walkScores, m * classCount, classCount);
            }
        }
        final int w1 = width + 1;
        this.padded = ThreadLocal.withInitial(() -> {
            double[] b = new double[powerOfTwo(BLOCK * w1)];
            for (int r = 0; r < BLOCK; r++) {
                b[r * w1 + w1 - 1] = Double.NaN;
            }
            return b;
        });
    }

    /** The same ensemble on the 16-byte nodes whatever its size (the fallback kernel; for tests). */
    TreeEnsemble withWideNodes() {
        return new TreeEnsemble(signature, combiner, weights, roots, nodes, thresholds, values, leafClasses, leafScores,
                classOrder, source, true);
    }

    /** @return bytes per node the walk reads: 8 (thresholds as ranks) or 16 (the fallback) */
    int nodeBytes() {
        return ranked != null ? RankedNodes.nodeBytes() : 16;
    }

    /**
     * Builds a compiled ensemble from its arrays, checking every index (the same checks as reading a
     * payload): nothing it holds can make a prediction read outside its arrays.
     *
     * @param signature   task, features (indexed by {@code nodes[2n]}) and classes (indexed by leaf classes)
     * @param combiner    how trees are combined; {@link Combiner#SINGLE} needs exactly one tree
     * @param weights     one weight per tree, finite
     * @param roots       each tree's root node
     * @param nodes       two ints per node: feature index, left child (itself for a leaf)
     * @param thresholds  one per node: go right when the feature is greater; NaN for a leaf
     * @param values      regression: one per node, the leaf's value (ignored for inner nodes); else null
     * @param leafClasses classification: one per node, the leaf's class index; else null
     * @param leafScores  single-tree classification: {@code classes} scores per node (the leaf's
     *                    distribution); else null
     * @param classOrder  classification: the class indices in the order the trainer ranks ties (first wins); else null
     * @param source      the model this was compiled from, kept in memory only (for interop), or null
     * @return the compiled ensemble
     * @throws IllegalArgumentException naming the first array entry that is out of range
     */
    public static TreeEnsemble of(ModelSignature signature, Combiner combiner, float[] weights, int[] roots, int[] nodes,
                                  double[] thresholds, double[] values, int[] leafClasses, double[] leafScores,
                                  int[] classOrder, Model source) {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(combiner, "combiner");
        boolean regression = signature.task() == Task.REGRESSION;
        int trees = roots.length;
        int n = thresholds.length;
        int k = signature.classes().size();
        int width = signature.features().size();
        check(trees >= 1 && trees <= MAX_TREES, "tree count " + trees + " is not in [1, " + MAX_TREES + "]");
        check(n >= 1 && n <= MAX_NODES, "node count " + n + " is not in [1, " + MAX_NODES + "]");
        check(weights.length == trees, weights.length + " weights for " + trees + " trees");
        check(nodes.length == 2L * n, nodes.length + " node ints for " + n + " nodes (expected 2 per node)");
        check(width >= 1, "the signature has no features");
        if (regression) {
            check(combiner != Combiner.VOTE, "a regression ensemble cannot vote");
            check(values != null && values.length == n, "regression needs one leaf value per node");
            check(leafClasses == null && leafScores == null && classOrder == null && k == 0,
                    "a regression ensemble has no classes");
        } else {
            check(combiner != Combiner.AVERAGE, "a classification ensemble cannot average");
            check(k >= 1 && k <= MAX_CLASSES, "class count " + k + " is not in [1, " + MAX_CLASSES + "]");
            check(values == null, "a classification ensemble has no leaf values");
            check(leafClasses != null && leafClasses.length == n, "classification needs one leaf class per node");
            check(classOrder != null && classOrder.length == k, "classification needs the order of its " + k + " classes");
            boolean[] seen = new boolean[k];
            for (int i = 0; i < k; i++) {
                check(classOrder[i] >= 0 && classOrder[i] < k && !seen[classOrder[i]],
                        "class order entry " + i + " (" + classOrder[i] + ") is out of range or repeated");
                seen[classOrder[i]] = true;
            }
            if (combiner == Combiner.SINGLE) {
                check(leafScores != null && leafScores.length == (long) n * k, "a single classification tree needs "
                        + k + " scores per node");
            } else {
                check(leafScores == null, "a voting ensemble has no leaf scores");
            }
        }
        check(combiner != Combiner.SINGLE || trees == 1, "a single tree combiner with " + trees + " trees");
        for (int t = 0; t < trees; t++) {
            check(Float.isFinite(weights[t]) && weights[t] > 0, "tree " + t + " has weight " + weights[t] + " (expected finite > 0)");
            check(roots[t] >= 0 && roots[t] < n, "tree " + t + " has root " + roots[t] + ", outside the " + n + " nodes");
        }
        for (int i = 0; i < n; i++) {
            int feature = nodes[2 * i];
            int left = nodes[2 * i + 1];
            check(feature >= 0 && feature < width, "node " + i + " reads feature " + feature + ", outside the " + width + " features");
            if (left == i) {
                check(Double.isNaN(thresholds[i]), "leaf " + i + " has threshold " + thresholds[i] + " (a leaf's is NaN)");
                if (!regression) {
                    check(leafClasses[i] >= 0 && leafClasses[i] < k, "leaf " + i + " has class " + leafClasses[i]
                            + ", outside the " + k + " classes");
                }
            } else {
                check(left > i, "node " + i + " has child " + left + " before it (children come after their parent; a cycle?)");
                check(left < n - 1, "node " + i + " has children " + left + " and " + (left + 1) + ", outside the " + n + " nodes");
                check(!Double.isNaN(thresholds[i]), "inner node " + i + " has a NaN threshold");
            }
        }
        return new TreeEnsemble(signature, combiner, weights.clone(), roots.clone(), nodes.clone(), thresholds.clone(),
                values == null ? null : values.clone(), leafClasses == null ? null : leafClasses.clone(),
                leafScores == null ? null : leafScores.clone(), classOrder == null ? null : classOrder.clone(), source, false);
    }

    /**
     * Each node's place in the walking layout, or -1 for a node no tree reaches; the identity when a node is reached
     * twice (shared subtrees: then the given order, already valid, is kept).
     */
    private static int[] depthFirst(int[] roots, int[] nodes, int n) {
        int[] at = new int[n];
        Arrays.fill(at, -1);
        int[] stack = new int[n + 1];
        int next = 0;
        for (int root : roots) {
            if (at[root] >= 0) {
                return identity(n);
            }
            at[root] = next++;
            int sp = 0;
            stack[sp++] = root;
            while (sp > 0) {
                int node = stack[--sp];
                int left = nodes[2 * node + 1];
                if (left == node) {
                    continue;
                }
                if (at[left] >= 0 || at[left + 1] >= 0) {
                    return identity(n);
                }
                at[left] = next++;
                at[left + 1] = next++;
                stack[sp++] = left + 1;
                stack[sp++] = left;
            }
        }
        return at;
    }

    private static int[] identity(int n) {
        int[] at = new int[n];
        for (int i = 0; i < n; i++) {
            at[i] = i;
        }
        return at;
    }

    static int powerOfTwo(int atLeast) {
        return atLeast <= 1 ? 1 : Integer.highestOneBit(atLeast - 1) << 1;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public String flavor() {
        return CompiledFlavor.NAME;
    }

    /** @return how the trees are combined */
    public Combiner combiner() {
        return combiner;
    }

    /** @return number of trees */
    public int treeCount() {
        return roots.length;
    }

    /** @return number of nodes, leaves included, over all trees */
    public int nodeCount() {
        return thresholds.length;
    }

    /** @return the deepest tree's depth (edges from root to its farthest leaf) */
    public int maxDepth() {
        int d = 0;
        for (int x : depths) {
            d = Math.max(d, x);
        }
        return d;
    }

    /** @return the model this was compiled from, while in memory (for Tribuo interop); empty once read from a bundle */
    public Optional<Model> source() {
        return Optional.ofNullable(source);
    }

    // ---- regression ----

    @Override
    public double predictValue(double[] row) {
        requireTask(Task.REGRESSION);
        requireRow(row, 0);
        if (ranked != null) {
            return ranked.predictValue(row);
        }
        final long[] p = this.packed;
        final int pm = p.length - 1;
        final double[] x = padded.get();
        final int xm = x.length - 1;
        System.arraycopy(row, 0, x, 0, width);
        if (combiner == Combiner.SINGLE) {
            return Double.longBitsToDouble(p[2 * walk(x, 0, starts[0], depths[0])]);
        }
        final double[] f = this.factors;
        double mean = 0.0;
        int t = 0;
        for (int g = 0; g < groupDepths.length; g++, t += LANES) {
            int n0 = starts[t], n1 = starts[t + 1], n2 = starts[t + 2], n3 = starts[t + 3];
            int n4 = starts[t + 4], n5 = starts[t + 5], n6 = starts[t + 6], n7 = starts[t + 7];
            for (int d = groupDepths[g]; d > 0; d--) {
                long b0 = p[(2 * n0 + 1) & pm];
                int m0 = (int) b0 + (x[(int) (b0 >>> 32) & xm] > Double.longBitsToDouble(p[(2 * n0) & pm]) ? 1 : 0);
                long b1 = p[(2 * n1 + 1) & pm];
                int m1 = (int) b1 + (x[(int) (b1 >>> 32) & xm] > Double.longBitsToDouble(p[(2 * n1) & pm]) ? 1 : 0);
                long b2 = p[(2 * n2 + 1) & pm];
                int m2 = (int) b2 + (x[(int) (b2 >>> 32) & xm] > Double.longBitsToDouble(p[(2 * n2) & pm]) ? 1 : 0);
                long b3 = p[(2 * n3 + 1) & pm];
                int m3 = (int) b3 + (x[(int) (b3 >>> 32) & xm] > Double.longBitsToDouble(p[(2 * n3) & pm]) ? 1 : 0);
                long b4 = p[(2 * n4 + 1) & pm];
                int m4 = (int) b4 + (x[(int) (b4 >>> 32) & xm] > Double.longBitsToDouble(p[(2 * n4) & pm]) ? 1 : 0);
                long b5 = p[(2 * n5 + 1) & pm];
                int m5 = (int) b5 + (x[(int) (b5 >>> 32) & xm] > Double.longBitsToDouble(p[(2 * n5) & pm]) ? 1 : 0);
                long b6 = p[(2 * n6 + 1) & pm];
                int m6 = (int) b6 + (x[(int) (b6 >>> 32) & xm] > Double.longBitsToDouble(p[(2 * n6) & pm]) ? 1 : 0);
                long b7 = p[(2 * n7 + 1) & pm];
                int m7 = (int) b7 + (x[(int) (b7 >>> 32) & xm] > Double.longBitsToDouble(p[(2 * n7) & pm]) ? 1 : 0);
                int moved = (m0 ^ n0) | (m1 ^ n1) | (m2 ^ n2) | (m3 ^ n3) | (m4 ^ n4) | (m5 ^ n5) | (m6 ^ n6) | (m7 ^ n7);
                n0 = m0; n1 = m1; n2 = m2; n3 = m3; n4 = m4; n5 = m5; n6 = m6; n7 = m7;
                if (moved == 0) {
                    break;
                }
            }
            mean += f[t] * (Double.longBitsToDouble(p[2 * n0]) - mean);
            mean += f[t + 1] * (Double.longBitsToDouble(p[2 * n1]) - mean);
            mean += f[t + 2] * (Double.longBitsToDouble(p[2 * n2]) - mean);
            mean += f[t + 3] * (Double.longBitsToDouble(p[2 * n3]) - mean);
            mean += f[t + 4] * (Double.longBitsToDouble(p[2 * n4]) - mean);
            mean += f[t + 5] * (Double.longBitsToDouble(p[2 * n5]) - mean);
            mean += f[t + 6] * (Double.longBitsToDouble(p[2 * n6]) - mean);
            mean += f[t + 7] * (Double.longBitsToDouble(p[2 * n7]) - mean);
        }
        for (; t < roots.length; t++) {
            mean += f[t] * (Double.longBitsToDouble(p[2 * walk(x, 0, starts[t], depths[t])]) - mean);
        }
        return mean;
    }

    @Override
    public void predictValues(double[] rows, int count, double[] out) {
        requireTask(Task.REGRESSION);
        requireBatch(rows, count, out.length);
        if (ranked != null) {
            ranked.predictValues(rows, count, out);
            return;
        }
        final long[] p = this.packed;
        final double[] f = this.factors;
        final int w = width;
        final int w1 = width + 1;
        final double[] buf = padded.get();
        final int pm = p.length - 1;
        final int xm = buf.length - 1;
        for (int start = 0; start < count; start += BLOCK) {
            int end = Math.min(count, start + BLOCK);
            for (int r = start; r < end; r++) {
                System.arraycopy(rows, r * w, buf, (r - start) * w1, w);
            }
            if (combiner == Combiner.SINGLE) {
                for (int r = start; r < end; r++) {
                    out[r] = Double.longBitsToDouble(p[2 * walk(buf, (r - start) * w1, starts[0], depths[0])]);
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
                        long b0 = p[(2 * n0 + 1) & pm];
                        int m0 = (int) b0 + (buf[(o + (int) (b0 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n0) & pm]) ? 1 : 0);
                        long b1 = p[(2 * n1 + 1) & pm];
                        int m1 = (int) b1 + (buf[(o + (int) (b1 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n1) & pm]) ? 1 : 0);
                        long b2 = p[(2 * n2 + 1) & pm];
                        int m2 = (int) b2 + (buf[(o + (int) (b2 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n2) & pm]) ? 1 : 0);
                        long b3 = p[(2 * n3 + 1) & pm];
                        int m3 = (int) b3 + (buf[(o + (int) (b3 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n3) & pm]) ? 1 : 0);
                        long b4 = p[(2 * n4 + 1) & pm];
                        int m4 = (int) b4 + (buf[(o + (int) (b4 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n4) & pm]) ? 1 : 0);
                        long b5 = p[(2 * n5 + 1) & pm];
                        int m5 = (int) b5 + (buf[(o + (int) (b5 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n5) & pm]) ? 1 : 0);
                        long b6 = p[(2 * n6 + 1) & pm];
                        int m6 = (int) b6 + (buf[(o + (int) (b6 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n6) & pm]) ? 1 : 0);
                        long b7 = p[(2 * n7 + 1) & pm];
                        int m7 = (int) b7 + (buf[(o + (int) (b7 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n7) & pm]) ? 1 : 0);
                        int moved = (m0 ^ n0) | (m1 ^ n1) | (m2 ^ n2) | (m3 ^ n3) | (m4 ^ n4) | (m5 ^ n5) | (m6 ^ n6) | (m7 ^ n7);
                        n0 = m0; n1 = m1; n2 = m2; n3 = m3; n4 = m4; n5 = m5; n6 = m6; n7 = m7;
                        if (moved == 0) {
                            break;
                        }
                    }
                    double mean = out[r];
                    mean += f[t] * (Double.longBitsToDouble(p[2 * n0]) - mean);
                    mean += f[t + 1] * (Double.longBitsToDouble(p[2 * n1]) - mean);
                    mean += f[t + 2] * (Double.longBitsToDouble(p[2 * n2]) - mean);
                    mean += f[t + 3] * (Double.longBitsToDouble(p[2 * n3]) - mean);
                    mean += f[t + 4] * (Double.longBitsToDouble(p[2 * n4]) - mean);
                    mean += f[t + 5] * (Double.longBitsToDouble(p[2 * n5]) - mean);
                    mean += f[t + 6] * (Double.longBitsToDouble(p[2 * n6]) - mean);
                    mean += f[t + 7] * (Double.longBitsToDouble(p[2 * n7]) - mean);
                    out[r] = mean;
                }
            }
            for (; t < roots.length; t++) {
                for (int r = start; r < end; r++) {
                    out[r] += f[t] * (Double.longBitsToDouble(p[2 * walk(buf, (r - start) * w1, starts[t], depths[t])]) - out[r]);
                }
            }
        }
    }

    // ---- classification ----

    @Override
    public int predictClass(double[] row, double[] scores) {
        requireTask(Task.CLASSIFICATION);
        requireRow(row, 0);
        double[] acc = scores;
        if (acc == null) {
            acc = scratch.get();
        } else if (acc.length < classCount) {
            throw new IllegalArgumentException("scores has " + acc.length + " places for " + classCount + " classes");
        }
        return classify(row, 0, acc, 0);
    }

    @Override
    public void predictClasses(double[] rows, int count, int[] classes, double[] scores) {
        requireTask(Task.CLASSIFICATION);
        requireBatch(rows, count, classes.length);
        if (scores != null && scores.length < (long) count * classCount) {
            throw new IllegalArgumentException("scores has " + scores.length + " places for " + count + " rows of "
                    + classCount + " classes");
        }
        double[] one = scores == null ? scratch.get() : null;
        for (int r = 0; r < count; r++) {
            classes[r] = scores == null ? classify(rows, r * width, one, 0) : classify(rows, r * width, scores, r * classCount);
        }
    }

    private int classify(double[] row, int from, double[] acc, int a) {
        if (ranked != null) {
            return ranked.classify(row, from, acc, a);
        }
        final int k = classCount;
        final double[] x = padded.get();
        System.arraycopy(row, from, x, 0, width);
        final int o = 0;
        if (combiner == Combiner.SINGLE) {
            int leaf = walk(x, o, starts[0], depths[0]);
            System.arraycopy(walkScores, leaf * k, acc, a, k);
            return walkClasses[leaf];
        }
        final long[] p = this.packed;
        final int pm = p.length - 1;
        final int xm = x.length - 1;
        final int[] cls = this.walkClasses;
        final float[] wt = this.weights;
        Arrays.fill(acc, a, a + k, 0.0);
        int t = 0;
        for (int g = 0; g < groupDepths.length; g++, t += LANES) {
            int n0 = starts[t], n1 = starts[t + 1], n2 = starts[t + 2], n3 = starts[t + 3];
            int n4 = starts[t + 4], n5 = starts[t + 5], n6 = starts[t + 6], n7 = starts[t + 7];
            for (int d = groupDepths[g]; d > 0; d--) {
                long b0 = p[(2 * n0 + 1) & pm];
                int m0 = (int) b0 + (x[(o + (int) (b0 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n0) & pm]) ? 1 : 0);
                long b1 = p[(2 * n1 + 1) & pm];
                int m1 = (int) b1 + (x[(o + (int) (b1 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n1) & pm]) ? 1 : 0);
                long b2 = p[(2 * n2 + 1) & pm];
                int m2 = (int) b2 + (x[(o + (int) (b2 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n2) & pm]) ? 1 : 0);
                long b3 = p[(2 * n3 + 1) & pm];
                int m3 = (int) b3 + (x[(o + (int) (b3 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n3) & pm]) ? 1 : 0);
                long b4 = p[(2 * n4 + 1) & pm];
                int m4 = (int) b4 + (x[(o + (int) (b4 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n4) & pm]) ? 1 : 0);
                long b5 = p[(2 * n5 + 1) & pm];
                int m5 = (int) b5 + (x[(o + (int) (b5 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n5) & pm]) ? 1 : 0);
                long b6 = p[(2 * n6 + 1) & pm];
                int m6 = (int) b6 + (x[(o + (int) (b6 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n6) & pm]) ? 1 : 0);
                long b7 = p[(2 * n7 + 1) & pm];
                int m7 = (int) b7 + (x[(o + (int) (b7 >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n7) & pm]) ? 1 : 0);
                int moved = (m0 ^ n0) | (m1 ^ n1) | (m2 ^ n2) | (m3 ^ n3) | (m4 ^ n4) | (m5 ^ n5) | (m6 ^ n6) | (m7 ^ n7);
                n0 = m0; n1 = m1; n2 = m2; n3 = m3; n4 = m4; n5 = m5; n6 = m6; n7 = m7;
                if (moved == 0) {
                    break;
                }
            }
            acc[a + cls[n0]] += wt[t];
            acc[a + cls[n1]] += wt[t + 1];
            acc[a + cls[n2]] += wt[t + 2];
            acc[a + cls[n3]] += wt[t + 3];
            acc[a + cls[n4]] += wt[t + 4];
            acc[a + cls[n5]] += wt[t + 5];
            acc[a + cls[n6]] += wt[t + 6];
            acc[a + cls[n7]] += wt[t + 7];
        }
        for (; t < roots.length; t++) {
            acc[a + cls[walk(x, o, starts[t], depths[t])]] += wt[t];
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

    private int walk(double[] x, int o, int node, int depth) {
        final long[] p = packed;
        final int pm = p.length - 1;
        final int xm = x.length - 1;
        int n = node;
        for (int d = depth; d > 0; d--) {
            long b = p[(2 * n + 1) & pm];
            int m = (int) b + (x[(o + (int) (b >>> 32)) & xm] > Double.longBitsToDouble(p[(2 * n) & pm]) ? 1 : 0);
            if (m == n) {
                break;
            }
            n = m;
        }
        return n;
    }

    private void requireTask(Task task) {
        if (signature.task() != task) {
            throw new IllegalStateException("this is a " + signature.task().name().toLowerCase(java.util.Locale.ROOT)
                    + " model; use " + (task == Task.REGRESSION ? "predictClass/predictClasses" : "predictValue/predictValues"));
        }
    }

    private void requireRow(double[] row, int offset) {
        if (row.length - offset < width) {
            throw new IllegalArgumentException("a row has " + width + " features " + signature.features() + " but "
                    + (row.length - offset) + " values were given");
        }
    }

    private void requireBatch(double[] rows, int count, int outLength) {
        if (count < 0 || rows.length < (long) count * width) {
            throw new IllegalArgumentException(count + " rows of " + width + " features need " + (long) count * width
                    + " values but " + rows.length + " were given");
        }
        if (outLength < count) {
            throw new IllegalArgumentException("the output has " + outLength + " places for " + count + " rows");
        }
    }

    @Override
    public List<Prediction> predict(Dataset features) {
        double[] rows = Rows.rowMajor(features, signature.features());
        int count = features.rowCount();
        List<Prediction> out = new ArrayList<>(count);
        if (signature.task() == Task.REGRESSION) {
            double[] v = new double[count];
            predictValues(rows, count, v);
            for (double x : v) {
                out.add(Prediction.ofValue(x));
            }
        } else {
            int[] c = new int[count];
            double[] s = new double[count * classCount];
            predictClasses(rows, count, c, s);
            for (int r = 0; r < count; r++) {
                out.add(Rows.classification(signature.classes(), c[r], s, r * classCount));
            }
        }
        return out;
    }

    // ---- for the payload ----

    float[] weights() {
        return weights;
    }

    int[] roots() {
        return roots;
    }

    int[] nodes() {
        return nodes;
    }

    double[] thresholds() {
        return thresholds;
    }

    double[] values() {
        return values;
    }

    int[] leafClasses() {
        return leafClasses;
    }

    double[] leafScores() {
        return leafScores;
    }

    int[] classOrder() {
        return classOrder;
    }

    /**
     * The share of the ensemble's splits made on each feature (split counts over all trees, summing to 1), from the
     * compiled arrays alone, so a reloaded model answers as the trained one does; features never split on are left out.
     */
    @Override
    public java.util.Map<String, Double> featureImportance() {
        int n = thresholds.length;
        long[] counts = new long[width];
        long splits = 0;
        for (int i = 0; i < n; i++) {
            if (nodes[2 * i + 1] != i) {
                counts[nodes[2 * i]]++;
                splits++;
            }
        }
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        List<String> features = signature.features();
        for (int f = 0; f < width; f++) {
            if (counts[f] > 0) {
                out.put(features.get(f), (double) counts[f] / splits);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "TreeEnsemble[" + signature.task().name().toLowerCase(java.util.Locale.ROOT) + ", " + combiner.name().toLowerCase(java.util.Locale.ROOT)
                + ", " + roots.length + " trees, " + thresholds.length + " nodes, depth " + maxDepth() + ", "
                + width + " features]";
    }
}
