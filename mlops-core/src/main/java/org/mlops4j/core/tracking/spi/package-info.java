/**
 * For backend authors: {@link org.mlops4j.core.tracking.spi.TrackingStore}, the storage contract behind
 * {@link org.mlops4j.core.tracking.Tracker}, and the MLflow filter grammar stores share
 * ({@link org.mlops4j.core.tracking.spi.RunFilter}).
 */
package org.mlops4j.core.tracking.spi;
