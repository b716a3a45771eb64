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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Matrix–vector product 1024 × 1024 on one thread (fp32 weights are 4 MiB: L3-resident, int8 1 MiB).
 * GFLOP/s = 2·1024² / score(ns). ND4J runs OpenBLAS sgemv limited to one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatvecInCacheBenchmark {

    static final int N = 1024;

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

    @Setup
    public void setUp() {
        w32 = QuantData.floats(11, N * N, 1);
        w16 = QuantData.halves(12, N * N);
        w8 = QuantData.bytes(13, N * N);
        scales = QuantData.scales(14, N);
        x = QuantData.floats(15, N, 1);
        x8 = QuantData.bytes(16, N);
        y = new float[N];
    }

    /** Lazily, so the kernel benchmarks' forks never load ND4J. */
    private void nd4j() {
        if (nw == null) {
            Nd4j.factory().blas().setMaxThreads(1);
            nw = Nd4j.create(w32, new long[] {N, N}, 'c');
            nx = Nd4j.create(x, new long[] {N, 1}, 'c');
            ny = Nd4j.create(new float[N], new long[] {N, 1}, 'c');
        }
    }

    @Benchmark
    public float[] fp32Scalar() {
        Kernels.scalar().matvec(w32, N, N, x, y);
        return y;
    }

    @Benchmark
    public float[] fp32Simd() {
        Kernels.best().matvec(w32, N, N, x, y);
        return y;
    }

    @Benchmark
    public INDArray fp32Nd4j() {
        nd4j();
        return Nd4j.gemm(nw, nx, ny, false, false, 1.0, 0.0);
    }

    @Benchmark
    public float[] fp16Simd() {
        Kernels.best().matvecFp16(w16, N, N, x, y);
        return y;
    }

    @Benchmark
    public float[] int8Simd() {
        Kernels.best().matvecInt8(w8, scales, N, N, x, y);
        return y;
    }

    @Benchmark
    public float[] int8xInt8Simd() {
        Kernels.best().matvecInt8(w8, scales, N, N, x8, 0.01f, y);
        return y;
    }
}
