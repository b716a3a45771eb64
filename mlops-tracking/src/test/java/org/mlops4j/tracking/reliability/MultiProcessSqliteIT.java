package org.mlops4j.tracking.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.tracking.jdbc.JdbcTrackingStore;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 8 threads in each of 2 processes log into one fresh SQLite file at the same time (both processes also
 * create the same experiment and migrate the fresh file at once): exact totals, no "database is locked".
 */
class MultiProcessSqliteIT {
    private static final int THREADS = 8;
    private static final int POINTS = 10_000;

    @TempDir
    Path dir;

    @Test
    void twoProcessesOfEightThreadsGetExactTotals() throws Exception {
        Path db = dir.resolve("shared/mlops.db");
        long start = System.nanoTime();
        List<ChildJvm> children = new ArrayList<>();
        for (String p : List.of("p0", "p1")) {
            children.add(new ChildJvm(MultiProcessChild.class, dir.resolve(p + ".err"), db.toString(), p, Integer.toString(THREADS),
                    Integer.toString(POINTS)));
        }
        for (ChildJvm c : children) {
            try (c) {
                String out = c.readLine();
                int exit = c.waitFor();
                assertThat(exit).as("child output %s, stderr %s", out, c.stderr()).isZero();
                assertThat(out).isEqualTo("DONE");
                assertThat(c.stderr()).doesNotContainIgnoringCase("database is locked").doesNotContain("SQLITE_BUSY");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        try (JdbcTrackingStore store = SqliteTrackingStore.open(db)) {
            List<Experiment> experiments = store.experiments().stream().filter(e -> e.name().equals("multi-process")).toList();
            assertThat(experiments).hasSize(1);
            List<Run> runs = store.runs(experiments.get(0).id());
            assertThat(runs).hasSize(2 * THREADS + 2).allMatch(r -> r.info().status() == RunStatus.FINISHED);
            long total = 0;
            for (Run r : runs) {
                if (r.info().name().endsWith("-shared")) {
                    for (int t = 0; t < THREADS; t++) {
                        assertThat(store.metricHistory(r.id(), "t" + t)).hasSize(POINTS / 10);
                        total += POINTS / 10;
                    }
                } else {
                    assertThat(store.metricHistory(r.id(), "i")).as(r.info().name()).hasSize(POINTS);
                    assertThat(r.params()).containsKey("thread");
                    total += POINTS;
                }
            }
            assertThat(total).isEqualTo(2L * THREADS * (POINTS + POINTS / 10));
            assertThat(count(db, "SELECT COUNT(*) FROM metrics")).isEqualTo(total);
            assertThat(count(db, "SELECT COUNT(*) FROM mlops_schema_history WHERE success = 1 AND version = '1'")).isEqualTo(1);
            System.out.printf(Locale.ROOT, "RELIABILITY multi-process: 2 processes x %d threads, %d points, exact totals,"
                    + " no 'database is locked', %.1f s%n", THREADS, total, seconds);
        }
    }

    private static long count(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
