package org.mlops4j.benchmarks.tracking;

import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.JdbcTrackingStore;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reading back the full history of one metric of 1,000,000 points from SQLite as {@code List<Metric>}, in
 * milliseconds per read. Baseline in the same run: the same rows read with a bare JDBC loop that builds no
 * objects (summing the values), the floor of SQLite plus the driver.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MetricHistoryRead}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@State(Scope.Benchmark)
public class MetricHistoryReadBenchmark {
    static final int POINTS = 1_000_000;

    private Path dir;
    private JdbcTrackingStore store;
    private String runId;
    private Connection raw;

    @Setup(Level.Trial)
    public void load() throws SQLException {
        dir = TempStore.create("history");
        Path db = dir.resolve("mlruns/mlops.db");
        try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(db)).build();
             ActiveRun run = tracker.startRun("bench", "history")) {
            for (int i = 0; i < POINTS; i++) {
                run.logMetric("loss", 1.0 / (i + 1), i);
            }
            runId = run.id();
        }
        store = SqliteTrackingStore.open(db);
        if (store.metricHistory(runId, "loss").size() != POINTS) {
            throw new IllegalStateException("history not loaded");
        }
        raw = DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        raw.close();
        store.close();
        TempStore.delete(dir);
    }

    @Benchmark
    public List<Metric> metricHistory() {
        return store.metricHistory(runId, "loss");
    }

    @Benchmark
    public double baselineRawJdbcScan() throws SQLException {
        double sum = 0;
        try (PreparedStatement ps = raw.prepareStatement("SELECT step, ts, value FROM metrics WHERE run_id = 1 AND key_id = 1 ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sum += rs.getLong(1) + rs.getLong(2) + rs.getDouble(3);
            }
        }
        return sum;
    }
}
