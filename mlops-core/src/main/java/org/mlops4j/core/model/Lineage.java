package org.mlops4j.core.model;

import org.mlops4j.core.data.DatasetVersion;

/**
 * Where a model came from: the run that trained it, the exact data it was trained on, and, for a model
 * derived from another (a quantized twin, a compiled copy), the version it was derived from.
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
 * @param parent         the version this model was derived from ({@code name/N}), or null
 */
public record Lineage(String runId, String experimentId, String datasetVersion, String datasetSource, String parent) {

    /**
     * @param runId          run that produced the model, or null
     * @param experimentId   that run's experiment, or null
     * @param datasetVersion id of the training data's version
     * @param datasetSource  where that data was read from
     */
    public Lineage(String runId, String experimentId, String datasetVersion, String datasetSource) {
        this(runId, experimentId, datasetVersion, datasetSource, null);
    }

    /**
     * @param parentRef the version this model is derived from, {@code name/N}
     * @return this lineage with that parent
     */
    public Lineage withParent(String parentRef) {
        return new Lineage(runId, experimentId, datasetVersion, datasetSource, parentRef);
    }
}
