package org.mlops4j.core.train;

import org.mlops4j.core.Task;
import org.mlops4j.core.internal.tribuo.TribuoFits;
import org.mlops4j.core.model.Model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A random forest of CART trees on bootstrap samples (Tribuo's {@code RandomForestTrainer}; with every
 * feature considered at each split it is plain bagging, Tribuo's {@code BaggingTrainer}). Defaults follow
 * scikit-learn's: 100 trees, unlimited depth, leaves of at least one row, all features per split for
 * regression and √p of p for classification.
 * {@snippet :
 * RandomForest.regression().trees(100).seed(42);
 * RandomForest.classification().trees(300).maxDepth(10).featureFraction(0.5);
 * }
 *
 * @param task            regression or classification
 * @param trees           number of trees, at least 1
 * @param maxDepth        maximum tree depth, at least 1 ({@link Integer#MAX_VALUE} for unlimited)
 * @param minChildWeight  minimum number of rows (weight) in a leaf, greater than 0
 * @param featureFraction share of features tried at each split in (0, 1], or null for the task's default
 * @param seed            random seed for bootstrap samples and feature choice
 */
public record RandomForest(Task task, int trees, int maxDepth, double minChildWeight, Double featureFraction, long seed)
        implements Trainer {

    /** Validates every hyperparameter. */
    public RandomForest {
        Objects.requireNonNull(task, "task");
        if (trees < 1) {
            throw new IllegalArgumentException("trees must be >= 1 but was " + trees);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be >= 1 but was " + maxDepth);
        }
        if (!(minChildWeight > 0) || Double.isInfinite(minChildWeight)) {
            throw new IllegalArgumentException("minChildWeight must be > 0 and finite but was " + minChildWeight);
        }
        if (featureFraction != null && !(featureFraction > 0 && featureFraction <= 1)) {
            throw new IllegalArgumentException("featureFraction must be > 0 and <= 1 but was " + featureFraction);
        }
    }

    /** @return a 100-tree regression forest, seed 42 */
    public static RandomForest regression() {
        return new RandomForest(Task.REGRESSION, 100, Integer.MAX_VALUE, 1.0, null, 42L);
    }

    /** @return a 100-tree classification forest, seed 42 */
    public static RandomForest classification() {
        return new RandomForest(Task.CLASSIFICATION, 100, Integer.MAX_VALUE, 1.0, null, 42L);
    }

    /**
     * @param n number of trees, at least 1
     * @return the changed forest
     */
    public RandomForest trees(int n) {
        return new RandomForest(task, n, maxDepth, minChildWeight, featureFraction, seed);
    }

    /**
     * @param depth maximum depth, at least 1
     * @return the changed forest
     */
    public RandomForest maxDepth(int depth) {
        return new RandomForest(task, trees, depth, minChildWeight, featureFraction, seed);
    }

    /**
     * @param weight minimum rows in a leaf, greater than 0
     * @return the changed forest
     */
    public RandomForest minChildWeight(double weight) {
        return new RandomForest(task, trees, maxDepth, weight, featureFraction, seed);
    }

    /**
     * @param fraction share of features tried at each split, in (0, 1]
     * @return the changed forest
     */
    public RandomForest featureFraction(double fraction) {
        return new RandomForest(task, trees, maxDepth, minChildWeight, fraction, seed);
    }

    /**
     * @param s random seed
     * @return the changed forest
     */
    public RandomForest seed(long s) {
        return new RandomForest(task, trees, maxDepth, minChildWeight, featureFraction, s);
    }

    /**
     * @param features number of features the forest will see
     * @return the fraction used: the one set, else 1 for regression and √p/p for classification
     */
    public double effectiveFeatureFraction(int features) {
        if (featureFraction != null) {
            return featureFraction;
        }
        return task == Task.REGRESSION || features <= 1 ? 1.0 : Math.max(1, Math.floor(Math.sqrt(features))) / features;
    }

    @Override
    public TrainerSpec spec() {
        return new TrainerSpec(name(), task, hyperparameters());
    }

    @Override
    public Model fit(TrainingSet train, TrainContext context) {
        Trainers.requireTask(this, train);
        return TribuoFits.forest(train.features(), train.target(), context.clock().instant(), trees, maxDepth,
                minChildWeight, effectiveFeatureFraction(train.features().columnCount()), seed);
    }

    /** @return the name recorded with the run */
    public String name() {
        return "random_forest";
    }

    /** @return every hyperparameter, as recorded in the run's params (stable keys, snake_case) */
    public Map<String, String> hyperparameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("trees", Integer.toString(trees));
        m.put("max_depth", maxDepth == Integer.MAX_VALUE ? "unlimited" : Integer.toString(maxDepth));
        m.put("min_child_weight", Double.toString(minChildWeight));
        m.put("feature_fraction", featureFraction == null ? "auto" : Double.toString(featureFraction));
        m.put("seed", Long.toString(seed));
        return m;
    }
}
