package org.mlops4j.tracking.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Flyway's migration logs go through SLF4J (the application's logging decides), never java.util.logging. */
class FlywayLoggingTest {
    @TempDir
    Path dir;

    @Test
    void migratingAFreshStoreWritesNothingToJavaUtilLogging() {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLoggerName() != null && r.getLoggerName().startsWith("org.flywaydb")) {
                    records.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Level before = root.getLevel();
        root.addHandler(capture);
        root.setLevel(Level.ALL);
        try (JdbcTrackingStore store = SqliteTrackingStore.open(dir.resolve("fresh/mlops.db"))) {
            assertThat(store.dialect()).isEqualTo("sqlite");
        } finally {
            root.removeHandler(capture);
            root.setLevel(before);
        }
        assertThat(records).as("Flyway records on java.util.logging").isEmpty();
    }
}
