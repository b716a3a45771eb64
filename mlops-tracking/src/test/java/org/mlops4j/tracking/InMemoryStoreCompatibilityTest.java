package org.mlops4j.tracking;

import org.mlops4j.core.tracking.memory.InMemoryTrackingStore;
import org.mlops4j.core.tracking.spi.TrackingStore;
import org.mlops4j.tracking.tck.TrackingStoreCompatibilityKit;

/** The in-memory store of mlops-core passes the contract kit. */
class InMemoryStoreCompatibilityTest extends TrackingStoreCompatibilityKit {
    @Override
    protected TrackingStore createStore() {
        return new InMemoryTrackingStore();
    }
}
