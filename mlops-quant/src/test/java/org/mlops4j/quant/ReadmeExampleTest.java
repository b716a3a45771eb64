package org.mlops4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The example of the README's "Quantization" section (mlops-quant/README-section.md), kept compiling and true. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleRuns() {
        // --- README example, from here ---
        Random random = new Random(42);                        // stand-in for trained weights
        float[] w1 = gaussian(random, 128 * 64, 1 / 8.0);      // [outputs][inputs], row-major
        float[] b1 = new float[128];
        float[] w2 = gaussian(random, 10 * 128, 1 / 11.3);
        float[] b2 = new float[10];

        DenseNetwork fp32 = DenseNetwork.builder()
                .layer(w1, 128, 64, b1, DenseNetwork.Activation.RELU)
                .layer(w2, 10, 128, b2, DenseNetwork.Activation.SOFTMAX)
                .build();
        DenseNetwork int8 = DenseNetwork.builder()
                .layer(w1, 128, 64, b1, DenseNetwork.Activation.RELU)
                .layer(w2, 10, 128, b2, DenseNetwork.Activation.SOFTMAX)
                .weights(DenseNetwork.WeightFormat.INT8)                   // per-channel int8 weights
                .activations(DenseNetwork.ActivationFormat.INT8_DYNAMIC)   // int8 × int8 → int32
                .build();

        float[] x = gaussian(random, 64, 1.0);
        int expected = Kernels.best().argmax(fp32.predict(x));
        int got = Kernels.best().argmax(int8.predict(x));
        System.out.println(Kernels.best() + ": fp32 says " + expected + ", int8 says " + got);
        System.out.println(int8.report().toMarkdown());            // scales, clipping, error, bytes
        System.out.println(fp32.sizeInBytes() + " → " + int8.sizeInBytes() + " bytes");
        // --- to here ---
        assertThat(got).isEqualTo(expected);
        assertThat((double) fp32.sizeInBytes() / int8.sizeInBytes()).isGreaterThan(3.5);
    }

    static float[] gaussian(Random random, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * sd);
        }
        return v;
    }
}
