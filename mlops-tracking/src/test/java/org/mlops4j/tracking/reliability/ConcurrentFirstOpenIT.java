package org.mlops4j.tracking.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.JdbcTrackingStore;
import org.mlops4j.tracking.jdbc.PostgresTrackingStore;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.mlops4j.tracking.tck.PostgresFixture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Several processes (SQLite) or connections (PostgreSQL) open one fresh store at the same moment: all succeed, one migration. */
class ConcurrentFirstOpenIT {
    @TempDir
    Path dir;

    @Test
    void fourProcessesOpeningAFreshSqliteFileAllSucceed() throws Exception {
        Path db = dir.resolve("fresh/mlops.db");
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            children.add(new ChildJvm(OpenerChild.class, dir.resolve("opener-" + i + ".err"), db.toString(), "opener-" + i));
        }
        for (ChildJvm c : children) {
            try (c) {
                assertThat(c.readLine()).as("stderr: %s", c.stderr()).isEqualTo("OK");
                assertThat(c.waitFor()).isZero();
            }
        }
        try (Tracker t = Tracker.builder().store(SqliteTrackingStore.open(db)).build()) {
            assertThat(t.runs("first-open")).hasSize(4);
            assertThat(t.experiments()).extracting(e -> e.name()).containsExactlyInAnyOrder("Default", "first-open");
        }
    }

    @Test
    void sixConnectionsOpeningAFreshPostgresSchemaAllSucceed() throws Exception {
        String url = PostgresFixture.url();
        String schema = "fresh_" + Long.toHexString(System.nanoTime());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<JdbcTrackingStore>> opened = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                opened.add(pool.submit((Callable<JdbcTrackingStore>) () -> {
                    go.await();
                    return PostgresTrackingStore.builder(url).schema(schema).artifactRoot(dir.resolve("pg")).poolSize(2).open();
                }));
            }
            go.countDown();
            for (Future<JdbcTrackingStore> f : opened) {
                try (Tracker t = Tracker.builder().store(f.get()).build()) {
                    t.experiment("first-open");
                }
            }
        } finally {
            pool.shutdown();
        }
        try (Tracker t = Tracker.builder().store(PostgresTrackingStore.builder(url).schema(schema).artifactRoot(dir.resolve("pg")).open()).build()) {
            assertThat(t.experiments()).extracting(e -> e.name()).containsExactlyInAnyOrder("Default", "first-open");
        }
    }
}
