package org.mlops4j.benchmarks.deep;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.ModelInputs;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.djl.Mlp;
import org.mlops4j.djl.MlpNetwork;
import org.mlops4j.djl.Onnx;
import org.mlops4j.djl.Quantize;
import org.mlops4j.djl.QuantizedDenseModel;
import org.mlops4j.djl.internal.Rows;
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
 * Where the fixed per-call cost of a single-row {@code predictClasses} on the {@code quantized-dense} flavor goes:
 * the same 64 → 256 → 10 shape as {@link DeepModelsBenchmark}'s digits MLP, with seeded random weights (no
 * PyTorch training in the setup, so a fork starts in a second), measured as layers — the engine on ready floats,
 * the model's {@code predictClasses} (standardization, engine, arg-max and scores), the registry's
 * {@code Predictor.predictClasses} (input checks, result array, model) — and the pieces on their own:
 * the standardization as the model does it, and a copy of the predictor's range check. Run with
 * {@code -prof gc} to see allocation per call.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DeepOverheadBenchmark -p scheme=int8 -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
public class DeepOverheadBenchmark {

    /** Storage scheme: fp32 or int8 (per-channel weights, fp32 activations). */
    @Param({"fp32", "int8"})
    public String scheme;

    private QuantizedDenseModel model;
    private Predictor predictor;
    private DenseNetwork.Workspace workspace;
    private double[] row;
    private float[] standardized;
    private float[] out;
    private float[] buffer;
    private double[] scores;
    private int[] classes;
    private float[] mean;
    private float[] scale;
    private double[] low;
    private double[] high;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        int in = 64;
        int hidden = 256;
        int k = 10;
        List<String> features = new ArrayList<>();
        for (int c = 0; c < in; c++) {
            features.add("p" + c);
        }
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            labels.add(Integer.toString(c));
        }
        mean = new float[in];
        scale = new float[in];
        for (int c = 0; c < in; c++) {
            mean[c] = (float) rnd.nextDouble(0, 8);
            scale[c] = (float) rnd.nextDouble(1, 6);
        }
        MlpNetwork net = new MlpNetwork(Task.CLASSIFICATION, features, labels, Mlp.Activation.RELU, mean, scale,
                List.of(layer(rnd, in, hidden), layer(rnd, hidden, k)), 0, 1);
        // every scheme built and registered, as in DeepModelsBenchmark (the JIT sees the same mix of kernels)
        ModelRegistry registry = ModelRegistry.inMemory();
        Dataset sample = sample(rnd, features, 200);
        for (Quantize.Scheme s : Quantize.Scheme.values()) {
            QuantizedDenseModel q = QuantizedDenseModel.of(net, s, null);
            registry.register(s.label(), Onnx.bundle(q, sample, "digit"));
            if (s.label().equals(scheme)) {
                model = q;
            }
        }
        predictor = registry.predictor(scheme);
        workspace = model.dense().newWorkspace(64);
        row = new double[in];
        for (int c = 0; c < in; c++) {
            row[c] = Math.floor(rnd.nextDouble(0, 16));
        }
        standardized = new float[in];
        Rows.standardize(row, 0, 1, mean, scale, standardized);
        buffer = new float[in];
        out = new float[k];
        scores = new double[k];
        classes = new int[1];
        low = new double[in];
        high = new double[in];
        java.util.Arrays.fill(low, -Double.MAX_VALUE);
        java.util.Arrays.fill(high, Double.MAX_VALUE);
        model.dense().predict(standardized, 1, out, workspace);   // softmax output for classify()
    }

    private static MlpNetwork.Layer layer(SplittableRandom rnd, int in, int out) {
        float[] w = new float[in * out];
        double bound = Math.sqrt(6.0 / in);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextDouble(-bound, bound);
        }
        float[] b = new float[out];
        for (int i = 0; i < out; i++) {
            b[i] = (float) rnd.nextDouble(-0.1, 0.1);
        }
        return new MlpNetwork.Layer(in, out, w, b);
    }

    private static Dataset sample(SplittableRandom rnd, List<String> features, int n) {
        double[] v = new double[n * features.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.floor(rnd.nextDouble(0, 17));
        }
        return ModelInputs.rowsAsDataset("sample", features, v, n);
    }

    /** The engine on ready standardized floats (what DeepModelsBenchmark.engineDense* measures). */
    @Benchmark
    public float[] engine() {
        model.dense().predict(standardized, 1, out, workspace);
        return out;
    }

    /** The model's array entry point: standardize, engine, arg-max and scores. */
    @Benchmark
    public int[] model() {
        model.predictClasses(row, 1, classes, scores);
        return classes;
    }

    /** The registry's predictor: its input checks and result array, then the model. */
    @Benchmark
    public int[] predictor() {
        return predictor.predictClasses(row, scores);
    }

    /** The double-to-standardized-float pass alone, as the model runs it. */
    @Benchmark
    public float[] standardize() {
        Rows.standardize(row, 0, 1, mean, scale, buffer);
        return buffer;
    }

    /** A copy of the predictor's range check (every value finite and inside [low, high]). */
    @Benchmark
    public boolean rangeCheck() {
        double[] rows = row;
        double[] lo = low;
        double[] hi = high;
        int w = lo.length;
        for (int i = 0; i < rows.length; i += w) {
            for (int c = 0; c < w; c++) {
                double v = rows[i + c];
                if (!(v >= lo[c] && v <= hi[c])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Candidate: the standardization as two plain loops (narrow, then subtract and divide in floats): same bits. */
    @Benchmark
    public float[] standardizeTwoLoops() {
        double[] src = row;
        float[] dst = buffer;
        float[] m = mean;
        float[] sc = scale;
        int w = m.length;
        for (int c = 0; c < w; c++) {
            dst[c] = (float) src[c];
        }
        for (int c = 0; c < w; c++) {
            dst[c] = (dst[c] - m[c]) / sc[c];
        }
        return buffer;
    }

    /** Candidate: the standardization as one plain loop (what mlops-djl had before Kernels.standardize). */
    @Benchmark
    public float[] standardizeOneLoop() {
        double[] src = row;
        float[] dst = buffer;
        float[] m = mean;
        float[] sc = scale;
        int w = m.length;
        for (int c = 0; c < w; c++) {
            dst[c] = ((float) src[c] - m[c]) / sc[c];
        }
        return buffer;
    }

    /** Candidate: the range check without a branch per value (a NaN or a value outside makes the minimum negative or NaN). */
    @Benchmark
    public boolean rangeCheckMin() {
        double[] rows = row;
        double[] lo = low;
        double[] hi = high;
        int w = lo.length;
        double least = 0;
        for (int i = 0; i < rows.length; i += w) {
            for (int c = 0; c < w; c++) {
                double v = rows[i + c];
                least = Math.min(least, Math.min(v - lo[c], hi[c] - v));
            }
        }
        return least >= 0;
    }

    /** Candidate: the range check with one branch per eight values. */
    @Benchmark
    public boolean rangeCheckBlocks() {
        double[] rows = row;
        double[] lo = low;
        double[] hi = high;
        int w = lo.length;
        for (int i = 0; i < rows.length; i += w) {
            int c = 0;
            for (; c + 8 <= w; c += 8) {
                boolean ok = true;
                for (int j = c; j < c + 8; j++) {
                    double v = rows[i + j];
                    ok &= v >= lo[j] & v <= hi[j];
                }
                if (!ok) {
                    return false;
                }
            }
            for (; c < w; c++) {
                double v = rows[i + c];
                if (!(v >= lo[c] && v <= hi[c])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The arg-max and score normalization of one row, as the model does it after the engine. */
    @Benchmark
    public int classify() {
        float[] o = out;
        double[] sc = scores;
        int k = o.length;
        double sum = 0;
        int best = 0;
        double max = o[0];
        for (int c = 0; c < k; c++) {
            double p = o[c];
            sum += p;
            if (p > max) {
                max = p;
                best = c;
            }
        }
        for (int c = 0; c < k; c++) {
            sc[c] = o[c] / sum;
        }
        return best;
    }
}
