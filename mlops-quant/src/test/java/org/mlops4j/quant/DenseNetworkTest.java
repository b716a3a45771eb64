package org.mlops4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlops4j.quant.DenseNetwork.Activation;
import org.mlops4j.quant.DenseNetwork.ActivationFormat;
import org.mlops4j.quant.DenseNetwork.WeightFormat;

/**
 * The dense engine against an independent fp64 reference, per weight/activation format, with the
 * tolerances documented on {@link DenseNetwork}: relative to the largest reference output.
 */
class DenseNetworkTest {

    enum Case {
        FP32(WeightFormat.FP32, ActivationFormat.FP32, 1e-5),
        FP16(WeightFormat.FP16, ActivationFormat.FP32, 1e-3),
        INT8(WeightFormat.INT8, ActivationFormat.FP32, 0.04),
        INT8_DYNAMIC(WeightFormat.INT8, ActivationFormat.INT8_DYNAMIC, 0.06);

        final WeightFormat weights;
        final ActivationFormat activations;
        final double tolerance;

        Case(WeightFormat weights, ActivationFormat activations, double tolerance) {
            this.weights = weights;
            this.activations = activations;
            this.tolerance = tolerance;
        }
    }

    /** A random network: sizes[l] → sizes[l+1], weights N(0, 1/in), biases N(0, 0.1²). */
    record Net(int[] sizes, float[][] weights, float[][] biases, Activation[] activations) {

        static Net random(long seed, Activation last, int... sizes) {
            Random r = new Random(seed);
            int layers = sizes.length - 1;
            float[][] w = new float[layers][];
            float[][] b = new float[layers][];
            Activation[] act = new Activation[layers];
            for (int l = 0; l < layers; l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                w[l] = new float[out * in];
                for (int i = 0; i < w[l].length; i++) {
                    w[l][i] = (float) (r.nextGaussian() / Math.sqrt(in));
                }
                b[l] = new float[out];
                for (int i = 0; i < out; i++) {
                    b[l][i] = (float) (r.nextGaussian() * 0.1);
                }
                act[l] = l == layers - 1 ? last : (l % 2 == 0 ? Activation.RELU : Activation.GELU);
            }
            return new Net(sizes, w, b, act);
        }

        DenseNetwork.Builder builder() {
            DenseNetwork.Builder builder = DenseNetwork.builder();
            for (int l = 0; l < weights.length; l++) {
                builder.layer(weights[l], sizes[l + 1], sizes[l], biases[l], activations[l]);
            }
            return builder;
        }

        double[] reference(float[] input) {
            double[] x = new double[input.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = input[i];
            }
            for (int l = 0; l < weights.length; l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                double[] y = new double[out];
                for (int o = 0; o < out; o++) {
                    double s = biases[l][o];
                    for (int i = 0; i < in; i++) {
                        s += (double) weights[l][o * in + i] * x[i];
                    }
                    y[o] = s;
                }
                switch (activations[l]) {
                    case NONE -> {
                    }
                    case RELU -> {
                        for (int o = 0; o < out; o++) {
                            y[o] = Math.max(0, y[o]);
                        }
                    }
                    case GELU -> {
                        for (int o = 0; o < out; o++) {
                            double v = y[o];
                            y[o] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                        }
                    }
                    case SOFTMAX -> {
                        double max = java.util.Arrays.stream(y).max().orElse(0);
                        double sum = 0;
                        for (int o = 0; o < out; o++) {
                            y[o] = Math.exp(y[o] - max);
                            sum += y[o];
                        }
                        for (int o = 0; o < out; o++) {
                            y[o] /= sum;
                        }
                    }
                }
                x = y;
            }
            return x;
        }
    }

    private static float[] input(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static double relativeError(float[] y, double[] ref) {
        double max = 0;
        double err = 0;
        for (int i = 0; i < ref.length; i++) {
            max = Math.max(max, Math.abs(ref[i]));
            err = Math.max(err, Math.abs(y[i] - ref[i]));
        }
        return err / max;
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void outputsMatchAnFp64ReferenceWithinTheDocumentedTolerance(Case c) {
        for (Kernels kernels : new Kernels[] {Kernels.best(), Kernels.scalar()}) {
            Net net = Net.random(42, Activation.NONE, 64, 128, 64, 10);
            DenseNetwork engine = net.builder().weights(c.weights).activations(c.activations).kernels(kernels).build();
            Random r = new Random(7);
            double worst = 0;
            for (int t = 0; t < 50; t++) {
                float[] x = input(r, 64);
                worst = Math.max(worst, relativeError(engine.predict(x), net.reference(x)));
            }
            assertThat(worst).as("%s on %s", c, kernels).isLessThan(c.tolerance);
        }
    }

    @Test
    void aWideNetworkStaysWithinTolerance() {
        Net net = Net.random(3, Activation.NONE, 1024, 512, 256);
        float[] x = input(new Random(5), 1024);
        double[] ref = net.reference(x);
        for (Case c : Case.values()) {
            DenseNetwork engine = net.builder().weights(c.weights).activations(c.activations).build();
            assertThat(relativeError(engine.predict(x), ref)).as(c.name()).isLessThan(c.tolerance);
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void aBatchGivesTheSameRowsAsOneAtATime(Case c) {
        Net net = Net.random(11, Activation.SOFTMAX, 33, 20, 7);
        DenseNetwork engine = net.builder().weights(c.weights).activations(c.activations).build();
        Random r = new Random(13);
        float[][] rows = new float[5][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = input(r, 33);
        }
        float[][] batch = engine.predict(rows);
        for (int i = 0; i < rows.length; i++) {
            float[] single = engine.predict(rows[i]);
            for (int j = 0; j < single.length; j++) {
                assertThat(batch[i][j]).isCloseTo(single[j], org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(batch[i]).satisfies(p -> {
                double sum = 0;
                for (float v : p) {
                    sum += v;
                }
                assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void splittingRowsAcrossThreadsChangesNothing(Case c) throws Exception {
        Net net = Net.random(17, Activation.NONE, 640, 520, 9);
        float[] x = input(new Random(19), 640);
        float[] serial = net.builder().weights(c.weights).activations(c.activations).build().predict(x);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            DenseNetwork parallel = net.builder().weights(c.weights).activations(c.activations).executor(pool, 3).build();
            assertThat(parallel.predict(x)).containsExactly(serial);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void predictingWithAWorkspaceAllocatesNothing() {
        Net net = Net.random(23, Activation.SOFTMAX, 64, 128, 64, 10);
        DenseNetwork engine = net.builder().weights(WeightFormat.INT8).activations(ActivationFormat.INT8_DYNAMIC)
                .kernels(Kernels.scalar()).build();
        DenseNetwork.Workspace ws = engine.newWorkspace(4);
        float[] in = input(new Random(29), 4 * 64);
        float[] out = new float[4 * 10];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            engine.predict(in, 1 + i % 4, out, ws);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) {
            engine.predict(in, 1 + i % 4, out, ws);
        }
        assertThat(mx.getCurrentThreadAllocatedBytes() - before).isLessThan(1000);
    }

    @Test
    void builderMistakesAreReportedWhereTheyHappen() {
        DenseNetwork.Builder b = DenseNetwork.builder().layer(new float[6], 2, 3, null, Activation.RELU);
        assertThatThrownBy(() -> b.layer(new float[8], 2, 4, null, Activation.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("layer 2 takes 4 inputs but layer 1 produces 2");
        assertThatThrownBy(() -> b.layer(new float[5], 2, 2, null, Activation.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 2 weights.length must be rows·cols = 2·2 = 4 but was 5");
        assertThatThrownBy(() -> b.layer(new float[] {1, Float.NaN, 0, 0}, 2, 2, null, Activation.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("values[1] is NaN");
        assertThatThrownBy(() -> b.int8Spec(Int8Spec.q8_0())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("symmetric PER_CHANNEL or PER_TENSOR");
        assertThatThrownBy(() -> DenseNetwork.builder().build()).isInstanceOf(IllegalStateException.class);
        DenseNetwork.Builder dyn = DenseNetwork.builder().layer(new float[1], 1, 1, null, Activation.NONE)
                .activations(ActivationFormat.INT8_DYNAMIC);
        assertThatThrownBy(dyn::build).isInstanceOf(IllegalStateException.class)
                .hasMessage("INT8_DYNAMIC activations need INT8 weights but weights are FP32");
        DenseNetwork.Builder once = DenseNetwork.builder().layer(new float[1], 1, 1, null, Activation.NONE);
        once.build();
        assertThatThrownBy(once::build).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theNetworkReportsItsWeightsAndSize() {
        Net net = Net.random(41, Activation.NONE, 64, 32);
        DenseNetwork fp32 = net.builder().build();
        DenseNetwork int8 = net.builder().weights(WeightFormat.INT8).build();
        assertThat(fp32.sizeInBytes()).isEqualTo(64 * 32 * 4 + 32 * 4);
        assertThat(int8.sizeInBytes()).isEqualTo(64 * 32 + 32 * 4 + 32 * 4);
        assertThat(int8.report().tensors()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("layer1.weight");
            assertThat(t.scales()).hasSize(32);
            assertThat(t.clipped()).isZero();
        });
        assertThat(int8.report().compression()).isGreaterThan(3.5);
        assertThat(fp32.report().tensors().get(0).mse()).isZero();
        assertThat(int8.toString()).contains("64 → 32 none", "INT8");
    }

    @Test
    void nonFiniteInputsGiveNonFiniteOutputsWithoutThrowing() {
        Net net = Net.random(43, Activation.NONE, 8, 4);
        for (Case c : Case.values()) {
            DenseNetwork engine = net.builder().weights(c.weights).activations(c.activations).build();
            float[] x = new float[8];
            x[3] = Float.NaN;
            for (float y : engine.predict(x)) {
                assertThat(Float.isFinite(y)).as(c.name()).isFalse();
            }
        }
    }
}
