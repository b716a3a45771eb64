package org.mlops4j.benchmarks.quant;

import org.apache.lucene.util.VectorUtil;
import org.mlops4j.quant.Kernels;
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
 * Dot products: our scalar kernels vs our Vector API kernels vs Lucene core's {@code VectorUtil} (its
 * Panama implementation, enabled by the same {@code --add-modules} flag). Average time per call.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DotBenchmark -p dim=1024}
 * (or {@code benchmarks/run-quant.sh}: the issue-15 set with the settings of BENCHMARKS.md, summarised).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DotBenchmark {

    @Param({"64", "128", "256", "512", "1024", "4096", "1048576"})
    public int dim;

    private byte[] a8;
    private byte[] b8;
    private float[] a32;
    private float[] b32;
    private Kernels simd;
    private Kernels scalar;

    @Setup
    public void setUp() {
        a8 = QuantData.bytes(1, dim);
        b8 = QuantData.bytes(2, dim);
        a32 = QuantData.floats(3, dim, 1);
        b32 = QuantData.floats(4, dim, 1);
        simd = Kernels.best();
        scalar = Kernels.scalar();
        int ours = simd.dotInt8(a8, b8);
        int lucene = VectorUtil.dotProduct(a8, b8);
        if (ours != lucene) {
            throw new IllegalStateException("int8 dot disagrees with Lucene: " + ours + " vs " + lucene);
        }
    }

    @Benchmark
    public int int8Scalar() {
        return scalar.dotInt8(a8, b8);
    }

    @Benchmark
    public int int8Simd() {
        return simd.dotInt8(a8, b8);
    }

    @Benchmark
    public int int8Lucene() {
        return VectorUtil.dotProduct(a8, b8);
    }

    @Benchmark
    public float fp32Scalar() {
        return scalar.dotFp32(a32, b32);
    }

    @Benchmark
    public float fp32Simd() {
        return simd.dotFp32(a32, b32);
    }

    @Benchmark
    public float fp32Lucene() {
        return VectorUtil.dotProduct(a32, b32);
    }
}
