package org.mlops4j.core.train;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;

import java.util.Objects;

/**
 * What a {@link Trainer} learns from: features that are ready for a model (numeric and complete, after
 * the fitted transforms; {@link org.mlops4j.core.model.ModelInputs#requireReady} has checked them) and the
 * target, row for row.
 * {@snippet :
 * TrainingSet train = new TrainingSet(readyFeatures, Target.of(data, "MEDV", Task.REGRESSION));
 * }
 *
 * @param features ready features
 * @param target   the label of every row
 */
public record TrainingSet(Dataset features, Target target) {

    /** Checks that features and target have the same rows. */
    public TrainingSet {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(target, "target");
        if (features.rowCount() != target.size()) {
            throw new IllegalArgumentException("features have " + features.rowCount() + " rows but the target has " + target.size());
        }
    }

    /** @return the target's task */
    public Task task() {
        return target.task();
    }

    /** @return number of rows */
    public int rows() {
        return features.rowCount();
    }
}
