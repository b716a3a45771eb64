/**
 * The front door of mlops-tracking: {@link org.mlops4j.tracking.TrackingStores} opens a durable store for
 * {@code org.mlops4j.core.tracking.Tracker} from a tracking URI ({@code sqlite:}, {@code postgresql://},
 * {@code http(s)://}, {@code memory:}). The stores themselves live by kind:
 * <ul>
 *   <li>{@link org.mlops4j.tracking.jdbc}: the embedded SQLite store (the default, {@code ./mlruns/mlops.db},
 *       crash-safe, multi-process safe) and the same store on PostgreSQL for teams (driver optional);</li>
 *   <li>{@link org.mlops4j.tracking.mlflow}: a store that logs to an MLflow tracking server over REST;</li>
 *   <li>{@link org.mlops4j.tracking.server}: an MLflow-compatible REST server over any store, so MLflow
 *       clients log into mlops4j (Jetty optional);</li>
 *   <li>{@link org.mlops4j.tracking.spi}: plugs a new URI scheme into {@code TrackingStores}.</li>
 * </ul>
 * {@snippet :
 * try (Tracker tracker = TrackingStores.tracker("sqlite:./mlruns/mlops.db");
 *      ActiveRun run = tracker.startRun("house-prices")) {
 *     run.logParam("trees", "100");
 *     run.logMetric("rmse", 3.1);
 * }
 * }
 */
package org.mlops4j.tracking;
