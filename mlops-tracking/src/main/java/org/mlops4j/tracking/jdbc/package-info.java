/**
 * The durable tracking stores on JDBC: {@link org.mlops4j.tracking.jdbc.SqliteTrackingStore} (embedded, the
 * default) and {@link org.mlops4j.tracking.jdbc.PostgresTrackingStore} (for teams; the driver is optional),
 * both opening a {@link org.mlops4j.tracking.jdbc.JdbcTrackingStore} over the same tables, with
 * content-addressed artifacts on the file system.
 * {@snippet :
 * try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(Path.of("mlruns/mlops.db"))).build()) {
 *     tracker.startRun("house-prices").finish();
 * }
 * }
 */
package org.mlops4j.tracking.jdbc;
