package org.mlops4j.djl.internal;

import ai.onnx.proto.OnnxMl.ModelProto;
import org.mlops4j.core.Task;
import org.mlops4j.core.internal.tribuo.TribuoModel;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.ONNXExportable;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.IndependentRegressionTreeModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX from Tribuo models: linear models through Tribuo's own exporter; single CART trees and forests
 * (bagging, random forests; Tribuo cannot export trees) by walking Tribuo's tree nodes into ONNX-ML
 * TreeEnsemble operators. The trees are read from Tribuo's own node objects; once mlops-core compiles
 * forests into flat arrays (issue 11), the same {@link OnnxGraphs.Trees} can be filled from that compiled form
 * instead. Internal: not an API.
 *
 * <pre>{@code
 * TribuoOnnx.Export e = TribuoOnnx.export(tribuoModel);
 * Files.write(dir.resolve("model.onnx"), e.proto().toByteArray());
 * }</pre>
 */
public final class TribuoOnnx {
    private TribuoOnnx() {
    }

    /**
     * A graph and how to read it.
     *
     * @param proto         the model
     * @param inputOrder    columns in input order
     * @param inputType     float or double
     * @param outputName    the output to read
     * @param outputClasses class per output column
     * @param producer      what made it
     */
    public record Export(ModelProto proto, List<String> inputOrder, String inputType, String outputName, List<String> outputClasses,
                         String producer) {
    }

    /**
     * @param model a Tribuo model wrapped by mlops-core
     * @return its graph
     * @throws IllegalArgumentException when neither Tribuo nor mlops4j can export that kind of model
     */
    public static Export export(TribuoModel model) {
        org.tribuo.Model<?> m = model.tribuoModel();
        Task task = model.signature().task();
        List<String> features = model.signature().features();
        List<String> classes = model.signature().classes();
        if (m instanceof EnsembleModel<?> e && allTrees(e)) {
            return trees(e.getModels(), task, features, classes, "mlops4j tribuo forest of " + e.getNumModels() + " trees", true);
        }
        if (m instanceof TreeModel<?> t) {
            return trees(List.of(t), task, features, classes, "mlops4j tribuo tree", false);
        }
        if (m instanceof ONNXExportable x) {
            ModelProto proto = x.exportONNXModel("org.mlops4j", 1);
            ImmutableFeatureMap fm = m.getFeatureIDMap();
            List<String> order = new ArrayList<>();
            for (int i = 0; i < fm.size(); i++) {
                order.add(fm.get(i).getName());
            }
            List<String> outputs = new ArrayList<>();
            if (task == Task.CLASSIFICATION) {
                ImmutableOutputInfo<?> info = m.getOutputIDInfo();
                for (int i = 0; i < info.size(); i++) {
                    outputs.add(((Label) info.getOutput(i)).getLabel());
                }
            }
            String out = proto.getGraph().getOutput(0).getName();
            return new Export(proto, order, "float", out, outputs, "tribuo " + m.getClass().getSimpleName());
        }
        throw new IllegalArgumentException("mlops4j cannot export a " + m.getClass().getSimpleName() + " to ONNX; it exports Tribuo"
                + " linear models, CART trees and forests of them");
    }

    private static boolean allTrees(EnsembleModel<?> e) {
        for (org.tribuo.Model<?> member : e.getModels()) {
            if (!(member instanceof TreeModel<?>)) {
                return false;
            }
        }
        return !e.getModels().isEmpty();
    }

    private static Export trees(List<? extends org.tribuo.Model<?>> members, Task task, List<String> features, List<String> classes,
                                String producer, boolean vote) {
        OnnxGraphs.Trees trees = new OnnxGraphs.Trees();
        int count = members.size();
        for (int t = 0; t < count; t++) {
            TreeModel<?> tree = (TreeModel<?>) members.get(t);
            Node<?> root;
            if (tree instanceof IndependentRegressionTreeModel ir) {
                Map<String, Node<Regressor>> roots = ir.getRoots();
                if (roots.size() != 1) {
                    throw new IllegalArgumentException("mlops4j exports single-output regression trees; this one has " + roots.size() + " outputs");
                }
                root = roots.values().iterator().next();
            } else {
                root = tree.getRoot();
            }
            walk(trees, t, root, new long[] {0}, tree.getFeatureIDMap(), features, task, classes, count, vote);
        }
        ModelProto proto = task == Task.REGRESSION ? OnnxGraphs.treeRegressor(trees, features.size())
                : OnnxGraphs.treeClassifier(trees, features.size(), classes);
        return new Export(proto, features, "double", task == Task.REGRESSION ? "value" : "probabilities",
                task == Task.REGRESSION ? List.of() : classes, producer);
    }

    private static long walk(OnnxGraphs.Trees trees, int tree, Node<?> node, long[] next, ImmutableFeatureMap fm, List<String> features,
                             Task task, List<String> classes, int count, boolean vote) {
        long id = next[0]++;
        if (node instanceof SplitNode<?> s) {
            String name = fm.get(s.getFeatureID()).getName();
            int column = features.indexOf(name);
            if (column < 0) {
                throw new IllegalArgumentException("tree " + tree + " splits on '" + name + "', which is not a model feature");
            }
            // pre-order ids: the split is written first, its children's ids are filled in once known
            int at = trees.treeIds.size();
            trees.split(tree, id, column, s.splitValue(), -1, -1);
            long le = walk(trees, tree, s.getLessThanOrEqual(), next, fm, features, task, classes, count, vote);
            long gt = walk(trees, tree, s.getGreaterThan(), next, fm, features, task, classes, count, vote);
            trees.trueIds.set(at, le);
            trees.falseIds.set(at, gt);
            return id;
        }
        LeafNode<?> leaf = (LeafNode<?>) node;
        Output<?> out = leaf.getOutput();
        if (task == Task.REGRESSION) {
            trees.leaf(tree, id, new double[] {((Regressor) out).getValues()[0] / count});
        } else {
            double[] w = new double[classes.size()];
            if (vote) {
                w[classes.indexOf(((Label) out).getLabel())] = 1.0 / count;
            } else {
                Map<String, ?> dist = leaf.getDistribution();
                double sum = 0;
                for (Object v : dist.values()) {
                    sum += ((Label) v).getScore();
                }
                for (Map.Entry<String, ?> e : dist.entrySet()) {
                    int k = classes.indexOf(e.getKey());
                    if (k >= 0) {
                        w[k] = ((Label) e.getValue()).getScore() / sum;
                    }
                }
            }
            trees.leaf(tree, id, w);
        }
        return id;
    }
}
