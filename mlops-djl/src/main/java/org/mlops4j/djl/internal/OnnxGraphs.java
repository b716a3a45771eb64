package org.mlops4j.djl.internal;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import org.mlops4j.core.Task;
import org.mlops4j.djl.MlpNetwork;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes ONNX graphs with the ONNX protobuf classes: an MLP (Sub, Div, Gemm, Relu/Tanh/Erf-GELU, Softmax)
 * and tree ensembles (ONNX-ML {@code TreeEnsembleRegressor} / {@code TreeEnsembleClassifier}, opset 3,
 * double thresholds and double input so splits compare exactly as Tribuo's do). Internal: not an API.
 *
 * <pre>{@code
 * OnnxGraphs.Trees trees = new OnnxGraphs.Trees();
 * trees.split(0, 0, 2, 6.5, 1, 2);                     // tree 0: x[2] <= 6.5 ? node 1 : node 2
 * trees.leaf(0, 1, new double[] {21.0});
 * trees.leaf(0, 2, new double[] {34.0});
 * ModelProto onnx = OnnxGraphs.treeRegressor(trees, 13);
 * }</pre>
 */
public final class OnnxGraphs {
    /** IR version written (ONNX 1.10+; ORT 1.21 reads up to 10). */
    public static final long IR_VERSION = 8;
    /** Default-domain opset written. */
    public static final long OPSET = 17;
    /** ai.onnx.ml opset written. */
    public static final long ML_OPSET = 3;
    /** ONNX element types. */
    public static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    /** ONNX element types. */
    public static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;

    private OnnxGraphs() {
    }

    /**
     * @param graph the graph
     * @param ml    whether it uses the ai.onnx.ml domain
     * @return a model around it
     */
    public static ModelProto model(GraphProto graph, boolean ml) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("mlops4j").setProducerVersion("0.1")
                .setDomain("org.mlops4j").setModelVersion(1)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        if (ml) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(ML_OPSET));
        }
        return m.setGraph(graph).build();
    }

    /**
     * @param name     value name
     * @param elemType element type
     * @param dims     dimensions; a negative one is the symbolic batch dimension {@code N}
     * @return the value info
     */
    public static ValueInfoProto value(String name, int elemType, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    /**
     * @param name   initializer name
     * @param values float values
     * @param dims   shape
     * @return a float tensor with raw little-endian data
     */
    public static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /**
     * @param name   attribute or initializer name
     * @param values double values
     * @return a 1-d double tensor
     */
    public static TensorProto doubles(String name, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return TensorProto.newBuilder().setName(name).setDataType(DOUBLE).addDims(values.length).setRawData(ByteString.copyFrom(b.array())).build();
    }

    static NodeProto node(String op, String name, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        return n.build();
    }

    static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto floatAttr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto stringAttr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(v, StandardCharsets.UTF_8)).build();
    }

    static AttributeProto ints(String name, long[] v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    static AttributeProto strings(String name, List<String> v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
        for (String x : v) {
            a.addStrings(ByteString.copyFrom(x, StandardCharsets.UTF_8));
        }
        return a.build();
    }

    static AttributeProto tensorAttr(String name, TensorProto t) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }

    /**
     * The MLP as a graph: input {@code input} float [N, features], output {@code probabilities} [N, classes]
     * (softmax) or {@code value} [N, 1] in the target's units.
     *
     * @param n the network
     * @return the model
     */
    public static ModelProto mlp(MlpNetwork n) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("mlops4j-mlp");
        g.addInput(value("input", FLOAT, -1, n.inputs()));
        g.addInitializer(floats("input_mean", n.inputMean(), n.inputs()));
        g.addInitializer(floats("input_scale", n.inputScale(), n.inputs()));
        g.addNode(node("Sub", "centre", List.of("input", "input_mean"), List.of("centred")));
        g.addNode(node("Div", "standardize", List.of("centred", "input_scale"), List.of("h0")));
        String h = "h0";
        for (int i = 0; i < n.layers().size(); i++) {
            MlpNetwork.Layer l = n.layers().get(i);
            String w = "layer" + (i + 1) + ".weight";
            String b = "layer" + (i + 1) + ".bias";
            g.addInitializer(floats(w, l.weights(), l.outputs(), l.inputs()));
            g.addInitializer(floats(b, l.bias(), l.outputs()));
            String z = "z" + (i + 1);
            g.addNode(node("Gemm", "dense" + (i + 1), List.of(h, w, b), List.of(z), intAttr("transB", 1)));
            if (i == n.layers().size() - 1) {
                h = z;
                break;
            }
            String a = "h" + (i + 1);
            switch (n.activation()) {
                case RELU -> g.addNode(node("Relu", "relu" + (i + 1), List.of(z), List.of(a)));
                case TANH -> g.addNode(node("Tanh", "tanh" + (i + 1), List.of(z), List.of(a)));
                case GELU -> {
                    // 0.5 · x · (1 + erf(x / √2)), exactly as PyTorch's default GELU
                    if (g.getInitializerList().stream().noneMatch(t -> t.getName().equals("sqrt2"))) {
                        g.addInitializer(floats("sqrt2", new float[] {(float) Math.sqrt(2)}));
                        g.addInitializer(floats("one", new float[] {1f}));
                        g.addInitializer(floats("half", new float[] {0.5f}));
                    }
                    String p = "gelu" + (i + 1);
                    g.addNode(node("Div", p + ".div", List.of(z, "sqrt2"), List.of(p + ".d")));
                    g.addNode(node("Erf", p + ".erf", List.of(p + ".d"), List.of(p + ".e")));
                    g.addNode(node("Add", p + ".add", List.of(p + ".e", "one"), List.of(p + ".a")));
                    g.addNode(node("Mul", p + ".mul", List.of(z, p + ".a"), List.of(p + ".m")));
                    g.addNode(node("Mul", p + ".half", List.of(p + ".m", "half"), List.of(a)));
                }
            }
            h = a;
        }
        if (n.task() == Task.CLASSIFICATION) {
            g.addNode(node("Softmax", "softmax", List.of(h), List.of("probabilities"), intAttr("axis", 1)));
            g.addOutput(value("probabilities", FLOAT, -1, n.outputs()));
        } else {
            g.addInitializer(floats("target_scale", new float[] {(float) n.targetScale()}));
            g.addInitializer(floats("target_mean", new float[] {(float) n.targetMean()}));
            g.addNode(node("Mul", "unscale", List.of(h, "target_scale"), List.of("scaled")));
            g.addNode(node("Add", "unshift", List.of("scaled", "target_mean"), List.of("value")));
            g.addOutput(value("value", FLOAT, -1, 1));
        }
        return model(g.build(), false);
    }

    /** The flattened nodes of a tree ensemble, as the ONNX-ML operators want them. */
    public static final class Trees {
        final java.util.List<Long> treeIds = new java.util.ArrayList<>();
        final java.util.List<Long> nodeIds = new java.util.ArrayList<>();
        final java.util.List<Long> featureIds = new java.util.ArrayList<>();
        final java.util.List<String> modes = new java.util.ArrayList<>();
        final java.util.List<Double> values = new java.util.ArrayList<>();
        final java.util.List<Long> trueIds = new java.util.ArrayList<>();
        final java.util.List<Long> falseIds = new java.util.ArrayList<>();
        final java.util.List<Long> targetTree = new java.util.ArrayList<>();
        final java.util.List<Long> targetNode = new java.util.ArrayList<>();
        final java.util.List<Long> targetId = new java.util.ArrayList<>();
        final java.util.List<Double> targetWeight = new java.util.ArrayList<>();

        /** A new, empty ensemble. */
        public Trees() {
        }

        /**
         * A split: go to {@code lessOrEqual} when x[feature] ≤ threshold, else to {@code greater}.
         *
         * @param tree        tree id
         * @param node        node id within the tree
         * @param feature     input column
         * @param threshold   split value
         * @param lessOrEqual node id taken when x ≤ threshold
         * @param greater     node id taken otherwise
         */
        public void split(long tree, long node, long feature, double threshold, long lessOrEqual, long greater) {
            add(tree, node, feature, "BRANCH_LEQ", threshold, lessOrEqual, greater);
        }

        /**
         * A leaf with its weights per output.
         *
         * @param tree    tree id
         * @param node    node id
         * @param weights weight per target/class (zeros are left out)
         */
        public void leaf(long tree, long node, double[] weights) {
            add(tree, node, 0, "LEAF", 0, 0, 0);
            for (int k = 0; k < weights.length; k++) {
                if (weights[k] != 0 || weights.length == 1) {
                    targetTree.add(tree);
                    targetNode.add(node);
                    targetId.add((long) k);
                    targetWeight.add(weights[k]);
                }
            }
        }

        private void add(long tree, long node, long feature, String mode, double value, long t, long f) {
            treeIds.add(tree);
            nodeIds.add(node);
            featureIds.add(feature);
            modes.add(mode);
            values.add(value);
            trueIds.add(t);
            falseIds.add(f);
        }
    }

    private static long[] longs(List<Long> l) {
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    private static double[] dbl(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * @param trees    the flattened ensemble (leaf weights already divided by the tree count for an average)
     * @param features input width
     * @return a TreeEnsembleRegressor model: input {@code input} double [N, features], output {@code value} float [N, 1]
     */
    public static ModelProto treeRegressor(Trees trees, int features) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("mlops4j-tree-ensemble");
        g.addInput(value("input", DOUBLE, -1, features));
        g.addNode(NodeProto.newBuilder().setOpType("TreeEnsembleRegressor").setDomain("ai.onnx.ml").setName("trees")
                .addInput("input").addOutput("value")
                .addAttribute(intAttr("n_targets", 1))
                .addAttribute(stringAttr("aggregate_function", "SUM"))
                .addAttribute(stringAttr("post_transform", "NONE"))
                .addAllAttribute(common(trees, "target"))
                .build());
        g.addOutput(value("value", FLOAT, -1, 1));
        return model(g.build(), true);
    }

    /**
     * @param trees    the flattened ensemble (leaf weights: vote share per class)
     * @param features input width
     * @param classes  class names in output order
     * @return a TreeEnsembleClassifier model: input {@code input} double [N, features], outputs {@code label}
     *     (int64) and {@code probabilities} float [N, classes]
     */
    public static ModelProto treeClassifier(Trees trees, int features, List<String> classes) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("mlops4j-tree-ensemble");
        g.addInput(value("input", DOUBLE, -1, features));
        long[] labels = new long[classes.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i;
        }
        g.addNode(NodeProto.newBuilder().setOpType("TreeEnsembleClassifier").setDomain("ai.onnx.ml").setName("trees")
                .addInput("input").addOutput("label").addOutput("probabilities")
                .addAttribute(ints("classlabels_int64s", labels))
                .addAttribute(stringAttr("post_transform", "NONE"))
                .addAllAttribute(common(trees, "class"))
                .build());
        g.addOutput(value("label", TensorProto.DataType.INT64_VALUE, -1));
        g.addOutput(value("probabilities", FLOAT, -1, classes.size()));
        return model(g.build(), true);
    }

    private static List<AttributeProto> common(Trees t, String prefix) {
        return List.of(
                ints("nodes_treeids", longs(t.treeIds)),
                ints("nodes_nodeids", longs(t.nodeIds)),
                ints("nodes_featureids", longs(t.featureIds)),
                strings("nodes_modes", t.modes),
                tensorAttr("nodes_values_as_tensor", doubles("nodes_values_as_tensor", dbl(t.values))),
                ints("nodes_truenodeids", longs(t.trueIds)),
                ints("nodes_falsenodeids", longs(t.falseIds)),
                ints(prefix + "_treeids", longs(t.targetTree)),
                ints(prefix + "_nodeids", longs(t.targetNode)),
                ints(prefix + "_ids", longs(t.targetId)),
                tensorAttr(prefix + "_weights_as_tensor", doubles(prefix + "_weights_as_tensor", dbl(t.targetWeight))));
    }
}
