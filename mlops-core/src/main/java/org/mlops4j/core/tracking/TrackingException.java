package org.mlops4j.core.tracking;

import org.mlops4j.core.StoreException;

/**
 * A tracking store could not record or read what was asked: an unknown run or experiment, a run that is
 * no longer active, a parameter logged twice with different values. A store that cannot be reached
 * throws {@link org.mlops4j.core.StoreUnavailableException} instead.
 * {@snippet :
 * run.logParam("trees", "100");
 * run.logParam("trees", "200"); // TrackingException: param 'trees' of run ... is already '100'
 * }
 */
public class TrackingException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be recorded or read
     */
    public TrackingException(String message) {
        super(message);
    }

    /**
     * @param message what could not be recorded or read
     * @param cause   the underlying failure
     */
    public TrackingException(String message, Throwable cause) {
        super(message, cause);
    }
}
