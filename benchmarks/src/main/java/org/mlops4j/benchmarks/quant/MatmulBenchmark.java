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
 * Square matrix products C = A·Bᵀ on one thread: int8 (int32 results) vs fp32, scalar vs Vector API vs
 * ND4J (OpenBLAS sgemm, one thread). GOP/s = 2·n³ / score(ns).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar Matmul}
 * (or {@code benchmarks/run-quant.sh}: the issue-15 set with the settings of BENCHMARKS.md, summarised).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulBenchmark {

    @Param({"256", "512", "1024"})
    public int n;

    private float[] a32;
    private float[] b32;
    private float[] c32;
    private byte[] a8;
    private byte[] b8;
    private int[] c8;
    private INDArray na;
    private INDArray nb;
    private INDArray nc;

    @Setup
    public void setUp() {
        a32 = QuantData.floats(31, n * n, 1);
        b32 = QuantData.floats(32, n * n, 1);
        c32 = new float[n * n];
        a8 = QuantData.bytes(33, n * n);
        b8 = QuantData.bytes(34, n * n);
        c8 = new int[n * n];
    }

    @Benchmark
    public float[] fp32Scalar() {
        Kernels.scalar().matmul(a32, n, n, b32, n, c32);
        return c32;
    }

    @Benchmark
    public float[] fp32Simd() {
        Kernels.best().matmul(a32, n, n, b32, n, c32);
        return c32;
    }

    @Benchmark
    public INDArray fp32Nd4j() {
        if (na == null) {
            Nd4j.factory().blas().setMaxThreads(1);
            na = Nd4j.create(a32, new long[] {n, n}, 'c');
            nb = Nd4j.create(b32, new long[] {n, n}, 'c');
            nc = Nd4j.create(new float[n * n], new long[] {n, n}, 'c');
        }
        return Nd4j.gemm(na, nb, nc, false, true, 1.0, 0.0);
    }

    @Benchmark
    public int[] int8Scalar() {
        Kernels.scalar().matmulInt8(a8, n, n, b8, n, c8);
        return c8;
    }

    @Benchmark
    public int[] int8Simd() {
        Kernels.best().matmulInt8(a8, n, n, b8, n, c8);
        return c8;
    }
}
