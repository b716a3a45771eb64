package org.mlops4j.tracking.jdbc;

import javax.sql.DataSource;

/**
 * An opened, migrated database, as {@link SqliteDatabase} and {@link PostgresDatabase} hand it to a
 * {@link JdbcStore}, which then owns it.
 *
 * @param dialect  which database it is
 * @param location where it is, as a URI without credentials (for messages and logs)
 * @param writes   connections for write transactions
 * @param reads    connections for read transactions (may be {@code writes})
 * @param pools    closes the connection pools
 */
record Database(SqlDialect dialect, String location, DataSource writes, DataSource reads, AutoCloseable pools) {
}
