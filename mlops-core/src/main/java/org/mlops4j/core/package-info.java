/**
 * The front door of mlops4j: {@link org.mlops4j.core.Pipeline} (the lifecycle as one immutable
 * description), {@link org.mlops4j.core.PipelineResult}, {@link org.mlops4j.core.Task} and the roots of
 * the failures mlops4j reports ({@link org.mlops4j.core.MlopsException}, {@link org.mlops4j.core.StoreException}).
 * Each concern has a package of its own: {@code data}, {@code transform}, {@code train}, {@code evaluate},
 * {@code model}, {@code registry}, {@code tracking}, {@code pipeline}; extension points for module authors
 * are in their {@code spi} subpackages, and {@code internal} is not an API.
 */
package org.mlops4j.core;
