package org.mlops4j.benchmarks.compiled;

import org.mlops4j.core.model.Prediction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Single-row latency of the house-price forest (100 trees): the compiled forest on a ready {@code double[]}
 * (the primitive path), the {@code Predictor} on a raw {@code double[]} and on a raw map (both through the
 * fitted chain: median imputation and standardization), and Tribuo's own {@code predict} on an
 * {@code ArrayExample} built per call from the same ready row. Each call takes the next of the data's 506
 * rows, so the trees' paths vary as in use.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar CompiledLatency}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CompiledLatencyBenchmark {
    private HouseForest h;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        h = new HouseForest();
    }

    private int row() {
        int r = next;
        next = r + 1 == h.ready.length ? 0 : r + 1;
        return r;
    }

    @Benchmark
    public double compiledPrimitive() {
        return h.forest.predictValue(h.ready[row()]);
    }

    @Benchmark
    public double predictorRawArray() {
        return h.predictor.predict(h.raw[row()]).value();
    }

    @Benchmark
    public Prediction predictorRawMap() {
        Map<String, Object> m = h.maps.get(row());
        return h.predictor.predict(m);
    }

    @Benchmark
    @SuppressWarnings({"unchecked", "rawtypes"})
    public double tribuoExamplePerCall() {
        ArrayExample<Regressor> e = new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, h.featureNames, h.ready[row()]);
        return ((Regressor) ((org.tribuo.Model) h.tribuo).predict(e).getOutput()).getValues()[0];
    }
}
