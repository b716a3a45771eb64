/**
 * For module authors: name a transform type ({@link org.mlops4j.core.transform.spi.TransformType})
 * through a {@link org.mlops4j.core.transform.spi.TransformTypeProvider} so pipelines and bundles can
 * record it.
 */
package org.mlops4j.core.transform.spi;
