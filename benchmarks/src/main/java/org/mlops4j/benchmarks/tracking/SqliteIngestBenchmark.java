package org.mlops4j.benchmarks.tracking;

import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Sustained metric logging into the embedded SQLite store (WAL, synchronous=FULL): points logged through
 * {@code ActiveRun.logMetric} and made durable by {@code Tracker.flush()}, in points per second (one
 * operation = one point). Baseline in the same run: the same number of rows inserted with plain JDBC
 * batches into the same kind of table, one transaction per 100,000 rows, same durability: the floor set
 * by SQLite itself.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SqliteIngestBenchmark -f 1}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Benchmark)
public class SqliteIngestBenchmark {
    static final int POINTS = 100_000;

    private Path dir;
    private Tracker tracker;
    private ActiveRun run;
    private long step;
    private Connection raw;
    private PreparedStatement rawInsert;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        dir = TempStore.create("ingest");
        tracker = Tracker.builder().store(SqliteTrackingStore.open(dir.resolve("mlruns/mlops.db"))).build();
        run = tracker.startRun("bench", "ingest");
        raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("raw.db"));
        try (Statement st = raw.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=FULL");
            st.execute("CREATE TABLE metrics (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, key_id INTEGER NOT NULL,"
                    + " step INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL)");
            st.execute("CREATE INDEX metrics_by_run_key ON metrics (run_id, key_id, id)");
        }
        raw.setAutoCommit(false);
        rawInsert = raw.prepareStatement("INSERT INTO metrics (run_id, key_id, step, ts, value) VALUES (?, ?, ?, ?, ?)");
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        run.finish();
        tracker.close();
        rawInsert.close();
        raw.close();
        TempStore.delete(dir);
    }

    /** Points through the tracker, then flush: everything is on disk when the invocation ends. */
    @Benchmark
    @OperationsPerInvocation(POINTS)
    public void trackerLogAndFlush() {
        for (int i = 0; i < POINTS; i++) {
            run.logMetric("loss", i * 1e-3, step++);
        }
        tracker.flush();
    }

    /** Baseline: the same rows with bare JDBC batches and one commit. */
    @Benchmark
    @OperationsPerInvocation(POINTS)
    public void baselineRawJdbcBatch() throws SQLException {
        long ts = System.currentTimeMillis();
        for (int i = 0; i < POINTS; i++) {
            rawInsert.setLong(1, 1);
            rawInsert.setLong(2, 1);
            rawInsert.setLong(3, step++);
            rawInsert.setLong(4, ts);
            rawInsert.setDouble(5, i * 1e-3);
            rawInsert.addBatch();
            if (i % 4096 == 4095) {
                rawInsert.executeBatch();
            }
        }
        rawInsert.executeBatch();
        raw.commit();
    }
}
