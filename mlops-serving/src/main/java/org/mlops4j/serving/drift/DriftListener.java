package org.mlops4j.serving.drift;

/**
 * Told when a feature's drift state changes at the end of a window (ok → warning, warning → drift, back to ok).
 * Called on the request thread that completed the window: return quickly.
 * {@snippet :
 * DriftListener alert = (model, version, change) -> System.err.println(model + "/" + version + " " + change.feature() + " is now " + change.state());
 * }
 */
@FunctionalInterface
public interface DriftListener {
    /**
     * @param model   model name
     * @param version version
     * @param change  the feature's new result (its {@link FeatureDrift#state()} is the new state)
     */
    void stateChanged(String model, int version, FeatureDrift change);
}
