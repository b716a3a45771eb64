package org.mlops4j.benchmarks.tracking;

import org.mlflow.tracking.MlflowClient;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.mlops4j.tracking.server.MlflowServer;
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
import java.util.concurrent.TimeUnit;

/**
 * Side by side in one run, both into SQLite with the same durability: the official MLflow Java client
 * ({@code org.mlflow:mlflow-client:2.17.2}) logging N metrics one call at a time into {@code mlops server}
 * over HTTP on loopback (each call is acknowledged once stored, as MLflow's server does), versus the
 * native embedded API logging the same N metrics and one flush. Microseconds per metric; the ratio is the
 * client's time over the native time.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MlflowClientVsNativeBenchmark -f 1}
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Benchmark)
public class MlflowClientVsNativeBenchmark {
    static final int N = 2_000;

    private Path dir;
    private Tracker serverTracker;
    private MlflowServer server;
    private MlflowClient mlflow;
    private String mlflowRun;
    private Tracker native_;
    private ActiveRun nativeRun;
    private long step;

    @Setup(Level.Trial)
    public void open() {
        dir = TempStore.create("mlflow-vs-native");
        serverTracker = Tracker.builder().store(SqliteTrackingStore.open(dir.resolve("server/mlops.db"))).build();
        server = MlflowServer.builder(serverTracker).port(0).start();
        mlflow = new MlflowClient(server.uri().toString());
        mlflowRun = mlflow.createRun(mlflow.createExperiment("bench")).getRunId();
        native_ = Tracker.builder().store(SqliteTrackingStore.open(dir.resolve("native/mlops.db"))).build();
        nativeRun = native_.startRun("bench", "native");
    }

    @TearDown(Level.Trial)
    public void close() {
        mlflow.close();
        server.close();
        serverTracker.close();
        nativeRun.finish();
        native_.close();
        TempStore.delete(dir);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void officialMlflowClientOneCallPerMetric() {
        long ts = System.currentTimeMillis();
        for (int i = 0; i < N; i++) {
            mlflow.logMetric(mlflowRun, "loss", i, ts, step++);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void nativeEmbeddedLogAndFlush() {
        for (int i = 0; i < N; i++) {
            nativeRun.logMetric("loss", i, step++);
        }
        native_.flush();
    }
}
