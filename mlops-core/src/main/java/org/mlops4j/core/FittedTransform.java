package org.mlops4j.core;

import java.util.List;

/**
 * A preprocessing step with its learned parameters: immutable, thread-safe, and stored as JSON in the
 * model bundle. The implementations are the {@code Fitted} records of the built-in transforms.
 * {@snippet :
 * List<FittedTransform> chain = result.transforms();
 * Dataset ready = FittedTransform.applyAll(chain, rawFeatures);
 * }
 */
public sealed interface FittedTransform
        permits Impute.Fitted, Standardize.Fitted, MinMax.Fitted, Log1p.Fitted, OneHot.Fitted, Drop.Fitted, Select.Fitted {

    /**
     * @param data features with (at least) the columns this step reads
     * @return the transformed features
     * @throws SchemaMismatchException when a column this step needs is missing
     * @throws DataFormatException     when a value cannot be transformed (names the row and value)
     */
    Dataset apply(Dataset data);

    /** @return one line saying what the step does with which learned values */
    String describe();

    /**
     * @param chain fitted steps in order
     * @param data  raw features
     * @return the features after every step
     */
    static Dataset applyAll(List<FittedTransform> chain, Dataset data) {
        Dataset d = data;
        for (FittedTransform t : chain) {
            d = t.apply(d);
        }
        return d;
    }
}
