package org.mlops4j.core.train;

import org.mlops4j.core.Task;
import org.mlops4j.core.internal.tribuo.TribuoFits;
import org.mlops4j.core.model.Model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A single CART decision tree (Tribuo's {@code CARTRegressionTrainer} / {@code CARTClassificationTrainer}).
 * {@snippet :
 * DecisionTree.regression().maxDepth(6).minChildWeight(5);
 * }
 *
 * @param task           regression or classification
 * @param maxDepth       maximum depth, at least 1 ({@link Integer#MAX_VALUE} for unlimited)
 * @param minChildWeight minimum number of rows in a leaf, greater than 0
 * @param seed           random seed (used when features are sampled)
 */
public record DecisionTree(Task task, int maxDepth, double minChildWeight, long seed) implements Trainer {

    /** Validates every hyperparameter. */
    public DecisionTree {
        Objects.requireNonNull(task, "task");
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be >= 1 but was " + maxDepth);
        }
        if (!(minChildWeight > 0) || Double.isInfinite(minChildWeight)) {
            throw new IllegalArgumentException("minChildWeight must be > 0 and finite but was " + minChildWeight);
        }
    }

    /** @return an unlimited-depth regression tree */
    public static DecisionTree regression() {
        return new DecisionTree(Task.REGRESSION, Integer.MAX_VALUE, 1.0, 42L);
    }

    /** @return an unlimited-depth classification tree */
    public static DecisionTree classification() {
        return new DecisionTree(Task.CLASSIFICATION, Integer.MAX_VALUE, 1.0, 42L);
    }

    /**
     * @param depth maximum depth, at least 1
     * @return the changed tree
     */
    public DecisionTree maxDepth(int depth) {
        return new DecisionTree(task, depth, minChildWeight, seed);
    }

    /**
     * @param weight minimum rows in a leaf
     * @return the changed tree
     */
    public DecisionTree minChildWeight(double weight) {
        return new DecisionTree(task, maxDepth, weight, seed);
    }

    /**
     * @param s random seed
     * @return the changed tree
     */
    public DecisionTree seed(long s) {
        return new DecisionTree(task, maxDepth, minChildWeight, s);
    }

    @Override
    public TrainerSpec spec() {
        return new TrainerSpec(name(), task, hyperparameters());
    }

    @Override
    public Model fit(TrainingSet train, TrainContext context) {
        Trainers.requireTask(this, train);
        return TribuoFits.tree(train.features(), train.target(), context.clock().instant(), maxDepth, minChildWeight, seed);
    }

    /** @return the name recorded with the run */
    public String name() {
        return "decision_tree";
    }

    /** @return every hyperparameter, as recorded in the run's params (stable keys, snake_case) */
    public Map<String, String> hyperparameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("max_depth", maxDepth == Integer.MAX_VALUE ? "unlimited" : Integer.toString(maxDepth));
        m.put("min_child_weight", Double.toString(minChildWeight));
        m.put("seed", Long.toString(seed));
        return m;
    }
}
