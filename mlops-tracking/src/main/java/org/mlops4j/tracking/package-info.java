/**
 * Durable tracking backends for {@code org.mlops4j.core.Tracker}: an embedded SQLite store (the default,
 * {@code sqlite:./mlruns/mlops.db}), a PostgreSQL store for teams, and an MLflow REST client and server,
 * all implementing the backend contract in {@code org.mlops4j.core.spi}.
 *
 * <p>This module is reserved: its implementation arrives with the durable-tracking issue. Until then
 * {@code Tracker.inMemory()} in {@code mlops-core} is the only store.
 */
package org.mlops4j.tracking;
