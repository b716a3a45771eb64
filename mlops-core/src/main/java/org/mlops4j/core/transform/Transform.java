package org.mlops4j.core.transform;

import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.SchemaMismatchException;

/**
 * An unfitted preprocessing step. {@link #fit} learns its parameters (means, medians, categories…) from
 * the training split only and returns an immutable {@link FittedTransform}; the fitted chain is stored in
 * the model bundle, so inference applies exactly the preprocessing that training saw.
 *
 * <p>Transforms see the feature columns only: the label never reaches them. The built-ins are records
 * ({@link Impute}, {@link Standardize}, {@link MinMax}, {@link Log1p}, {@link OneHot}, {@link Drop},
 * {@link Select}). An application or module adds its own as a record whose type is named by a
 * {@link org.mlops4j.core.transform.spi.TransformTypeProvider}: then the pipeline records it in
 * {@code pipeline.json} and the bundle stores its fitted step in {@code transforms.json}. A transform
 * whose type is not named (a lambda, say) still trains, but a bundle refuses to hold a fitted step of
 * an unnamed type and a recorded pipeline cannot be rebuilt from it.
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
     * @throws InvalidDataException    when the data cannot be fitted (for example a column with no value)
     */
    FittedTransform fit(Dataset train);

    /** @return a short description for run records ({@code impute(median)}); {@code toString()} by default */
    default String describe() {
        return toString();
    }
}
