package org.mlops4j.core.train;

import org.mlops4j.core.Task;
import org.mlops4j.core.internal.tribuo.TribuoFits;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.transform.Standardize;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A linear model fitted by stochastic gradient descent with AdaGrad (Tribuo's {@code LinearSGDTrainer}):
 * squared loss for regression, multinomial logistic loss for classification. Standardize the features
 * first; SGD is sensitive to their scale.
 * {@snippet :
 * Linear.regression().epochs(50).learningRate(0.5).seed(42);
 * }
 *
 * @param task         regression or classification
 * @param epochs       passes over the training data, at least 1
 * @param learningRate AdaGrad's initial learning rate, greater than 0
 * @param minibatch    rows per gradient step, at least 1
 * @param seed         random seed for the row order
 */
public record Linear(Task task, int epochs, double learningRate, int minibatch, long seed) implements Trainer {

    /** Validates every hyperparameter. */
    public Linear {
        Objects.requireNonNull(task, "task");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1 but was " + epochs);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be > 0 and finite but was " + learningRate);
        }
        if (minibatch < 1) {
            throw new IllegalArgumentException("minibatch must be >= 1 but was " + minibatch);
        }
    }

    /** @return linear regression: 50 epochs, learning rate 0.5, minibatch 1 */
    public static Linear regression() {
        return new Linear(Task.REGRESSION, 50, 0.5, 1, 42L);
    }

    /** @return logistic regression: 50 epochs, learning rate 0.5, minibatch 1 */
    public static Linear classification() {
        return new Linear(Task.CLASSIFICATION, 50, 0.5, 1, 42L);
    }

    /**
     * @param n passes over the data
     * @return the changed model
     */
    public Linear epochs(int n) {
        return new Linear(task, n, learningRate, minibatch, seed);
    }

    /**
     * @param rate initial learning rate
     * @return the changed model
     */
    public Linear learningRate(double rate) {
        return new Linear(task, epochs, rate, minibatch, seed);
    }

    /**
     * @param rows rows per gradient step
     * @return the changed model
     */
    public Linear minibatch(int rows) {
        return new Linear(task, epochs, learningRate, rows, seed);
    }

    /**
     * @param s random seed
     * @return the changed model
     */
    public Linear seed(long s) {
        return new Linear(task, epochs, learningRate, minibatch, s);
    }

    @Override
    public TrainerSpec spec() {
        return new TrainerSpec(name(), task, hyperparameters());
    }

    @Override
    public Model fit(TrainingSet train, TrainContext context) {
        Trainers.requireTask(this, train);
        return TribuoFits.linear(train.features(), train.target(), context.clock().instant(), epochs, learningRate, minibatch, seed);
    }

    /** @return the name recorded with the run */
    public String name() {
        return "linear_sgd";
    }

    /** @return every hyperparameter, as recorded in the run's params (stable keys, snake_case) */
    public Map<String, String> hyperparameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("epochs", Integer.toString(epochs));
        m.put("learning_rate", Double.toString(learningRate));
        m.put("minibatch", Integer.toString(minibatch));
        m.put("seed", Long.toString(seed));
        return m;
    }
}
