/**
 * For module authors: name trainers, evaluators, steps and data sources
 * ({@link org.mlops4j.core.pipeline.spi.RecipeType}) through a
 * {@link org.mlops4j.core.pipeline.spi.RecipeTypeProvider} so {@code pipeline.json} can record them.
 */
package org.mlops4j.core.pipeline.spi;
