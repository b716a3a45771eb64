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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Matrix–vector product n × n on one thread, the weights in cache: n = 384 keeps the fp32 weights
 * (576 KiB) in a 1 MiB L2, n = 1024 (4 MiB in fp32, 1 MiB in int8) in L3. GFLOP/s = 2·n² / score(ns).
 * ND4J runs OpenBLAS sgemv limited to one thread.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MatvecInCacheBenchmark -p n=384}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatvecInCacheBenchmark {

    @Param({"384", "1024"})
    public int n;

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
        w32 = QuantData.floats(11, n * n, 1);
        w16 = QuantData.halves(12, n * n);
        w8 = QuantData.bytes(13, n * n);
        scales = QuantData.scales(14, n);
        x = QuantData.floats(15, n, 1);
        x8 = QuantData.bytes(16, n);
        y = new float[n];
    }

    /** Lazily, so the kernel benchmarks' forks never load ND4J. */
    private void nd4j() {
        if (nw == null) {
            Nd4j.factory().blas().setMaxThreads(1);
            nw = Nd4j.create(w32, new long[] {n, n}, 'c');
            nx = Nd4j.create(x, new long[] {n, 1}, 'c');
            ny = Nd4j.create(new float[n], new long[] {n, 1}, 'c');
        }
    }

    @Benchmark
    public float[] fp32Scalar() {
        Kernels.scalar().matvec(w32, n, n, x, y);
        return y;
    }

    @Benchmark
    public float[] fp32Simd() {
        Kernels.best().matvec(w32, n, n, x, y);
        return y;
    }

    @Benchmark
    public INDArray fp32Nd4j() {
        nd4j();
        return Nd4j.gemm(nw, nx, ny, false, false, 1.0, 0.0);
    }

    @Benchmark
    public float[] fp16Simd() {
        Kernels.best().matvecFp16(w16, n, n, x, y);
        return y;
    }

    @Benchmark
    public float[] int8Simd() {
        Kernels.best().matvecInt8(w8, scales, n, n, x, y);
        return y;
    }

    @Benchmark
    public float[] int8xInt8Simd() {
        Kernels.best().matvecInt8(w8, scales, n, n, x8, 0.01f, y);
        return y;
    }
}
