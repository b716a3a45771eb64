package org.mlops4j.benchmarks.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The machine's limits, measured in the same run as the kernels: memory read bandwidth from arrays far
 * beyond the last-level cache (256 MiB per thread; score in bytes/ns = GB/s) and the FMA peak of one core
 * (twelve independent 8-lane FMA chains in registers; score in flop/ns = GFLOP/s).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MachineLimits}
 * (or {@code benchmarks/run-quant.sh}: the issue-15 set with the settings of BENCHMARKS.md, summarised).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MachineLimitsBenchmark {

    static final int BYTES = 256 << 20;
    static final int FMA_ITERATIONS = 1 << 20;
    static final int FMA_CHAINS = 12;
    static final int FMA_FLOPS = FMA_ITERATIONS * FMA_CHAINS * 8 * 2;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> F512 = FloatVector.SPECIES_512;
    static final int FMA_FLOPS_512 = FMA_ITERATIONS * FMA_CHAINS * 16 * 2;

    private int[] data;

    @Setup
    public void setUp() {
        data = new int[BYTES / 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
    }

    static int sum(int[] a) {
        IntVector s0 = IntVector.zero(I);
        IntVector s1 = IntVector.zero(I);
        IntVector s2 = IntVector.zero(I);
        IntVector s3 = IntVector.zero(I);
        for (int i = 0; i < a.length; i += 32) {
            s0 = s0.add(IntVector.fromArray(I, a, i));
            s1 = s1.add(IntVector.fromArray(I, a, i + 8));
            s2 = s2.add(IntVector.fromArray(I, a, i + 16));
            s3 = s3.add(IntVector.fromArray(I, a, i + 24));
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BYTES)
    public int readBandwidth1Thread() {
        return sum(data);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BYTES)
    public int readBandwidth2Threads() {
        return sum(data);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(FMA_FLOPS)
    public float fmaPeak1Core() {
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector c = FloatVector.broadcast(F, 1e-6f);
        FloatVector a0 = FloatVector.broadcast(F, 1f);
        FloatVector a1 = FloatVector.broadcast(F, 2f);
        FloatVector a2 = FloatVector.broadcast(F, 3f);
        FloatVector a3 = FloatVector.broadcast(F, 4f);
        FloatVector a4 = FloatVector.broadcast(F, 5f);
        FloatVector a5 = FloatVector.broadcast(F, 6f);
        FloatVector a6 = FloatVector.broadcast(F, 7f);
        FloatVector a7 = FloatVector.broadcast(F, 8f);
        FloatVector a8 = FloatVector.broadcast(F, 9f);
        FloatVector a9 = FloatVector.broadcast(F, 10f);
        FloatVector a10 = FloatVector.broadcast(F, 11f);
        FloatVector a11 = FloatVector.broadcast(F, 12f);
        for (int i = 0; i < FMA_ITERATIONS; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    /**
     * The same probe on 512-bit vectors; the peak is the larger of the two (on AVX2 machines 512-bit
     * vectors are emulated and this one reads low; Zen 4 runs a 512-bit FMA as two 256-bit halves).
     */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(FMA_FLOPS_512)
    public float fmaPeak1Core512() {
        FloatVector m = FloatVector.broadcast(F512, 0.999999f);
        FloatVector c = FloatVector.broadcast(F512, 1e-6f);
        FloatVector a0 = FloatVector.broadcast(F512, 1f);
        FloatVector a1 = FloatVector.broadcast(F512, 2f);
        FloatVector a2 = FloatVector.broadcast(F512, 3f);
        FloatVector a3 = FloatVector.broadcast(F512, 4f);
        FloatVector a4 = FloatVector.broadcast(F512, 5f);
        FloatVector a5 = FloatVector.broadcast(F512, 6f);
        FloatVector a6 = FloatVector.broadcast(F512, 7f);
        FloatVector a7 = FloatVector.broadcast(F512, 8f);
        FloatVector a8 = FloatVector.broadcast(F512, 9f);
        FloatVector a9 = FloatVector.broadcast(F512, 10f);
        FloatVector a10 = FloatVector.broadcast(F512, 11f);
        FloatVector a11 = FloatVector.broadcast(F512, 12f);
        for (int i = 0; i < FMA_ITERATIONS; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
