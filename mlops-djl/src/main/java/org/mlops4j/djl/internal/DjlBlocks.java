package org.mlops4j.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import org.mlops4j.djl.Mlp;
import org.mlops4j.djl.MlpNetwork;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the DJL block of an MLP and moves weights between it and {@link MlpNetwork}. Internal: not an API.
 *
 * <pre>{@code
 * SequentialBlock block = DjlBlocks.block(List.of(13, 64, 64, 1), Mlp.Activation.RELU);
 * DjlBlocks.load(block, network);                       // after block.initialize(...)
 * List<MlpNetwork.Layer> layers = DjlBlocks.layers(block);
 * }</pre>
 */
public final class DjlBlocks {
    private DjlBlocks() {
    }

    /**
     * @param widths     output width of every layer, the last one the output layer
     * @param activation hidden activation
     * @return the uninitialized block: Linear, activation, …, Linear (logits or the standardized value)
     */
    public static SequentialBlock block(List<Integer> widths, Mlp.Activation activation) {
        SequentialBlock b = new SequentialBlock();
        for (int i = 0; i < widths.size(); i++) {
            b.add(Linear.builder().setUnits(widths.get(i)).optBias(true).build());
            if (i < widths.size() - 1) {
                b.add(switch (activation) {
                    case RELU -> Activation.reluBlock();
                    case GELU -> Activation.geluBlock();
                    case TANH -> Activation.tanhBlock();
                });
            }
        }
        return b;
    }

    /**
     * @param block an initialized block made by {@link #block}
     * @return its weight and bias parameters, layer by layer: [w1, b1, w2, b2, …]
     */
    public static List<Parameter> parameters(Block block) {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            if (child.getValue() instanceof Linear linear) {
                out.add(linear.getParameters().get("weight"));
                out.add(linear.getParameters().get("bias"));
            }
        }
        return out;
    }

    /**
     * @param block   an initialized block made by {@link #block}
     * @param network weights to copy in
     */
    public static void load(Block block, MlpNetwork network) {
        List<Parameter> params = parameters(block);
        for (int i = 0; i < network.layers().size(); i++) {
            MlpNetwork.Layer l = network.layers().get(i);
            params.get(2 * i).getArray().set(FloatBuffer.wrap(l.weights()));
            params.get(2 * i + 1).getArray().set(FloatBuffer.wrap(l.bias()));
        }
    }

    /**
     * @param block an initialized block made by {@link #block}
     * @return every layer's weights and bias as arrays
     */
    public static List<MlpNetwork.Layer> layers(Block block) {
        List<Parameter> params = parameters(block);
        List<MlpNetwork.Layer> layers = new ArrayList<>();
        for (int i = 0; i < params.size(); i += 2) {
            NDArray w = params.get(i).getArray();
            Shape s = w.getShape();
            layers.add(new MlpNetwork.Layer((int) s.get(1), (int) s.get(0), w.toFloatArray(), params.get(i + 1).getArray().toFloatArray()));
        }
        return layers;
    }

    /**
     * @param manager owns the parameters
     * @param network the network to hold
     * @return an initialized block with the network's weights
     */
    public static SequentialBlock of(NDManager manager, MlpNetwork network) {
        List<Integer> widths = network.layers().stream().map(MlpNetwork.Layer::outputs).toList();
        SequentialBlock b = block(widths, network.activation());
        b.initialize(manager, DataType.FLOAT32, new Shape(1, network.inputs()));
        load(b, network);
        return b;
    }
}
