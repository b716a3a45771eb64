package org.mlops4j.core.tracking.memory;

import org.mlops4j.core.tck.TrackingStoreCompatibilityKit;
import org.mlops4j.core.tracking.spi.TrackingStore;

/** The in-memory store of mlops-core passes the contract kit. */
class InMemoryStoreCompatibilityTest extends TrackingStoreCompatibilityKit {
    @Override
    protected TrackingStore createStore() {
        return new InMemoryTrackingStore();
    }
}
