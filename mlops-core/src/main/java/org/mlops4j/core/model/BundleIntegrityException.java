package org.mlops4j.core.model;

import org.mlops4j.core.MlopsException;

/**
 * A model bundle that must not be loaded: a file whose SHA-256 or size differs from the manifest, a
 * missing file, a manifest that cannot be read, a path that leaves the bundle, a payload of an
 * unexpected model class. Nothing from such a bundle is ever deserialized.
 * {@snippet :
 * try {
 *     ModelBundle.load(Path.of("models/house-prices/3"));
 * } catch (BundleIntegrityException e) {
 *     // "bundle models/house-prices/3: file model.tribuo.gz has SHA-256 ab12... but the manifest records cd34..."
 * }
 * }
 */
public class BundleIntegrityException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which file failed which check
     */
    public BundleIntegrityException(String message) {
        super(message);
    }

    /**
     * @param message which file failed which check
     * @param cause   the underlying failure
     */
    public BundleIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
