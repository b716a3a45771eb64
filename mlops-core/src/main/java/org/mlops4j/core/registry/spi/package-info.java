/**
 * For backend authors: {@link org.mlops4j.core.registry.spi.RegistryStore}, the storage contract
 * behind {@link org.mlops4j.core.registry.ModelRegistry}. Rules and verification stay in the registry.
 */
package org.mlops4j.core.registry.spi;
