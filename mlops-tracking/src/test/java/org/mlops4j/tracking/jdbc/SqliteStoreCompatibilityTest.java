package org.mlops4j.tracking.jdbc;

import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tck.TrackingStoreCompatibilityKit;
import org.mlops4j.core.tracking.spi.TrackingStore;

import java.nio.file.Path;

/** The embedded SQLite store passes the contract kit, on a real file. */
class SqliteStoreCompatibilityTest extends TrackingStoreCompatibilityKit {
    @TempDir
    Path dir;

    @Override
    protected TrackingStore createStore() {
        return SqliteTrackingStore.open(dir.resolve("mlruns/mlops.db"));
    }
}
