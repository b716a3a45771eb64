package org.mlops4j.benchmarks.tracking;

import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.OverflowPolicy;
import org.mlops4j.core.tracking.RunBatch;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.memory.InMemoryTrackingStore;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code logMetric} costs the calling thread (the training loop), amortised over 10,000 calls, with
 * the SQLite store behind the tracker and its writer thread running. The buffer is emptied by a flush
 * before each invocation (not timed), so this is the cost while the store keeps up, which is the case the
 * ≤ 1 µs target is about; a store slower than the loop for longer than the buffer lasts makes the loop wait
 * (OverflowPolicy.BLOCK), measured by SqliteIngestBenchmark instead. Baseline in the same run: the
 * synchronous path the skeleton had, one store call per point (into the in-memory store, the cheapest).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LogMetricCallerCost}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Benchmark)
public class LogMetricCallerCostBenchmark {
    static final int CALLS = 10_000;

    private Path dir;
    private Tracker tracker;
    private ActiveRun run;
    private long step;
    private InMemoryTrackingStore memory;
    private String memoryRun;

    @Setup(Level.Trial)
    public void open() {
        dir = TempStore.create("caller");
        tracker = Tracker.builder().store(SqliteTrackingStore.open(dir.resolve("mlruns/mlops.db"))).build();
        run = tracker.startRun("bench", "caller-cost");
        memory = new InMemoryTrackingStore();
        String exp = memory.createExperiment("bench", Map.of(), Instant.now()).id();
        memoryRun = memory.createRun(exp, "baseline", null, Instant.now(), Map.of()).runId();
    }

    @Setup(Level.Invocation)
    public void emptyBuffer() {
        tracker.flush();
    }

    @TearDown(Level.Trial)
    public void close() {
        run.finish();
        tracker.close();
        TempStore.delete(dir);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public void logMetric() {
        for (int i = 0; i < CALLS; i++) {
            run.logMetric("loss", i, step++);
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public void baselineSynchronousStoreCallPerPoint() {
        for (int i = 0; i < CALLS; i++) {
            memory.logBatch(memoryRun, new RunBatch(Map.of(), List.of(new Metric("loss", i, step++, Instant.now())), Map.of()));
        }
    }
}
