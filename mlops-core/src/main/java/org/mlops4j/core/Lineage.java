package org.mlops4j.core;

/**
 * Where a model version came from: the run that trained it and the exact data it was trained on.
 * {@snippet :
 * ModelVersion v = registry.version("house-prices@champion");
 * v.lineage().runId();           // tracker.run(...) shows its params and metrics
 * v.lineage().datasetVersion();  // SHA-256 of the training data
 * }
 *
 * @param runId          run that produced the model, or null when not tracked
 * @param experimentId   that run's experiment, or null
 * @param datasetVersion {@link DatasetVersion#id()} of the data the pipeline loaded
 * @param datasetSource  where that data was read from ({@link DatasetVersion#uri()})
 */
public record Lineage(String runId, String experimentId, String datasetVersion, String datasetSource) {
}
