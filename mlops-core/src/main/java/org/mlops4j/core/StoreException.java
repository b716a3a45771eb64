package org.mlops4j.core;

/**
 * A store behind mlops4j (a tracking store, a model registry store) could not do what was asked: the
 * root of store failures, shared by every backend so that callers handle them the same way whichever
 * store is configured. {@link StoreUnavailableException} marks the ones worth retrying; the tracking
 * failures ({@code TrackingException} and its subtypes) name what was refused.
 * {@snippet :
 * try {
 *     tracker.experiment("house-prices");   // a tracker over any store: SQLite, PostgreSQL, an MLflow server
 * } catch (StoreUnavailableException e) {
 *     // the database did not answer: try again later
 * } catch (StoreException e) {
 *     // the store refused the request; e.getMessage() says why
 * }
 * }
 */
public class StoreException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be stored or read, and why
     */
    public StoreException(String message) {
        super(message);
    }

    /**
     * @param message what could not be stored or read, and why
     * @param cause   the underlying failure
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
