package org.mlops4j.core.registry.memory;

import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.tck.RegistryStoreCompatibilityKit;

/** The in-memory registry store passes the registry-store contract. */
class InMemoryRegistryStoreTest extends RegistryStoreCompatibilityKit {
    @Override
    protected RegistryStore openStore() {
        return new InMemoryRegistryStore();
    }
}
