package org.mlops4j.core.tracking;

/**
 * A tracking store has no experiment, run or artifact of the given id, name or path. The MLflow-compatible
 * server answers it with {@code RESOURCE_DOES_NOT_EXIST} (HTTP 404).
 * {@snippet :
 * tracker.openArtifact(runId, "missing.txt"); // TrackingNotFoundException: run ... has no artifact 'missing.txt'
 * }
 */
public class TrackingNotFoundException extends TrackingException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was not found, naming it
     */
    public TrackingNotFoundException(String message) {
        super(message);
    }

    /**
     * @param message what was not found, naming it
     * @param cause   the underlying failure
     */
    public TrackingNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
