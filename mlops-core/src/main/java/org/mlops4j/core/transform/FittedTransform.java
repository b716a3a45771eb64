package org.mlops4j.core.transform;

import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.SchemaMismatchException;

import java.util.List;

/**
 * A preprocessing step with its learned parameters: immutable, thread-safe, and stored as JSON in the
 * model bundle ({@code transforms.json}) under the name its {@link org.mlops4j.core.transform.spi.TransformType}
 * gives it. The built-ins are the {@code Fitted} records of the built-in transforms; a module adds its
 * own as a record named by a {@link org.mlops4j.core.transform.spi.TransformTypeProvider}. A bundle that
 * names a type no provider on the class path knows is refused, with the name and the known names.
 * {@snippet :
 * List<FittedTransform> chain = result.transforms();
 * Dataset ready = FittedTransform.applyAll(chain, rawFeatures);
 * }
 */
public interface FittedTransform {

    /**
     * @param data features with (at least) the columns this step reads
     * @return the transformed features
     * @throws SchemaMismatchException when a column this step needs is missing
     * @throws InvalidDataException    when a value cannot be transformed (names the row and value)
     */
    Dataset apply(Dataset data);

    /** @return one line saying what the step does with which learned values; {@code toString()} by default */
    default String describe() {
        return toString();
    }

    /**
     * @param chain fitted steps in order
     * @param data  raw features
     * @return the features after every step
     */
    static Dataset applyAll(List<? extends FittedTransform> chain, Dataset data) {
        Dataset d = data;
        for (FittedTransform t : chain) {
            d = t.apply(d);
        }
        return d;
    }
}
