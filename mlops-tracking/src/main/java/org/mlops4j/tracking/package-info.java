/**
 * Durable tracking backends for {@code org.mlops4j.core.tracking.Tracker}, all behind the backend contract in
 * {@code org.mlops4j.core.spi}:
 * <ul>
 *   <li>{@link org.mlops4j.tracking.SqliteTrackingStore}: the embedded default, {@code ./mlruns/mlops.db}
 *       with content-addressed artifacts beside it; crash-safe, multi-process safe;</li>
 *   <li>{@link org.mlops4j.tracking.PostgresTrackingStore}: the same store for teams (driver optional);</li>
 *   <li>{@link org.mlops4j.tracking.MlflowTrackingStore}: logs to an MLflow tracking server over REST;</li>
 *   <li>{@link org.mlops4j.tracking.MlflowServer}: serves any store over MLflow's REST API, so MLflow
 *       clients log into mlops4j (Jetty optional);</li>
 *   <li>{@link org.mlops4j.tracking.TrackingStores}: opens any of them from a URI.</li>
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

import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;

