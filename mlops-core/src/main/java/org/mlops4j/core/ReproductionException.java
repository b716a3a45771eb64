package org.mlops4j.core;

/**
 * A run cannot be reproduced: its data changed (the message names the recorded and the current data version)
 * and no snapshot was kept, its recipe cannot be rebuilt, or its records are missing.
 * {@snippet :
 * try {
 *     Pipeline.reproduce(tracker, runId);
 * } catch (ReproductionException e) {
 *     System.err.println(e.getMessage()); // "... recorded data version 3f9a0c12d4e5, the source now has 7be1d0a2c3f4 ..."
 * }
 * }
 */
public class ReproductionException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /** @param message what cannot be reproduced and why */
    public ReproductionException(String message) {
        super(message);
    }

    /**
     * @param message what cannot be reproduced and why
     * @param cause   the underlying failure
     */
    public ReproductionException(String message, Throwable cause) {
        super(message, cause);
    }
}
