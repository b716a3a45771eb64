package org.mlops4j.quant.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mlops4j.quant.DenseNetwork;
import org.mlops4j.quant.DenseNetwork.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J arrays in DL4J's layout give the same network as the equivalent plain row-major arrays. */
class Nd4jLayersTest {

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** [out][in] row-major → DL4J's [in][out]. */
    private static float[][] dl4jLayout(float[] rowMajor, int out, int in) {
        float[][] inOut = new float[in][out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                inOut[i][o] = rowMajor[o * in + i];
            }
        }
        return inOut;
    }

    @Test
    void layersComeFromNd4jArraysInTheDl4jLayout() {
        Random random = new Random(31);
        float[] w1 = gaussian(random, 4 * 6);   // [out=4][in=6]
        float[] b1 = gaussian(random, 4);
        float[] w2 = gaussian(random, 3 * 4);   // [out=3][in=4]
        float[] b2 = gaussian(random, 3);

        DenseNetwork.Builder builder = DenseNetwork.builder();
        Nd4jLayers.dense(builder, Nd4j.create(dl4jLayout(w1, 4, 6)), Nd4j.create(b1, new long[] {1, 4}, 'c'),
                Activation.RELU);
        assertThat(Nd4jLayers.dense(builder, Nd4j.create(dl4jLayout(w2, 3, 4)), Nd4j.create(b2, new long[] {3}, 'c'),
                Activation.SOFTMAX)).isSameAs(builder);
        DenseNetwork fromNd4j = builder.build();
        DenseNetwork fromArrays = DenseNetwork.builder()
                .layer(w1, 4, 6, b1, Activation.RELU)
                .layer(w2, 3, 4, b2, Activation.SOFTMAX)
                .build();

        float[] x = gaussian(new Random(37), 6);
        assertThat(fromNd4j.predict(x)).containsExactly(fromArrays.predict(x));
        assertThat(fromNd4j.inputSize()).isEqualTo(6);
        assertThat(fromNd4j.outputSize()).isEqualTo(3);
    }

    @Test
    void otherNumericTypesAndAMissingBiasAreAccepted() {
        INDArray w = Nd4j.create(new double[][] {{1, 2}, {3, 4}, {5, 6}}); // [in=3][out=2], doubles
        DenseNetwork net = Nd4jLayers.dense(DenseNetwork.builder(), w, null, Activation.NONE).build();
        assertThat(net.predict(new float[] {1, 1, 1})).containsExactly(9f, 12f);
        INDArray ints = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {3, 2}, 'c').castTo(DataType.INT);
        assertThat(Nd4jLayers.dense(DenseNetwork.builder(), ints, null, Activation.NONE).build()
                .predict(new float[] {1, 0, 0})).containsExactly(1f, 2f);
    }

    @Test
    void shapesOtherThanDl4jsAreRejectedNamingTheShape() {
        assertThatThrownBy(() -> Nd4jLayers.dense(DenseNetwork.builder(),
                Nd4j.create(new float[] {1, 2, 3}, new long[] {3}, 'c'), null, Activation.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weights must be a rank-2 INDArray [inputs, outputs] but had shape [3]");
        INDArray w = Nd4j.create(new float[6], new long[] {3, 2}, 'c');
        assertThatThrownBy(() -> Nd4jLayers.dense(DenseNetwork.builder(), w,
                Nd4j.create(new float[4], new long[] {2, 2}, 'c'), Activation.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bias must be a vector ([outputs] or [1, outputs]) but had shape [2, 2]");
        assertThatThrownBy(() -> Nd4jLayers.dense(DenseNetwork.builder(), w,
                Nd4j.create(new float[3], new long[] {3}, 'c'), Activation.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 1: bias must have 2 values but had 3");
    }
}
