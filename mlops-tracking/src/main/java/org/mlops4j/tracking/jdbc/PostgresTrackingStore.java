package org.mlops4j.tracking.jdbc;

import org.mlops4j.core.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The team store: the same tables and code as the SQLite store, in a PostgreSQL database (12 or newer),
 * in its own schema ({@code mlops} by default). Needs the driver, an optional dependency:
 * {@code org.postgresql:postgresql}. Artifacts go to a directory (give every process the same shared
 * one, e.g. a network mount), content-addressed as with SQLite.
 *
 * <p>Commits are durable as PostgreSQL's are ({@code synchronous_commit=on} by default). A dropped
 * connection fails the transaction in progress with {@link StoreUnavailableException}; the pool opens a
 * new connection and a retried write, under the same write id, is applied once. Several processes may open
 * a fresh database at once: the migration runs under an advisory lock.
 * {@snippet :
 * JdbcTrackingStore store = PostgresTrackingStore.builder("jdbc:postgresql://db:5432/mlops")
 *         .user("mlops").password(System.getenv("MLOPS_DB_PASSWORD"))
 *         .artifactRoot(Path.of("/mnt/shared/mlops-artifacts"))
 *         .open();
 * }
 */
public final class PostgresTrackingStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresTrackingStore.class);
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private PostgresTrackingStore() {
    }

    /**
     * @param jdbcUrl {@code jdbc:postgresql://host:port/database}, credentials in the URL or none
     * @return the store, artifacts under {@code ./mlruns/artifacts}
     */
    public static JdbcTrackingStore open(String jdbcUrl) {
        return builder(jdbcUrl).open();
    }

    /**
     * @param jdbcUrl {@code jdbc:postgresql://host:port/database}
     * @return a builder for the other options
     */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /**
     * Options of a PostgreSQL store, each checked when set. Single-use; not thread-safe.
     * {@snippet :
     * JdbcTrackingStore store = PostgresTrackingStore.builder("jdbc:postgresql://db:5432/mlops")
     *         .schema("team_a").poolSize(16).connectTimeout(Duration.ofSeconds(5))
     *         .open();
     * }
     */
    public static final class Builder {
        private final String url;
        private String user;
        private String password;
        private String schema = "mlops";
        private Path artifactRoot = Path.of("mlruns", "artifacts");
        private int poolSize = 8;
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder(String url) {
            Objects.requireNonNull(url, "jdbcUrl");
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with 'jdbc:postgresql:' but was '"
                        + PostgresDatabase.redact(url) + "'");
            }
            this.url = url;
        }

        /**
         * @param u database user
         * @return this builder
         */
        public Builder user(String u) {
            this.user = u;
            return this;
        }

        /**
         * @param p database password (never logged)
         * @return this builder
         */
        public Builder password(String p) {
            this.password = p;
            return this;
        }

        /**
         * @param s schema for the tables (default {@code mlops}; created when missing)
         * @return this builder
         */
        public Builder schema(String s) {
            if (s == null || !SCHEMA.matcher(s).matches()) {
                throw new IllegalArgumentException("schema must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63)"
                        + " but was '" + s + "'");
            }
            this.schema = s;
            return this;
        }

        /**
         * @param dir where artifact blobs go (default {@code ./mlruns/artifacts}); share it between processes
         * @return this builder
         */
        public Builder artifactRoot(Path dir) {
            this.artifactRoot = Objects.requireNonNull(dir, "artifactRoot");
            return this;
        }

        /**
         * @param n most connections (default 8)
         * @return this builder
         */
        public Builder poolSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("poolSize must be >= 1 but was " + n);
            }
            this.poolSize = n;
            return this;
        }

        /**
         * @param timeout how long to wait for a connection (default 10 s)
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectTimeout must be >= 250 ms but was " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Connects, creating the schema and migrating it when needed.
         *
         * @return the store
         * @throws IllegalStateException        when the PostgreSQL driver is not on the class path, naming it
         * @throws StoreUnavailableException when the database cannot be reached
         */
        public JdbcTrackingStore open() {
            Database opened = PostgresDatabase.open(url, user, password, schema, poolSize, connectTimeout, JdbcTrackingStore.KIND);
            LOG.info("tracking store {} (schema {}, artifacts {})", opened.location(), schema, artifactRoot.toAbsolutePath());
            return JdbcTrackingStore.open(opened, artifactRoot);
        }

        /**
         * Opens the model registry kept in the same schema (its own tables), its bundle files content-addressed in
         * the same artifact directory as the tracking artifacts.
         *
         * @return the registry store
         * @throws StoreUnavailableException when the database cannot be reached
         */
        public JdbcRegistryStore openRegistry() {
            Database opened = PostgresDatabase.open(url, user, password, schema, poolSize, connectTimeout, JdbcRegistryStore.KIND);
            LOG.debug("registry store {} (schema {})", opened.location(), schema);
            return JdbcRegistryStore.open(opened, artifactRoot);
        }
    }
}
