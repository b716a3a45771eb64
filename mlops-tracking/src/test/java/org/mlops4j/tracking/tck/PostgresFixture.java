package org.mlops4j.tracking.tck;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.mlops4j.tracking.JdbcTrackingStore;
import org.mlops4j.tracking.PostgresTrackingStore;

import java.nio.file.Path;
import java.util.Random;

/**
 * The real PostgreSQL the tests use: its JDBC URL comes from the system property
 * {@code mlops.test.postgres.url} or the environment variable {@code MLOPS_TEST_POSTGRES_URL}
 * ({@code eval "$(.ci/postgres.sh start)"} sets it). Without one the PostgreSQL tests fail, so CI can never
 * pass by skipping them; {@code -Dmlops.test.postgres.skip=true} skips them explicitly on a machine without
 * PostgreSQL.
 */
public final class PostgresFixture {
    private static final Random RANDOM = new Random();

    private PostgresFixture() {
    }

    /** @return the JDBC URL of the test database */
    public static String url() {
        String url = System.getProperty("mlops.test.postgres.url");
        if (url == null || url.isBlank()) {
            url = System.getenv("MLOPS_TEST_POSTGRES_URL");
        }
        if (url == null || url.isBlank()) {
            if (Boolean.getBoolean("mlops.test.postgres.skip")) {
                Assumptions.abort("PostgreSQL tests skipped on request (-Dmlops.test.postgres.skip=true)");
            }
            Assertions.fail("PostgreSQL tests need a database: run eval \"$(.ci/postgres.sh start)\" to set MLOPS_TEST_POSTGRES_URL,"
                    + " or pass -Dmlops.test.postgres.skip=true to skip them on purpose");
        }
        return url;
    }

    /**
     * @param artifacts artifact directory
     * @return a store in a schema of its own, so tests never see each other's data
     */
    public static JdbcTrackingStore openFreshSchema(Path artifacts) {
        String schema = "t_" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        return PostgresTrackingStore.builder(url()).schema(schema).artifactRoot(artifacts).poolSize(4).open();
    }
}
