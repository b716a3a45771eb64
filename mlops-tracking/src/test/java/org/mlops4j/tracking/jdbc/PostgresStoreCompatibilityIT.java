package org.mlops4j.tracking.jdbc;

import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tck.TrackingStoreCompatibilityKit;
import org.mlops4j.core.tracking.spi.TrackingStore;
import org.mlops4j.tracking.tck.PostgresFixture;

import java.nio.file.Path;

/** The PostgreSQL store passes the contract kit on a real PostgreSQL 15 (see {@link PostgresFixture}). */
class PostgresStoreCompatibilityIT extends TrackingStoreCompatibilityKit {
    @TempDir
    Path dir;

    @Override
    protected TrackingStore createStore() {
        return PostgresFixture.openFreshSchema(dir.resolve("artifacts"));
    }
}
