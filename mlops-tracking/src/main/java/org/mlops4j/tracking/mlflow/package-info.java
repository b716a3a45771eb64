/**
 * A tracking store that logs to an MLflow tracking server over its REST API 2.0:
 * {@link org.mlops4j.tracking.mlflow.MlflowTrackingStore}. It needs no dependency beyond the JDK's HTTP
 * client and works against MLflow itself and against {@code mlops server}.
 * {@snippet :
 * try (Tracker tracker = Tracker.builder().store(MlflowTrackingStore.open(URI.create("http://mlflow:5000"))).build()) {
 *     tracker.startRun("house-prices").finish();
 * }
 * }
 */
package org.mlops4j.tracking.mlflow;
