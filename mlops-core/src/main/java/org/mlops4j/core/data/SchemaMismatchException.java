package org.mlops4j.core.data;

import org.mlops4j.core.MlopsException;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.train.RandomForest;

/**
 * Data whose columns do not match what a step needs: an unknown label or column name, a categorical
 * column where a number is needed, a prediction row without a required column.
 *
 * <p>The message lists the columns that exist, so a typo is easy to see:
 * {@snippet :
 * Pipeline.from(Csv.file("prices.csv")).label("MEDV ").train(RandomForest.regression()).run();
 * // SchemaMismatchException: unknown label column 'MEDV ' in prices.csv; columns are [CRIM, ZN, ..., MEDV]
 * }
 */
public class SchemaMismatchException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what does not match and what was expected
     */
    public SchemaMismatchException(String message) {
        super(message);
    }
}
