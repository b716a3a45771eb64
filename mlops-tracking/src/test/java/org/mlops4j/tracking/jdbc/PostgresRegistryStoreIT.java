package org.mlops4j.tracking.jdbc;

import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.tck.RegistryStoreCompatibilityKit;
import org.mlops4j.tracking.tck.PostgresFixture;

import java.nio.file.Path;

/** The PostgreSQL registry store passes the registry-store contract on a real PostgreSQL. */
class PostgresRegistryStoreIT extends RegistryStoreCompatibilityKit {
    @TempDir
    Path dir;

    @Override
    protected RegistryStore openStore() {
        return PostgresFixture.openFreshRegistrySchema(dir.resolve("artifacts"));
    }
}
