/**
 * The pipeline as a recipe: {@link org.mlops4j.core.pipeline.PipelineSpec} (what; recorded as
 * {@code pipeline.json}), {@link org.mlops4j.core.pipeline.Outputs} (where),
 * {@link org.mlops4j.core.pipeline.RunOptions} (how), and {@link org.mlops4j.core.pipeline.Step}s bound to
 * a {@link org.mlops4j.core.pipeline.Phase}.
 */
package org.mlops4j.core.pipeline;
