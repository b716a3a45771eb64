package org.mlops4j.core;

/**
 * An unfitted preprocessing step. {@link #fit} learns its parameters (means, medians, categories…) from
 * the training split only and returns an immutable {@link FittedTransform}; the fitted chain is stored in
 * the model bundle, so inference applies exactly the preprocessing that training saw.
 *
 * <p>Transforms see the feature columns only: the label never reaches them. An application may implement
 * this interface (to choose columns by a rule of its own, say) as long as {@code fit} returns one of the
 * built-in fitted steps: bundles store only those, so a model never depends on application classes.
 * {@snippet :
 * Transform t = Standardize.all();
 * FittedTransform fitted = t.fit(trainFeatures);    // learns mean and std per column
 * Dataset scaled = fitted.apply(testFeatures);     // uses the training mean and std
 * }
 */
@FunctionalInterface
public interface Transform {

    /**
     * @param train the training features
     * @return the fitted, immutable step
     * @throws SchemaMismatchException when a named column is missing or has the wrong type
     * @throws DataFormatException     when the data cannot be fitted (for example a column with no value)
     */
    FittedTransform fit(Dataset train);
}
