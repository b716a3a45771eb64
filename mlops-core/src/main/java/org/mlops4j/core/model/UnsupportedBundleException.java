package org.mlops4j.core.model;

/**
 * A bundle that names something no module on the class path provides: a model flavor (a DJL network
 * without {@code mlops-djl}) or a transform type. Nothing from it is loaded; the message names what is
 * missing and which artifact to add.
 * {@snippet :
 * try {
 *     ModelBundle.load(Path.of("models/digits-mlp"));
 * } catch (UnsupportedBundleException e) {
 *     // "bundle models/digits-mlp has flavor 'djl', which no module on the class path reads; add org.mlops4j:mlops-djl"
 * }
 * }
 */
public class UnsupportedBundleException extends BundleIntegrityException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is missing and what to add
     */
    public UnsupportedBundleException(String message) {
        super(message);
    }

    /**
     * @param message what is missing and what to add
     * @param cause   the underlying failure
     */
    public UnsupportedBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
