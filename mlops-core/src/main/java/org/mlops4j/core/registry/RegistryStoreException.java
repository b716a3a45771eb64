package org.mlops4j.core.registry;

import org.mlops4j.core.StoreException;

/**
 * A registry store refused or failed a request for a reason retrying will not fix (a database error, a
 * missing bundle file). Failures worth retrying are {@link org.mlops4j.core.StoreUnavailableException}.
 * {@snippet :
 * try {
 *     registry.register("house-prices", bundle);
 * } catch (RegistryStoreException e) {
 *     System.err.println(e.getMessage()); // names the database and what failed
 * }
 * }
 */
public class RegistryStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the store
     */
    public RegistryStoreException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the store
     * @param cause   the underlying failure
     */
    public RegistryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
