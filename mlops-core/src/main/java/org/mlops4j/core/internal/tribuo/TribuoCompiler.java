package org.mlops4j.core.internal.tribuo;

import com.google.protobuf.InvalidProtocolBufferException;
import org.mlops4j.core.Task;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.compiled.LinearModel;
import org.mlops4j.core.model.compiled.TreeEnsemble;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.ensemble.WeightedEnsembleModel;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.IndependentRegressionTreeModel;
import org.tribuo.classification.sgd.protos.ClassificationLinearSGDProto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles the Tribuo models mlops-core's trainers produce into flat {@link TreeEnsemble}s and
 * {@link LinearModel}s that predict exactly what Tribuo predicts:
 * <ul>
 *   <li>trees: Tribuo's {@code SplitNode} goes to {@code greaterThan} when {@code value > splitValue}
 *       ({@code double}s), else to {@code lessThanOrEqual}; the compiled left child is {@code lessThanOrEqual},
 *       the adjacent right one {@code greaterThan}. Nodes are laid out breadth-first per tree, trees one after
 *       another;</li>
 *   <li>ensembles: Tribuo's {@code WeightedEnsembleModel} always calls the weighted combine with its weights
 *       ({@code 1f / n} each for bagging and random forests), which the compiled model replays in the same order;</li>
 *   <li>linear: Tribuo's {@code DenseMatrix.leftMultiply} sums {@code w[i][j] * x[j]} from 0.0 over feature ids,
 *       bias last; classifiers then apply their normalizer.</li>
 * </ul>
 * Features are mapped by name from each member's own feature map to the signature's order; classes by name
 * from Tribuo's output ids (which also give the order in which ties are broken). A model of another shape is
 * left as it is ({@link #compile} returns null). Internal: not an API.
 *
 * <pre>{@code
 * Model compiled = TribuoCompiler.compile(tribuoModel);   // null: a shape it does not compile, keep the Tribuo model
 * }</pre>
 */
public final class TribuoCompiler {
    private TribuoCompiler() {
    }

    /**
     * @param model a Tribuo model trained by {@link TribuoFits} (so an ensemble is bagging or a random forest
     *              with Tribuo's averaging or voting combiner and uniform weights)
     * @return the compiled model (keeping {@code model} as its in-memory source), or null when this shape is not compiled
     */
    public static Model compile(TribuoModel model) {
        org.tribuo.Model<?> m = model.tribuoModel();
        ModelSignature sig = model.signature();
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < sig.features().size(); i++) {
            columns.put(sig.features().get(i), i);
        }
        try {
            if (m instanceof WeightedEnsembleModel<?> e) {
                return ensemble(model, e, sig, columns);
            }
            if (m instanceof IndependentRegressionTreeModel || m instanceof TreeModel<?>) {
                Layout layout = new Layout(sig);
                layout.tree(m, columns);
                return layout.build(TreeEnsemble.Combiner.SINGLE, new float[] {1f}, model, null);
            }
            if (m instanceof org.tribuo.regression.sgd.linear.LinearSGDModel r && sig.task() == Task.REGRESSION) {
                return linear(model, r.getWeightsCopy(), r.getFeatureIDMap(), null, LinearModel.Normalizer.NONE, columns);
            }
            if (m instanceof org.tribuo.classification.sgd.linear.LinearSGDModel c && sig.task() == Task.CLASSIFICATION) {
                return linear(model, c.getWeightsCopy(), c.getFeatureIDMap(), c.getOutputIDInfo(), normalizer(c), columns);
            }
        } catch (NotCompilable e) {
            return null;
        }
        return null;
    }

    private static Model ensemble(TribuoModel source, WeightedEnsembleModel<?> e, ModelSignature sig, Map<String, Integer> columns) {
        List<? extends org.tribuo.Model<?>> members = e.getModels();
        int n = members.size();
        Layout layout = new Layout(sig);
        for (org.tribuo.Model<?> member : members) {
            layout.tree(member, columns);
        }
        // WeightedEnsembleModel's uniform constructor: Util.generateUniformVector(n, 1.0f / n).
        float[] weights = new float[n];
        java.util.Arrays.fill(weights, 1.0f / n);
        TreeEnsemble.Combiner combiner = sig.task() == Task.REGRESSION ? TreeEnsemble.Combiner.AVERAGE : TreeEnsemble.Combiner.VOTE;
        @SuppressWarnings("unchecked")
        ImmutableOutputInfo<Label> info = sig.task() == Task.CLASSIFICATION ? (ImmutableOutputInfo<Label>) e.getOutputIDInfo() : null;
        return layout.build(combiner, weights, source, info);
    }

    private static LinearModel.Normalizer normalizer(org.tribuo.classification.sgd.linear.LinearSGDModel c) {
        // The normalizer is private; its class name is in the (small) protobuf of a linear model.
        ModelProto proto = c.serialize();
        try {
            String name = proto.getSerializedData().unpack(ClassificationLinearSGDProto.class).getNormalizer().getClassName();
            return switch (name) {
                case "org.tribuo.math.util.ExpNormalizer" -> LinearModel.Normalizer.SOFTMAX;
                case "org.tribuo.math.util.NoopNormalizer" -> LinearModel.Normalizer.NONE;
                default -> throw new NotCompilable();
            };
        } catch (InvalidProtocolBufferException ex) {
            throw new NotCompilable();
        }
    }

    private static Model linear(TribuoModel source, DenseMatrix w, ImmutableFeatureMap features, ImmutableOutputInfo<Label> info,
                                LinearModel.Normalizer normalizer, Map<String, Integer> columns) {
        ModelSignature sig = source.signature();
        int terms = features.size();
        if (w.getDimension2Size() != terms + 1) {
            throw new NotCompilable();
        }
        int[] cols = new int[terms];
        for (int j = 0; j < terms; j++) {
            cols[j] = column(features, j, columns);
        }
        int outputs = w.getDimension1Size();
        int[] order = null;
        int[] rowOf;
        if (sig.task() == Task.REGRESSION) {
            if (outputs != 1) {
                throw new NotCompilable();
            }
            rowOf = new int[] {0};
        } else {
            order = classOrder(info, sig);
            if (outputs != order.length) {
                throw new NotCompilable();
            }
            rowOf = new int[outputs];
            for (int id = 0; id < outputs; id++) {
                rowOf[order[id]] = id;
            }
        }
        double[] weights = new double[outputs * (terms + 1)];
        for (int c = 0; c < outputs; c++) {
            for (int j = 0; j <= terms; j++) {
                weights[c * (terms + 1) + j] = w.get(rowOf[c], j);
            }
        }
        return LinearModel.of(sig, cols, weights, normalizer, order, source);
    }

    /** For each Tribuo output id, the index of that class in the signature. */
    private static int[] classOrder(ImmutableOutputInfo<Label> info, ModelSignature sig) {
        int k = info.size();
        if (k != sig.classes().size()) {
            throw new NotCompilable();
        }
        int[] order = new int[k];
        for (int id = 0; id < k; id++) {
            int c = sig.classes().indexOf(info.getOutput(id).getLabel());
            if (c < 0) {
                throw new NotCompilable();
            }
            order[id] = c;
        }
        return order;
    }

    private static int column(ImmutableFeatureMap features, int id, Map<String, Integer> columns) {
        Integer c = columns.get(features.get(id).getName());
        if (c == null) {
            throw new NotCompilable();
        }
        return c;
    }

    /** The flat arrays, filled tree by tree, breadth-first within a tree so that siblings are adjacent. */
    private static final class Layout {
        private final ModelSignature sig;
        private final boolean regression;
        private final List<Integer> roots = new ArrayList<>();
        private int[] nodes = new int[2 * 1024];
        private double[] thresholds = new double[1024];
        private double[] values = new double[1024];
        private int[] leafClasses = new int[1024];
        private double[] leafScores;
        private int size;

        Layout(ModelSignature sig) {
            this.sig = sig;
            this.regression = sig.task() == Task.REGRESSION;
            this.leafScores = regression ? null : new double[1024 * sig.classes().size()];
        }

        private int alloc(int count) {
            int at = size;
            size += count;
            if (size > thresholds.length) {
                int cap = Math.max(size, thresholds.length * 2);
                nodes = java.util.Arrays.copyOf(nodes, 2 * cap);
                thresholds = java.util.Arrays.copyOf(thresholds, cap);
                values = java.util.Arrays.copyOf(values, cap);
                leafClasses = java.util.Arrays.copyOf(leafClasses, cap);
                if (leafScores != null) {
                    leafScores = java.util.Arrays.copyOf(leafScores, cap * sig.classes().size());
                }
            }
            return at;
        }

        void tree(org.tribuo.Model<?> tree, Map<String, Integer> columns) {
            Node<?> root;
            if (tree instanceof IndependentRegressionTreeModel r) {
                if (r.getRoots().size() != 1) {
                    throw new NotCompilable();
                }
                root = r.getRoots().values().iterator().next();
            } else if (tree instanceof TreeModel<?> t) {
                root = t.getRoot();
            } else {
                throw new NotCompilable();
            }
            ImmutableFeatureMap features = tree.getFeatureIDMap();
            int at = alloc(1);
            roots.add(at);
            ArrayDeque<Object[]> queue = new ArrayDeque<>();
            queue.add(new Object[] {root, at});
            while (!queue.isEmpty()) {
                Object[] next = queue.poll();
                Node<?> node = (Node<?>) next[0];
                int i = (Integer) next[1];
                if (node instanceof SplitNode<?> s) {
                    int left = alloc(2);
                    nodes[2 * i] = column(features, s.getFeatureID(), columns);
                    nodes[2 * i + 1] = left;
                    thresholds[i] = s.splitValue();
                    queue.add(new Object[] {s.getLessThanOrEqual(), left});
                    queue.add(new Object[] {s.getGreaterThan(), left + 1});
                } else if (node instanceof LeafNode<?> leaf) {
                    nodes[2 * i] = 0;
                    nodes[2 * i + 1] = i;
                    thresholds[i] = Double.NaN;
                    leaf(i, leaf);
                } else {
                    throw new NotCompilable();
                }
            }
        }

        private void leaf(int i, LeafNode<?> leaf) {
            Output<?> out = leaf.getOutput();
            if (regression) {
                if (!(out instanceof Regressor.DimensionTuple d)) {
                    throw new NotCompilable();
                }
                values[i] = d.getValue();
                return;
            }
            if (!(out instanceof Label label)) {
                throw new NotCompilable();
            }
            List<String> classes = sig.classes();
            int c = classes.indexOf(label.getLabel());
            if (c < 0) {
                throw new NotCompilable();
            }
            leafClasses[i] = c;
            Map<String, ?> dist = leaf.getDistribution();
            int k = classes.size();
            if (dist.size() != k) {
                throw new NotCompilable();
            }
            for (int j = 0; j < k; j++) {
                Object score = dist.get(classes.get(j));
                if (!(score instanceof Label l)) {
                    throw new NotCompilable();
                }
                leafScores[i * k + j] = l.getScore();
            }
        }

        TreeEnsemble build(TreeEnsemble.Combiner combiner, float[] weights, Model source, ImmutableOutputInfo<Label> info) {
            int[] r = roots.stream().mapToInt(Integer::intValue).toArray();
            int[] order = null;
            if (!regression) {
                if (info != null) {
                    order = classOrder(info, sig);
                } else {
                    // One tree: its leaf says the class; ties never arise.
                    order = new int[sig.classes().size()];
                    for (int c = 0; c < order.length; c++) {
                        order[c] = c;
                    }
                }
            }
            int k = sig.classes().size();
            return TreeEnsemble.of(sig, combiner, weights, r, java.util.Arrays.copyOf(nodes, 2 * size),
                    java.util.Arrays.copyOf(thresholds, size),
                    regression ? java.util.Arrays.copyOf(values, size) : null,
                    regression ? null : java.util.Arrays.copyOf(leafClasses, size),
                    !regression && combiner == TreeEnsemble.Combiner.SINGLE ? java.util.Arrays.copyOf(leafScores, size * k) : null,
                    order, source);
        }
    }

    /** This model's shape is not one the compiler handles; it stays a Tribuo model. */
    private static final class NotCompilable extends RuntimeException {
        NotCompilable() {
            super(null, null, false, false);
        }
    }
}
