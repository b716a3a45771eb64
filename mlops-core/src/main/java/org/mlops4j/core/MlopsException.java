package org.mlops4j.core;

import org.mlops4j.core.data.Csv;
import org.mlops4j.core.train.RandomForest;

/**
 * Root of the runtime failures mlops4j reports: bad data, schema mismatches, missing models, corrupt
 * bundles and tracking failures. Programming mistakes (a negative tree count, a call in the wrong
 * order) are reported with the JDK's {@link IllegalArgumentException} and {@link IllegalStateException}
 * instead.
 *
 * <p>The cause is always kept. Messages name the thing that is wrong and what was expected, so they can
 * be shown to a user as they are:
 * {@snippet :
 * try {
 *     Pipeline.from(Csv.file("prices.csv")).label("MEDV").train(RandomForest.regression()).run();
 * } catch (MlopsException e) {
 *     System.err.println(e.getMessage()); // e.g. "prices.csv line 17, column 'RM': 'abc' is not a number; ..."
 * }
 * }
 */
public class MlopsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong and what was expected
     */
    public MlopsException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what was expected
     * @param cause   the underlying failure, kept for diagnosis
     */
    public MlopsException(String message, Throwable cause) {
        super(message, cause);
    }
}
