/**
 * Preprocessing: unfitted {@link org.mlops4j.core.transform.Transform}s fitted on training rows into
 * immutable {@link org.mlops4j.core.transform.FittedTransform}s that travel in the bundle; the seven
 * built-ins; {@link org.mlops4j.core.transform.TransformTypes}, the named types files may contain.
 */
package org.mlops4j.core.transform;
