package org.mlops4j.serving.drift;

/**
 * How a feature's (or the prediction's) live window compares with the training reference.
 * {@snippet :
 * DriftState s = DriftState.WARNING;
 * s.worse(DriftState.DRIFT);  // DRIFT
 * }
 */
public enum DriftState {
    /** No evidence of a shift (or too few rows to say). */
    OK,
    /** A shift past the warning threshold. */
    WARNING,
    /** A shift past the drift threshold. */
    DRIFT;

    /**

     * @param other another state

     * @return the worse of the two

     */
    public DriftState worse(DriftState other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /** @return lower-case name, as in JSON */
    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
