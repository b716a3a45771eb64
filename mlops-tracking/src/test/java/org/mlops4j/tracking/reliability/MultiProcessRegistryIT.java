package org.mlops4j.tracking.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.tracking.jdbc.JdbcRegistryStore;
import org.mlops4j.tracking.TrackingStores;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.mlops4j.tracking.tck.PostgresFixture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two processes of four threads each register 25 versions of one model into one fresh SQLite file (and one
 * fresh PostgreSQL schema) at the same moment (both migrate the fresh store too): together they get exactly
 * 1..50, no gap, no duplicate.
 */
class MultiProcessRegistryIT {
    @TempDir
    Path dir;

    @Test
    void fiftyRegistrationsFromTwoProcessesGetVersionsOneToFifty() throws Exception {
        Path db = dir.resolve("shared/mlops.db");
        race(db.toString());
        try (JdbcRegistryStore store = SqliteTrackingStore.builder(db).openRegistry()) {
            check(store.versions("raced"));
        }
    }

    @Test
    void fiftyRegistrationsFromTwoProcessesIntoOnePostgresSchemaGetVersionsOneToFifty() throws Exception {
        String url = PostgresFixture.url() + (PostgresFixture.url().contains("?") ? "&" : "?") + "schema=race_"
                + Long.toHexString(System.nanoTime()) + "&artifacts=" + dir.resolve("pg-artifacts");
        race(url);
        try (JdbcRegistryStore store = (JdbcRegistryStore) TrackingStores.openRegistry(url)) {
            check(store.versions("raced"));
        }
    }

    private static void check(List<ModelVersion> versions) {
        assertThat(versions).extracting(ModelVersion::version).containsExactlyElementsOf(IntStream.rangeClosed(1, 50).boxed().toList());
        assertThat(versions).filteredOn(v -> v.tags().get("process").equals("p0")).hasSize(25);
        assertThat(versions).filteredOn(v -> v.tags().get("process").equals("p1")).hasSize(25);
    }

    private void race(String where) throws Exception {
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (String p : List.of("p0", "p1")) {
                children.add(new ChildJvm(RegistryChild.class, dir.resolve(p + ".err"), where, p, "4", "25"));
            }
            for (ChildJvm c : children) {
                assertThat(c.readLine()).as("child stderr %s", c.stderr()).isEqualTo("READY");
            }
            for (ChildJvm c : children) {
                c.send("GO");
            }
            Set<Integer> all = new TreeSet<>();
            List<Integer> each = new ArrayList<>();
            for (ChildJvm c : children) {
                String line = c.readLine();
                assertThat(c.waitFor()).as("child output %s, stderr %s", line, c.stderr()).isZero();
                for (String n : line.split(",")) {
                    each.add(Integer.parseInt(n));
                    all.add(Integer.parseInt(n));
                }
            }
            assertThat(each).hasSize(50);
            assertThat(all).containsExactlyElementsOf(IntStream.rangeClosed(1, 50).boxed().toList());
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
        }
    }
}
