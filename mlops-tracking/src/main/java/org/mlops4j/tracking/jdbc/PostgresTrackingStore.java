package org.mlops4j.tracking.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.tracking.TrackingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
    /** Advisory-lock key of schema migrations ("mlops4j" in ASCII). */
    private static final long MIGRATION_LOCK = 0x6d6c6f70_73346aL;
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** The driver artifact to add, named in the error when it is missing. */
    static final String DRIVER_ARTIFACT = "org.postgresql:postgresql (42.7.x)";

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

    /** Options of a PostgreSQL store. Single-use. */
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
                throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with 'jdbc:postgresql:' but was '" + redact(url) + "'");
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
            try {
                Class.forName("org.postgresql.Driver", false, PostgresTrackingStore.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("PostgreSQL tracking stores need the JDBC driver: add the dependency "
                        + DRIVER_ARTIFACT + " to your build", e);
            }
            HikariConfig hc = new HikariConfig();
            hc.setPoolName("mlops-postgresql");
            hc.setJdbcUrl(url);
            if (user != null) {
                hc.setUsername(user);
            }
            if (password != null) {
                hc.setPassword(password);
            }
            hc.setMaximumPoolSize(poolSize);
            hc.setMinimumIdle(1);
            hc.setAutoCommit(false);
            hc.setConnectionTimeout(connectTimeout.toMillis());
            hc.addDataSourceProperty("ApplicationName", "mlops4j");
            hc.addDataSourceProperty("currentSchema", schema); // the search path; the migration creates the schema
            hc.addDataSourceProperty("reWriteBatchedInserts", "true");
            hc.addDataSourceProperty("tcpKeepAlive", "true");
            hc.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
            String where = redact(url).substring(5);
            migrate(hc, where);
            HikariDataSource pool;
            try {
                pool = new HikariDataSource(hc);
            } catch (RuntimeException e) {
                throw new StoreUnavailableException("cannot connect to " + where + ": " + e.getMessage(), e);
            }
            LOG.info("tracking store {} (schema {}, artifacts {})", where, schema, artifactRoot.toAbsolutePath());
            return new JdbcTrackingStore(SqlDialect.POSTGRESQL, pool, pool, pool, new ContentAddressedStore(artifactRoot), where);
        }

        /** Migrates through a small pool of its own (the lock holds one connection, Flyway takes others). */
        private void migrate(HikariConfig config, String where) {
            HikariConfig mc = new HikariConfig();
            config.copyStateTo(mc);
            mc.setPoolName("mlops-postgresql-migration");
            mc.setMaximumPoolSize(3);
            mc.setMinimumIdle(0);
            mc.setAutoCommit(true);
            HikariDataSource pool;
            try {
                pool = new HikariDataSource(mc);
            } catch (RuntimeException e) {
                throw new StoreUnavailableException("cannot connect to " + where + ": " + e.getMessage(), e);
            }
            try (pool; Connection lock = pool.getConnection()) {
                try (PreparedStatement ps = lock.prepareStatement("SELECT pg_advisory_lock(?)")) {
                    ps.setLong(1, MIGRATION_LOCK);
                    ps.execute();
                }
                try {
                    Flyway.configure(PostgresTrackingStore.class.getClassLoader())
                            .dataSource(pool)
                            .locations(SqlDialect.POSTGRESQL.migrationLocation())
                            .schemas(schema)
                            .defaultSchema(schema)
                            .createSchemas(true)
                            .table("mlops_schema_history")
                            .failOnMissingLocations(true)
                            .load()
                            .migrate();
                } finally {
                    try (PreparedStatement ps = lock.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                        ps.setLong(1, MIGRATION_LOCK);
                        ps.execute();
                    }
                }
            } catch (SQLException e) {
                throw new StoreUnavailableException("cannot migrate the tracking schema in " + where + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new TrackingException("cannot migrate the tracking schema " + schema + " in " + where + ": " + e.getMessage(), e);
            }
        }
    }

    /** @return the URL with any password parameter masked */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
