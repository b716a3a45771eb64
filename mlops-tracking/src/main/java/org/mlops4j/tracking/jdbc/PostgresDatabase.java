package org.mlops4j.tracking.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.mlops4j.core.StoreUnavailableException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Connects to PostgreSQL for a {@link JdbcStore}: one pool (auto-commit off), the tables in their own
 * schema (the search path), after migrating that schema for the store's kind under an advisory lock so
 * several processes can open a fresh database at once. The driver is an optional dependency; without it
 * the store fails naming the artifact to add.
 */
final class PostgresDatabase {
    /** Advisory-lock key of schema migrations ("mlops4j" in ASCII). */
    private static final long MIGRATION_LOCK = 0x6d6c6f70_73346aL;
    /** The driver artifact to add, named in the error when it is missing. */
    static final String DRIVER_ARTIFACT = "org.postgresql:postgresql (42.7.x)";

    private PostgresDatabase() {
    }

    /**
     * @param url            {@code jdbc:postgresql://...}
     * @param user           database user, or null
     * @param password       database password, or null (never logged)
     * @param schema         schema of the tables, created when missing
     * @param poolSize       most connections
     * @param connectTimeout how long to wait for a connection
     * @param kind           the store's kind: its migrations and failures
     * @return the connected, migrated database
     * @throws IllegalStateException     when the driver is not on the class path, naming it
     * @throws StoreUnavailableException when the database cannot be reached
     */
    static Database open(String url, String user, String password, String schema, int poolSize, Duration connectTimeout,
                         StoreKind kind) {
        try {
            Class.forName("org.postgresql.Driver", false, PostgresDatabase.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("PostgreSQL " + kind.noun() + " stores need the JDBC driver: add the dependency "
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
        migrate(hc, where, schema, kind);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot connect to " + where + ": " + e.getMessage(), e);
        }
        return new Database(SqlDialect.POSTGRESQL, where, pool, pool, pool);
    }

    /** Migrates through a small pool of its own (the lock holds one connection, Flyway takes others). */
    private static void migrate(HikariConfig config, String where, String schema, StoreKind kind) {
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
                Flyway.configure(PostgresDatabase.class.getClassLoader())
                        .loggers("slf4j") // the application's logging decides, never java.util.logging
                        .dataSource(pool)
                        .locations(SqlDialect.POSTGRESQL.migrationLocation(kind.migrations()))
                        .schemas(schema)
                        .defaultSchema(schema)
                        .createSchemas(true)
                        .table(kind.historyTable())
                        .failOnMissingLocations(true)
                        // Another kind's tables may be there already (tracking and registry share a database):
                        // start this kind's history at 0 so its V1 still runs.
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .load()
                        .migrate();
            } finally {
                try (PreparedStatement ps = lock.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    ps.setLong(1, MIGRATION_LOCK);
                    ps.execute();
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot migrate the " + kind.noun() + " schema in " + where + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw kind.fail("cannot migrate the " + kind.noun() + " schema " + schema + " in " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param url a JDBC URL
     * @return it with any password parameter masked
     */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
