package org.mlops4j.core.tune;

/**
 * Whether a study's objective is better low (an error) or high (an accuracy).
 * {@snippet :
 * Tune.tpe(space).objective("accuracy", Direction.MAXIMIZE);
 * }
 */
public enum Direction {
    /** Lower is better (RMSE, MAE, log loss). */
    MINIMIZE,
    /** Higher is better (accuracy, R², macro-F1). */
    MAXIMIZE;

    /**
     * @param a a value
     * @param b another
     * @return whether {@code a} is strictly better than {@code b}
     */
    public boolean better(double a, double b) {
        return this == MINIMIZE ? a < b : a > b;
    }
}
