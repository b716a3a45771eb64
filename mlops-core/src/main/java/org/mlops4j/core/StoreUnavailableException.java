package org.mlops4j.core;

import org.mlops4j.core.tracking.Tracker;

/**
 * A store could not be reached or was too busy: a dropped database connection, a locked SQLite file past
 * its busy timeout, an MLflow server that did not answer. The write did not happen, or happened
 * under an id that makes retrying it safe: {@link Tracker} keeps such metric points in order and writes
 * them again (without duplicates) at the next {@link Tracker#flush()} or after a back-off.
 * {@snippet :
 * try {
 *     tracker.flush();
 * } catch (StoreUnavailableException e) {
 *     // the points are still buffered; flush() again later
 * }
 * }
 */
public class StoreUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be reached and what happens to the data
     */
    public StoreUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message what could not be reached and what happens to the data
     * @param cause   the underlying failure
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
