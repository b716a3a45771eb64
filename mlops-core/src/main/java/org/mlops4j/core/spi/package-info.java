/**
 * Extension points for backend authors: {@link org.mlops4j.core.spi.TrackingStore} behind
 * {@link org.mlops4j.core.Tracker} and {@link org.mlops4j.core.spi.RegistryStore} behind
 * {@link org.mlops4j.core.ModelRegistry}, with the in-memory implementations that ship in core.
 *
 * <p>Users do not need this package: {@code Tracker.inMemory()} and {@code ModelRegistry.inMemory()}
 * cover the in-memory case, and durable stores come from {@code mlops-tracking}. A store implements
 * only storage; validation, naming rules and lifecycle checks stay in the facades.
 */
package org.mlops4j.core.spi;
