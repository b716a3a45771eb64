package org.mlops4j.tracking.tck;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.mlops4j.tracking.jdbc.JdbcTrackingStore;
import org.mlops4j.tracking.jdbc.PostgresTrackingStore;

import java.nio.file.Path;
import java.util.Random;

/**
 * The real PostgreSQL the tests use: its JDBC URL comes from the system property
 * {@code mlops.test.postgres.url} or the environment variable {@code MLOPS_TEST_POSTGRES_URL}
 * ({@code eval "$(.ci/postgres.sh start)"} sets it).
 *
 * <p>Without a URL the PostgreSQL tests are skipped (reported as skipped, with how to run them), so the
 * README's test command passes on a machine that has only a JDK. CI sets
 * {@code MLOPS_TEST_POSTGRES_REQUIRED=true} (or {@code -Dmlops.test.postgres.required=true}): then a
 * missing URL fails them, so CI can never pass by skipping.
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
            if (required()) {
                Assertions.fail("PostgreSQL tests are required here (MLOPS_TEST_POSTGRES_REQUIRED) but no database was given:"
                        + " run eval \"$(.ci/postgres.sh start)\" to set MLOPS_TEST_POSTGRES_URL");
            }
            Assumptions.abort("no PostgreSQL: these tests are skipped; run eval \"$(.ci/postgres.sh start)\" first"
                    + " (sets MLOPS_TEST_POSTGRES_URL) to run them");
        }
        return url;
    }

    private static boolean required() {
        return Boolean.getBoolean("mlops.test.postgres.required")
                || "true".equalsIgnoreCase(System.getenv("MLOPS_TEST_POSTGRES_REQUIRED"));
    }

    /**
     * @param artifacts artifact directory
     * @return a store in a schema of its own, so tests never see each other's data
     */
    public static JdbcTrackingStore openFreshSchema(Path artifacts) {
        String schema = "t_" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        return PostgresTrackingStore.builder(url()).schema(schema).artifactRoot(artifacts).poolSize(4).open();
    }

    /**
     * @param artifacts artifact directory
     * @return a registry store in a schema of its own
     */
    public static org.mlops4j.tracking.jdbc.JdbcRegistryStore openFreshRegistrySchema(Path artifacts) {
        String schema = "r_" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        return PostgresTrackingStore.builder(url()).schema(schema).artifactRoot(artifacts).poolSize(8).openRegistry();
    }
}
