package org.mlops4j.tracking.tck;

import org.mlops4j.core.tck.TrackingStoreCompatibilityKit;

/**
 * The contract kit for stores that speak MLflow's protocol: its listings carry no artifact digests and its
 * writes carry no write id, so those two checks are left out; everything else applies.
 */
public abstract class MlflowProtocolKit extends TrackingStoreCompatibilityKit {
    @Override
    protected final boolean listsArtifactDigests() {
        return false;
    }

    @Override
    protected final boolean skipsRepeatedWriteIds() {
        return false;
    }
}
