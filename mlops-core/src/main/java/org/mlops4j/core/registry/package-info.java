/**
 * The model registry: {@link org.mlops4j.core.registry.ModelRegistry} with versions, aliases, tags and
 * lineage, references ({@link org.mlops4j.core.registry.ModelRef}), and verified loading.
 */
package org.mlops4j.core.registry;
