package org.mlops4j.tracking.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.tracking.jdbc.JdbcTrackingStore;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a logging child JVM, many times, on one SQLite file: after every kill the store opens, the
 * database passes SQLite's integrity check, and every metric point acknowledged by a completed flush is
 * there, in order (points written after the last acknowledgement may be there too, as a contiguous
 * prefix). Rounds: {@code mlops.test.kills} (12 in the normal suite, 60 with {@code -Preliability}).
 */
class CrashRecoveryIT {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedPointSurvivesKillMinus9() throws Exception {
        int rounds = Integer.getInteger("mlops.test.kills", 12);
        Random random = new Random(20261126L);
        Path db = dir.resolve("mlruns/mlops.db");
        long acked = 0;
        long beyondAck = 0;
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            String runId;
            long lastAck = -1;
            try (ChildJvm child = new ChildJvm(LoggingChild.class, dir.resolve("child-" + round + ".err"), db.toString(),
                    Long.toString(random.nextLong()))) {
                String line = child.readLine();
                assertThat(line).as("child %d stderr: %s", round, child.stderr()).startsWith("RUN ");
                runId = line.substring(4);
                int acksWanted = 1 + random.nextInt(8);
                for (int a = 0; a < acksWanted; a++) {
                    line = child.readLine();
                    assertThat(line).as("child %d stderr: %s", round, child.stderr()).startsWith("ACK ");
                    lastAck = Long.parseLong(line.substring(4));
                }
                // A random moment after the last acknowledgement read: the child is logging or flushing the next batch.
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(20_000)));
                child.kill();
            }
            try (JdbcTrackingStore store = SqliteTrackingStore.open(db)) {
                List<Metric> seq = store.metricHistory(runId, "seq");
                assertThat(seq.size()).as("round %d: points stored vs acknowledged", round).isGreaterThanOrEqualTo((int) lastAck + 1);
                for (int i = 0; i < seq.size(); i++) {
                    if (seq.get(i).step() != i || seq.get(i).value() != i) {
                        throw new AssertionError("round " + round + ": point " + i + " is " + seq.get(i));
                    }
                }
                acked += lastAck + 1;
                beyondAck += seq.size() - (lastAck + 1);
            }
            assertThat(integrityCheck(db)).isEqualTo("ok");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "RELIABILITY kill-9: %d kills, %d acknowledged points all present, %d unacknowledged points"
                + " also committed, 0 lost, integrity ok every round, %.1f s%n", rounds, acked, beyondAck, seconds);
    }

    static String integrityCheck(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
