package org.mlops4j.tracking.reliability;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.RunBatch;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.JdbcTrackingStore;
import org.mlops4j.tracking.tck.PostgresFixture;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL connection of a write is terminated by the server while the batch is half written (its
 * transaction has written rows and waits for a table lock the test holds): the caller gets an error, and
 * after a retry every point is there exactly once.
 */
class PostgresConnectionDropIT {
    @TempDir
    Path dir;
    private JdbcTrackingStore store;
    private Tracker tracker;
    private Connection admin;

    @BeforeEach
    void open() throws Exception {
        PostgresFixture.url(); // fails, or skips on request, before anything is opened
        store = PostgresFixture.openFreshSchema(dir);
        tracker = Tracker.builder().store(store).build();
        admin = DriverManager.getConnection(PostgresFixture.url());
    }

    @AfterEach
    void close() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (tracker != null) {
            tracker.close();
        }
    }

    /**
     * Holds an exclusive lock on the metrics table, runs the action, kills the backend stuck on the lock,
     * waits for the action to end, and only then releases the lock.
     *
     * @return what the action threw
     */
    private Throwable dropConnectionDuring(Runnable action) throws Exception {
        String schema = schemaOf();
        admin.setAutoCommit(false);
        try (Statement st = admin.createStatement()) {
            st.execute("LOCK TABLE " + schema + ".metrics IN ACCESS EXCLUSIVE MODE");
        }
        CompletableFuture<Void> call = CompletableFuture.runAsync(action);
        int victim = waitForBlockedBackend();
        try (Connection killer = DriverManager.getConnection(PostgresFixture.url());
             PreparedStatement ps = killer.prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, victim);
            ps.execute();
        }
        Throwable failure = null;
        try {
            call.join();
        } catch (CompletionException e) {
            failure = e.getCause();
        }
        admin.rollback();
        admin.setAutoCommit(true);
        return failure;
    }

    private String schemaOf() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresFixture.url());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 't\\_%'"
                     + " ORDER BY schema_name")) {
            List<String> schemas = new ArrayList<>();
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
            String location = store.location();
            return schemas.stream().filter(s -> hasRun(s)).findFirst().orElseThrow(() -> new AssertionError("no schema for " + location));
        }
    }

    private boolean hasRun(String schema) {
        try (Connection c = DriverManager.getConnection(PostgresFixture.url());
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + schema + ".runs WHERE uuid = ?")) {
            ps.setString(1, currentRun);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (Exception e) {
            return false;
        }
    }

    private String currentRun;

    /** Polls the server's activity view (no sleeping) until the store's backend waits on the lock. */
    private int waitForBlockedBackend() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        try (Connection c = DriverManager.getConnection(PostgresFixture.url());
             PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = 'mlops4j'"
                     + " AND wait_event_type = 'Lock'")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getInt(1);
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("the store's write never blocked on the table lock");
    }

    @Test
    void aBufferedBatchCutOffMidWayFailsTheFlushAndTheRetryWritesItOnce() throws Exception {
        tracker.close();
        store = PostgresFixture.openFreshSchema(dir);
        tracker = Tracker.builder().store(store).flushInterval(Duration.ofHours(1)).build(); // points wait for flush()
        ActiveRun run = tracker.startRun("drop", "buffered");
        currentRun = run.id();
        run.logMetric("warmup", 1);
        tracker.flush();
        for (int i = 0; i < 900; i++) {
            run.logMetric("m", i, i);
        }
        Throwable failure = dropConnectionDuring(tracker::flush);
        assertThat(failure).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("900 metric points are not written yet");
        tracker.flush(); // the retry, on a new connection, under the same write ids
        List<Metric> h = store.metricHistory(run.id(), "m");
        assertThat(h).hasSize(900);
        for (int i = 0; i < h.size(); i++) {
            assertThat(h.get(i).step()).isEqualTo(i);
        }
    }

    @Test
    void aSynchronousBatchCutOffMidWayFailsTheCallAndARetryDoesNotDuplicate() throws Exception {
        ActiveRun run = tracker.startRun("drop", "synchronous");
        currentRun = run.id();
        List<Metric> metrics = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            metrics.add(new Metric("m", i, i, Instant.ofEpochMilli(1_700_000_000_000L + i)));
        }
        RunBatch batch = new RunBatch(Map.of("p", "1"), metrics, Map.of("t", "v"));
        Throwable failure = dropConnectionDuring(() -> run.logBatch(batch));
        assertThat(failure).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("nothing was written; retrying is safe");
        assertThat(store.metricHistory(run.id(), "m")).isEmpty(); // the cut transaction left nothing behind
        assertThat(store.run(run.id()).orElseThrow().params()).isEmpty();
        run.logBatch(batch); // the caller retries
        assertThat(store.metricHistory(run.id(), "m")).hasSize(1000);
        assertThat(store.run(run.id()).orElseThrow().params()).isEqualTo(Map.of("p", "1"));
    }
}
