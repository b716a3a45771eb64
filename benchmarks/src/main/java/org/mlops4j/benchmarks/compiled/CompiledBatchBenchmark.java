package org.mlops4j.benchmarks.compiled;

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
import org.tribuo.Example;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Batch throughput of the house-price forest: {@code predictValues} on row-major ready rows, and Tribuo's
 * {@code predict(Iterable<Example>)} on the same rows (examples built once, outside the timing, which favours
 * Tribuo). Rows per second = batch ÷ time per call; run with {@code -t 1} and {@code -t 2} for one and both
 * cores (each thread its own batch and output).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar CompiledBatch -t 1}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CompiledBatchBenchmark {
    @Param({"1", "64", "10000"})
    public int batch;

    /** One forest for every thread (it is immutable and thread-safe). */
    @State(Scope.Benchmark)
    public static class Shared {
        HouseForest h;

        @Setup(Level.Trial)
        public void setUp() {
            h = new HouseForest();
        }
    }

    private double[] rows;
    private double[] out;
    private List<Example<Regressor>> examples;

    @Setup(Level.Trial)
    public void setUp(Shared s) {
        rows = s.h.readyRowMajor(batch);
        out = new double[batch];
        examples = new ArrayList<>(batch);
        for (int r = 0; r < batch; r++) {
            examples.add(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, s.h.featureNames, s.h.ready[r % s.h.ready.length]));
        }
    }

    @Benchmark
    public double[] compiled(Shared s) {
        s.h.forest.predictValues(rows, batch, out);
        return out;
    }

    @Benchmark
    @SuppressWarnings({"unchecked", "rawtypes"})
    public List<?> tribuo(Shared s) {
        return ((org.tribuo.Model) s.h.tribuo).predict((Iterable) examples);
    }
}
