package org.mlops4j.tracking.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.StoreException;
import org.mlops4j.tracking.internal.Deadline;
import org.mlops4j.tracking.tck.PostgresFixture;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Work started inside a server request's budget ({@link Deadline}) stops in the database when the budget
 * ends: SQLite's progress handler aborts the statement, PostgreSQL's {@code statement_timeout} cancels it;
 * the connection is clean afterwards and work outside a budget is untouched.
 */
class DeadlineCancellationTest {
    /** A statement that runs for minutes on either database. */
    private static final String ENDLESS_SQLITE = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000000)"
            + " SELECT count(*) FROM n";

    @TempDir
    Path dir;

    @Test
    void sqliteStatementsStopAtTheDeadlineAndTheConnectionStaysUsable() {
        try (JdbcTrackingStore store = SqliteTrackingStore.open(dir.resolve("mlops.db"))) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Deadline.within(300, () -> store.inRead("counting", c -> {
                try (ResultSet rs = c.createStatement().executeQuery(ENDLESS_SQLITE)) {
                    return rs.next();
                }
            }))).isInstanceOf(StoreException.class).hasMessageContaining("interrupt");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            // an interrupted thread inside a budget is cancelled too
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> Deadline.within(60_000, () -> store.inWrite("counting", c -> {
                try (ResultSet rs = c.createStatement().executeQuery(ENDLESS_SQLITE)) {
                    return rs.next();
                }
            }))).isInstanceOf(RuntimeException.class);
            Thread.interrupted();
            // the pooled connections are clean: reads and writes work, outside a budget nothing is cancelled
            assertThat(store.createExperiment("after-cancel", java.util.Map.of(), java.time.Instant.now()).name()).isEqualTo("after-cancel");
            long count = store.inRead("a short count", c -> {
                try (ResultSet rs = c.createStatement().executeQuery(
                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT count(*) FROM n")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(count).isEqualTo(200_000L);
        }
    }

    @Test
    void postgresStatementsStopAtTheDeadline() {
        try (JdbcTrackingStore store = PostgresFixture.openFreshSchema(dir.resolve("artifacts"))) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Deadline.within(300, () -> store.inRead("sleeping", c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT pg_sleep(30)")) {
                    return rs.next();
                }
            }))).isInstanceOf(StoreException.class).hasMessageContaining("statement timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            int one = store.inRead("sleeping briefly", c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT pg_sleep(0.5), 1")) {
                    rs.next();
                    return rs.getInt(2);
                }
            });
            assertThat(one).as("outside a budget, no timeout is left behind").isEqualTo(1);
        }
    }
}
