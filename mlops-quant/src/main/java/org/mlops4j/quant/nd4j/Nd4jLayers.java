package org.mlops4j.quant.nd4j;

import java.util.Arrays;
import java.util.Objects;
import org.mlops4j.quant.DenseNetwork;
import org.mlops4j.quant.DenseNetwork.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adds dense layers to a {@link DenseNetwork.Builder} from ND4J arrays in DL4J's layout: a
 * {@code DenseLayer}'s "W" parameter is {@code [inputs, outputs]} and its "b" parameter {@code [1, outputs]}
 * (or {@code [outputs]}). The weights are transposed into the builder's row-major {@code [outputs][inputs]}
 * and copied; the arrays are not kept.
 *
 * <p>This is the only class of mlops-quant that names ND4J types, and nothing else in the module refers to
 * it: ND4J ({@code org.nd4j:nd4j-native} with its platform classifier, or any other ND4J backend) is an
 * optional dependency that only users of this class add. Stateless and thread-safe; the builder it fills
 * is not.
 * {@snippet :
 * INDArray w1 = Nd4j.rand(DataType.FLOAT, 64, 128);            // [inputs, outputs], as DL4J stores it
 * INDArray b1 = Nd4j.zeros(DataType.FLOAT, 1, 128);
 * INDArray w2 = Nd4j.rand(DataType.FLOAT, 128, 10);
 * INDArray b2 = Nd4j.zeros(DataType.FLOAT, 1, 10);
 * DenseNetwork.Builder builder = DenseNetwork.builder();
 * Nd4jLayers.dense(builder, w1, b1, DenseNetwork.Activation.RELU);  // 64 → 128
 * Nd4jLayers.dense(builder, w2, b2, DenseNetwork.Activation.SOFTMAX);
 * DenseNetwork net = builder.weights(DenseNetwork.WeightFormat.INT8).build();
 * }
 */
public final class Nd4jLayers {

    private Nd4jLayers() {
    }

    /**
     * Adds the layer {@code y = act(Wᵀ·x + b)} to the builder, with the checks of
     * {@link DenseNetwork.Builder#layer(float[], int, int, float[], Activation)}.
     *
     * @param builder    the builder to add to
     * @param weights    rank 2, {@code [inputs, outputs]}, finite values of any floating or integer type
     * @param bias       {@code [outputs]} or {@code [1, outputs]}, or null for no bias
     * @param activation activation after the bias
     * @return {@code builder}
     * @throws IllegalArgumentException when a shape is not the one above, or the layer does not fit the
     *                                  previous one
     */
    public static DenseNetwork.Builder dense(DenseNetwork.Builder builder, INDArray weights, INDArray bias,
            Activation activation) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(activation, "activation");
        if (weights.rank() != 2) {
            throw new IllegalArgumentException("weights must be a rank-2 INDArray [inputs, outputs] but had shape "
                    + Arrays.toString(weights.shape()));
        }
        float[][] inOut = weights.toFloatMatrix();
        int inputs = inOut.length;
        int outputs = inputs == 0 ? 0 : inOut[0].length;
        float[] rowMajor = new float[Math.multiplyExact(inputs, outputs)];
        for (int i = 0; i < inputs; i++) {
            for (int o = 0; o < outputs; o++) {
                rowMajor[o * inputs + i] = inOut[i][o];
            }
        }
        return builder.layer(rowMajor, outputs, inputs, bias == null ? null : vector(bias), activation);
    }

    private static float[] vector(INDArray bias) {
        long[] shape = bias.shape();
        long nonUnit = Arrays.stream(shape).filter(d -> d != 1).count();
        if (nonUnit > 1) {
            throw new IllegalArgumentException("bias must be a vector ([outputs] or [1, outputs]) but had shape "
                    + Arrays.toString(shape));
        }
        return bias.reshape(bias.length()).toFloatVector();
    }
}
