/**
 * The MLflow-compatible REST server over any mlops4j store: {@link org.mlops4j.tracking.server.MlflowServer}.
 * Its HTTP server (Jetty 12) is an optional dependency, loaded only when a server starts.
 * {@snippet :
 * try (Tracker tracker = TrackingStores.tracker("sqlite:./mlruns/mlops.db");
 *      MlflowServer server = MlflowServer.builder(tracker).port(5000).start()) {
 *     // MLFLOW_TRACKING_URI=http://127.0.0.1:5000 python train.py
 * }
 * }
 */
package org.mlops4j.tracking.server;
