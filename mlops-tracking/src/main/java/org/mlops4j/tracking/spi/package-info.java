/**
 * Extension points of mlops-tracking for backend authors: {@link org.mlops4j.tracking.spi.TrackingStoreProvider}
 * plugs a new URI scheme into {@link org.mlops4j.tracking.TrackingStores}. The store contract itself is
 * {@code org.mlops4j.core.tracking.spi.TrackingStore}.
 */
package org.mlops4j.tracking.spi;
