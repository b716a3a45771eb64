package org.mlops4j.tracking;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.memory.InMemoryTrackingStore;
import org.mlops4j.core.tracking.spi.TrackingStore;
import org.mlops4j.tracking.jdbc.JdbcTrackingStore;
import org.mlops4j.tracking.jdbc.PostgresTrackingStore;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.mlops4j.tracking.mlflow.MlflowTrackingStore;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tracking URIs open the store they name; unknown schemes and bad options fail naming what to do. */
class TrackingStoresTest {
    @TempDir
    Path dir;

    @Test
    void sqliteUrisInTheirThreeSpellings() throws Exception {
        for (String uri : new String[] {"sqlite:" + dir.resolve("a/mlops.db"), "sqlite://" + dir.resolve("b/mlops.db"),
                "sqlite:" + dir.resolve("c/mlops.db") + "?artifacts=" + dir.resolve("c-artifacts") + "&busy_timeout_ms=5000&synchronous=normal"}) {
            try (TrackingStore s = TrackingStores.open(uri)) {
                assertThat(s).isInstanceOf(JdbcTrackingStore.class);
                assertThat(((JdbcTrackingStore) s).dialect()).isEqualTo("sqlite");
            }
        }
        assertThat(Files.exists(dir.resolve("a/mlops.db"))).isTrue();
        assertThat(Files.exists(dir.resolve("b/mlops.db"))).isTrue();
        assertThat(Files.isDirectory(dir.resolve("c-artifacts/sha256"))).isTrue();
        try (Tracker t = TrackingStores.tracker("sqlite:" + dir.resolve("a/mlops.db"))) {
            t.startRun("uri").finish();
            assertThat(t.runs("uri")).hasSize(1);
        }
    }

    @Test
    void otherSchemes() {
        assertThat(TrackingStores.open("memory:")).isInstanceOf(InMemoryTrackingStore.class);
        TrackingStore mlflow = TrackingStores.open("http://127.0.0.1:5999"); // no request until used
        assertThat(mlflow).isInstanceOf(MlflowTrackingStore.class);
        assertThat(((MlflowTrackingStore) mlflow).server()).isEqualTo(URI.create("http://127.0.0.1:5999"));
        assertThat(TrackingStores.open("https://user:pw@mlflow.example.com")).isInstanceOf(MlflowTrackingStore.class);
    }

    @Test
    void unknownSchemesAndBadUrisNameWhatToDo() {
        assertThatThrownBy(() -> TrackingStores.open("mysql://db/mlops")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mysql:'").hasMessageContaining("org.postgresql:postgresql")
                .hasMessageContaining("TrackingStoreProvider");
        assertThatThrownBy(() -> TrackingStores.open("foo:bar")).hasMessageContaining("no artifact on the class path provides it");
        assertThatThrownBy(() -> TrackingStores.open("mlruns/mlops.db")).hasMessageContaining("starts with a scheme");
        assertThatThrownBy(() -> TrackingStores.open("sqlite:")).hasMessageContaining("names a database file");
        assertThatThrownBy(() -> TrackingStores.open("sqlite:x.db?color=red")).hasMessageContaining("unknown sqlite: option 'color'");
        assertThatThrownBy(() -> TrackingStores.open("sqlite:x.db?busy_timeout_ms=soon")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> TrackingStores.open("postgresql:///db")).hasMessageContaining("names a host");
        assertThatThrownBy(() -> TrackingStores.open("postgresql://u:secret@db host/x")).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> PostgresTrackingStore.builder("postgresql://db/x")).hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> PostgresTrackingStore.builder("jdbc:postgresql://db/x").schema("Drop Table"))
                .hasMessageContaining("lower-case SQL identifier");
    }

    @Test
    void theDefaultIsTheEmbeddedStoreUnderMlruns() {
        assertThat(TrackingStores.DEFAULT_URI).isEqualTo("sqlite:./mlruns/mlops.db");
        assertThat(SqliteTrackingStore.DEFAULT_PATH).isEqualTo(Path.of("mlruns", "mlops.db"));
    }
}
