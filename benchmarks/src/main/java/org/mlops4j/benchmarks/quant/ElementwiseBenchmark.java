package org.mlops4j.benchmarks.quant;

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
 * Conversions, quantisation and the MLP helpers, plus the mixed-precision dot products, scalar vs Vector
 * API, on 4096 values (L1-resident). Average time per call; elements/ns = n / score.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar Elementwise}
 * (or {@code benchmarks/run-quant.sh}: the issue-15 set with the settings of BENCHMARKS.md, summarised).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBenchmark {

    @Param({"scalar", "simd"})
    public String impl;

    public static final int N = 4096;

    private float[] x;
    private float[] out;
    private short[] h;
    private short[] h2;
    private byte[] q;
    private Kernels k;

    @Setup
    public void setUp() {
        k = impl.equals("simd") ? Kernels.best() : Kernels.scalar();
        x = QuantData.floats(5, N, 1);
        out = new float[N];
        h = QuantData.halves(6, N);
        h2 = QuantData.halves(7, N);
        q = QuantData.bytes(8, N);
    }

    @Benchmark
    public short[] toFp16() {
        k.toFp16(x, h);
        return h;
    }

    @Benchmark
    public float[] toFp32() {
        k.toFp32(h, out);
        return out;
    }

    @Benchmark
    public byte[] quantize() {
        k.quantize(x, q, 0.01f, 3);
        return q;
    }

    @Benchmark
    public float[] dequantize() {
        k.dequantize(q, out, 0.01f, 3);
        return out;
    }

    @Benchmark
    public float maxAbs() {
        return k.maxAbs(x);
    }

    @Benchmark
    public int argmax() {
        return k.argmax(x);
    }

    @Benchmark
    public float[] relu() {
        System.arraycopy(x, 0, out, 0, N);
        k.relu(out);
        return out;
    }

    @Benchmark
    public float dotFp16() {
        return k.dotFp16(h, h2);
    }

    @Benchmark
    public float dotFp16Fp32() {
        return k.dotFp16Fp32(h, x);
    }

    @Benchmark
    public float dotInt8Fp32() {
        return k.dotInt8Fp32(q, x);
    }
}
