package org.mlops4j.core.registry;

import org.mlops4j.core.MlopsException;

/**
 * A registry change refused because of what the registry holds: a model name that exists already, or a
 * version (or model) an alias still points to, deleted without {@code force}. The message names the alias.
 * {@snippet :
 * try {
 *     registry.deleteVersion("house-prices", 2, false);
 * } catch (RegistryConflictException e) {
 *     // "house-prices/2 is what alias 'champion' points to; move the alias or delete with force"
 * }
 * }
 */
public class RegistryConflictException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what conflicts, naming it
     */
    public RegistryConflictException(String message) {
        super(message);
    }
}
