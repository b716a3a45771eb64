/**
 * The durable stores on a SQL database. {@link org.mlops4j.tracking.jdbc.SqliteTrackingStore} (embedded,
 * the default) and {@link org.mlops4j.tracking.jdbc.PostgresTrackingStore} (for teams; the driver is an
 * optional dependency) both open a {@link org.mlops4j.tracking.jdbc.JdbcTrackingStore} over the same tables,
 * with content-addressed artifacts on the file system. Every store here sits on one base,
 * {@link org.mlops4j.tracking.jdbc.JdbcStore}, which owns the connection pools, the Flyway migrations (one
 * folder per store kind and dialect), the transactions and the translation of SQL errors into
 * {@code StoreException} / {@code StoreUnavailableException}; a store adds only its own SQL.
 * {@snippet :
 * try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(Path.of("mlruns/mlops.db"))).build()) {
 *     tracker.startRun("house-prices").finish();
 * }
 * }
 */
package org.mlops4j.tracking.jdbc;
