package org.mlops4j.benchmarks.quant;

import org.mlops4j.quant.Kernels;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Matrix–vector product 8192 × 8192, beyond the cache (fp32 weights 256 MiB, fp16 128 MiB, int8 64 MiB),
 * rows split across both cores: the calling thread takes the first half, a pool thread the second.
 * GB/s of weights streamed = weight bytes / score(ns). ND4J runs OpenBLAS sgemv with two threads.
 * The pool hand-off allocates a few dozen bytes per call (a FutureTask); the kernels allocate nothing.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MatvecStreaming}
 * (or {@code benchmarks/run-quant.sh}: the issue-15 set with the settings of BENCHMARKS.md, summarised).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatvecStreamingBenchmark {

    static final int N = 8192;
    static final int HALF = N / 2;

    @Param({"fp32Scalar", "fp32Simd", "fp32Nd4j", "fp16Simd", "int8Simd", "int8xInt8Simd"})
    public String variant;

    private float[] w32;
    private short[] w16;
    private byte[] w8;
    private float[] scales;
    private float[] x;
    private byte[] x8;
    private float[] y;
    private INDArray nw;
    private INDArray nx;
    private INDArray ny;
    private ExecutorService pool;
    private Runnable upper;
    private Runnable lower;

    @Setup
    public void setUp() {
        x = QuantData.floats(21, N, 1);
        x8 = QuantData.bytes(22, N);
        y = new float[N];
        scales = QuantData.scales(23, N);
        pool = Executors.newSingleThreadExecutor();
        Kernels simd = Kernels.best();
        Kernels scalar = Kernels.scalar();
        switch (variant) {
            case "fp32Scalar" -> {
                w32 = QuantData.floats(24, N * N, 1);
                lower = () -> scalar.matvec(w32, N, N, x, y, 0, HALF);
                upper = () -> scalar.matvec(w32, N, N, x, y, HALF, N);
            }
            case "fp32Simd" -> {
                w32 = QuantData.floats(24, N * N, 1);
                lower = () -> simd.matvec(w32, N, N, x, y, 0, HALF);
                upper = () -> simd.matvec(w32, N, N, x, y, HALF, N);
            }
            case "fp32Nd4j" -> {
                Nd4j.factory().blas().setMaxThreads(2);
                nw = Nd4j.create(QuantData.floats(24, N * N, 1), new long[] {N, N}, 'c');
                nx = Nd4j.create(x, new long[] {N, 1}, 'c');
                ny = Nd4j.create(new float[N], new long[] {N, 1}, 'c');
            }
            case "fp16Simd" -> {
                w16 = QuantData.halves(25, N * N);
                lower = () -> simd.matvecFp16(w16, N, N, x, y, 0, HALF);
                upper = () -> simd.matvecFp16(w16, N, N, x, y, HALF, N);
            }
            case "int8Simd" -> {
                w8 = QuantData.bytes(26, N * N);
                lower = () -> simd.matvecInt8(w8, scales, N, N, x, y, 0, HALF);
                upper = () -> simd.matvecInt8(w8, scales, N, N, x, y, HALF, N);
            }
            case "int8xInt8Simd" -> {
                w8 = QuantData.bytes(26, N * N);
                lower = () -> simd.matvecInt8(w8, scales, N, N, x8, 0.01f, y, 0, HALF);
                upper = () -> simd.matvecInt8(w8, scales, N, N, x8, 0.01f, y, HALF, N);
            }
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    @TearDown
    public void tearDown() {
        pool.shutdownNow();
    }

    @Benchmark
    public Object matvec() throws InterruptedException, ExecutionException {
        if (nw != null) {
            return Nd4j.gemm(nw, nx, ny, false, false, 1.0, 0.0);
        }
        Future<?> f = pool.submit(upper);
        lower.run();
        f.get();
        return y;
    }
}
