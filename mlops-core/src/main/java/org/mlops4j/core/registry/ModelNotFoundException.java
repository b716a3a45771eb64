package org.mlops4j.core.registry;

import org.mlops4j.core.MlopsException;

/**
 * A model reference that the registry cannot resolve: an unknown model name, version or alias.
 * {@snippet :
 * registry.version(ModelRef.parse("house-prices@champion")); // throws when no such alias is set
 * }
 */
public class ModelNotFoundException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which reference was not found and what exists instead
     */
    public ModelNotFoundException(String message) {
        super(message);
    }
}
