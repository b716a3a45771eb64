package org.mlops4j.tracking.spi;

import org.mlops4j.core.tracking.spi.TrackingStore;

import java.net.URI;

/**
 * Opens a tracking store for a URI scheme that mlops4j does not know itself, for
 * {@link org.mlops4j.tracking.TrackingStores#open(String)}. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.mlops4j.tracking.spi.TrackingStoreProvider}),
 * only when such a URI is opened.
 * {@snippet :
 * public final class MyStoreProvider implements TrackingStoreProvider {
 *     public boolean supports(String scheme) { return scheme.equals("mystore"); }
 *     public TrackingStore open(URI uri) { return MyStore.open(uri); }
 * }
 * }
 */
public interface TrackingStoreProvider {

    /**
     * @param scheme a URI scheme, lower case
     * @return whether this provider opens it
     */
    boolean supports(String scheme);

    /**
     * @param uri the URI, with a scheme this provider supports
     * @return the opened store
     */
    TrackingStore open(URI uri);
}
