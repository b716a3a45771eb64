package org.mlops4j.benchmarks.deep;

import org.mlops4j.core.Task;
import org.mlops4j.djl.Mlp;
import org.mlops4j.djl.MlpNetwork;
import org.mlops4j.djl.Quantize;
import org.mlops4j.djl.QuantizedDenseModel;
import org.mlops4j.quant.DenseNetwork;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Does the single-row dense engine's time depend on where its buffers land? The same 64 → 256 → 10 network
 * (seeded random weights) called directly, with the input, output and workspace arrays allocated after a
 * {@code pad}-byte spacer, which moves their start relative to 64-byte cache lines. A spread across {@code pad}
 * would be a cost that differs between two paths running the same engine on different buffers.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DeepLayoutBenchmark -p scheme=int8 -p pad=0,16}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DeepLayoutBenchmark {

    /** Storage scheme. */
    @Param({"fp32", "int8"})
    public String scheme;

    /** Bytes of the spacer allocated before the buffers. */
    @Param({"0", "16", "32", "48"})
    public int pad;

    private DenseNetwork dense;
    private DenseNetwork.Workspace workspace;
    private float[] x;
    private float[] out;
    private byte[] spacer;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        List<String> features = new ArrayList<>();
        for (int c = 0; c < 64; c++) {
            features.add("p" + c);
        }
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            labels.add(Integer.toString(c));
        }
        float[] mean = new float[64];
        float[] scale = new float[64];
        java.util.Arrays.fill(scale, 1f);
        MlpNetwork net = new MlpNetwork(Task.CLASSIFICATION, features, labels, Mlp.Activation.RELU, mean, scale,
                List.of(layer(rnd, 64, 256), layer(rnd, 256, 10)), 0, 1);
        Quantize.Scheme s = scheme.equals("fp32") ? Quantize.Scheme.FP32 : Quantize.Scheme.INT8;
        dense = QuantizedDenseModel.of(net, s, null).dense();
        spacer = new byte[pad];
        x = new float[64];
        for (int c = 0; c < 64; c++) {
            x[c] = (float) rnd.nextDouble(-2, 2);
        }
        out = new float[10];
        workspace = dense.newWorkspace(64);
    }

    private static MlpNetwork.Layer layer(SplittableRandom rnd, int in, int out) {
        float[] w = new float[in * out];
        double bound = Math.sqrt(6.0 / in);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextDouble(-bound, bound);
        }
        return new MlpNetwork.Layer(in, out, w, new float[out]);
    }

    /** The engine on one row. */
    @Benchmark
    public float[] engine() {
        dense.predict(x, 1, out, workspace);
        return out;
    }
}
