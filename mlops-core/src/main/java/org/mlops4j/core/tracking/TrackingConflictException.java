package org.mlops4j.core.tracking;

/**
 * A write contradicts what a tracking store already holds: an experiment name that exists, a param logged
 * before with another value. Retrying the same write fails the same way. The MLflow-compatible server
 * answers it with {@code RESOURCE_ALREADY_EXISTS} or {@code INVALID_PARAMETER_VALUE} (HTTP 400).
 * {@snippet :
 * run.logParam("trees", "100");
 * run.logParam("trees", "200"); // TrackingConflictException: param 'trees' of run ... is already '100'
 * }
 */
public class TrackingConflictException extends TrackingException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what conflicts with what, naming both values
     */
    public TrackingConflictException(String message) {
        super(message);
    }

    /**
     * @param message what conflicts with what, naming both values
     * @param cause   the underlying failure
     */
    public TrackingConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
