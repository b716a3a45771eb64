package org.mlops4j.benchmarks.quant;

import org.mlops4j.quant.DenseNetwork.Activation;
import org.mlops4j.quant.DenseNetwork.ActivationFormat;
import org.mlops4j.quant.DenseNetwork.WeightFormat;
import org.mlops4j.quant.DenseNetwork;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Batch-1 latency of the dense engine, one thread, synthetic weights. {@code wide}: 4096 → 4096 → 4096 →
 * 4096 (ReLU, ReLU, none): 192 MiB of fp32 weights, 48 MiB int8, beyond the 32 MiB L3 ({@code wide2t}: the
 * same with rows split across both cores through {@code DenseNetwork.Builder.executor}). {@code small}:
 * 64 → 128 → 64 → 10 (ReLU, ReLU, softmax), the shape of a digits classifier, all in L1/L2.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DenseBenchmark -p model=small -p format=INT8}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DenseBenchmark {

    /** {@code wide2t}: the wide model with large layers split across two threads (an executor of one). */
    @Param({"wide", "wide2t", "small"})
    public String model;

    @Param({"FP32", "FP16", "INT8", "INT8_DYNAMIC"})
    public String format;

    private DenseNetwork net;
    private ExecutorService pool;
    private DenseNetwork.Workspace ws;
    private float[] input;
    private float[] output;

    @Setup
    public void setUp() {
        boolean wide = model.startsWith("wide");
        int[] sizes = wide ? new int[] {4096, 4096, 4096, 4096} : new int[] {64, 128, 64, 10};
        Activation last = wide ? Activation.NONE : Activation.SOFTMAX;
        DenseNetwork.Builder b = DenseNetwork.builder();
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            b.layer(QuantData.floats(40 + l, out * in, 1 / Math.sqrt(in)), out, in, QuantData.floats(50 + l, out, 0.1),
                    l + 2 == sizes.length ? last : Activation.RELU);
        }
        switch (format) {
            case "FP32" -> b.weights(WeightFormat.FP32);
            case "FP16" -> b.weights(WeightFormat.FP16);
            case "INT8" -> b.weights(WeightFormat.INT8);
            case "INT8_DYNAMIC" -> b.weights(WeightFormat.INT8).activations(ActivationFormat.INT8_DYNAMIC);
            default -> throw new IllegalArgumentException(format);
        }
        if (model.equals("wide2t")) {
            pool = Executors.newSingleThreadExecutor();
            b.executor(pool, 2);
        }
        net = b.build();
        ws = net.newWorkspace(1);
        input = QuantData.floats(60, sizes[0], 1);
        output = new float[net.outputSize()];
    }

    @TearDown
    public void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Benchmark
    public float[] predict() {
        net.predict(input, 1, output, ws);
        return output;
    }
}
