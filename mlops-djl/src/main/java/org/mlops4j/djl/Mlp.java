package org.mlops4j.djl;

import org.mlops4j.core.Task;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelInputs;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainerSpec;
import org.mlops4j.core.train.TrainingSet;
import org.mlops4j.djl.internal.MlpFit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A multi-layer perceptron for tabular regression and classification, trained in-process on DJL's PyTorch
 * engine (CPU, offline): {@code hiddenLayers} dense layers of {@code width} units with an activation, then
 * a linear output (softmax cross-entropy for classification, squared error on the standardized target for
 * regression). Inputs are standardized inside the model with the training rows' mean and deviation, so the
 * pipeline needs no scaler for it.
 *
 * <p>Each epoch's training loss and, when {@code validationFraction > 0}, the loss on that share of the
 * training rows (never the pipeline's holdout) are reported as {@code train_loss} and {@code validation_loss}
 * (mean cross-entropy, or mean squared error in the target's units): a tracked pipeline records them as
 * the run's metric history. Training stops early after {@code patience} epochs without a better validation
 * loss and keeps the best epoch's weights. The same seed, data and machine give the same model: weights are
 * initialized and rows shuffled from the seed in Java, and PyTorch runs on the CPU.
 * {@snippet :
 * Trainer mlp = Mlp.classification().hiddenLayers(2).width(128).epochs(60).learningRate(1e-3).seed(7);
 * Model model = mlp.fit(trainingSet, TrainContext.defaults());     // flavor "djl"
 * }
 *
 * @param task               regression or classification
 * @param hiddenLayers       number of hidden layers, 0 to 16 (0 is a linear model)
 * @param width              units per hidden layer, 1 to 65536
 * @param activation         the hidden layers' activation
 * @param epochs             most passes over the training rows, at least 1
 * @param batchSize          rows per gradient step, at least 1
 * @param learningRate       the optimizer's learning rate, greater than 0
 * @param optimizer          Adam or SGD with momentum 0.9
 * @param weightDecay        L2 weight decay, at least 0
 * @param validationFraction share of the training rows held out for early stopping, 0 (no early stopping) to 0.5
 * @param patience           epochs without a better validation loss before stopping, at least 1
 * @param seed               seeds the weights and the row order
 */
public record Mlp(Task task, int hiddenLayers, int width, Activation activation, int epochs, int batchSize, double learningRate,
                  Optimizer optimizer, double weightDecay, double validationFraction, int patience, long seed) implements Trainer {

    /** The hidden layers' activation. */
    public enum Activation {
        /** max(x, 0); runs on every engine, including mlops-quant's int8 dense engine. */
        RELU,
        /** Gaussian error linear unit (exact in PyTorch, tanh approximation on the dense engine). */
        GELU,
        /** Hyperbolic tangent; mlops-quant's dense engine has none, so such a network is not quantized. */
        TANH
    }

    /** The optimizer. */
    public enum Optimizer {
        /** Adam (β₁ 0.9, β₂ 0.999). */
        ADAM,
        /** Stochastic gradient descent with momentum 0.9. */
        SGD
    }

    /** Validates every hyperparameter. */
    public Mlp {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(optimizer, "optimizer");
        if (hiddenLayers < 0 || hiddenLayers > 16) {
            throw new IllegalArgumentException("hiddenLayers must be 0 to 16 but was " + hiddenLayers);
        }
        if (width < 1 || width > 65536) {
            throw new IllegalArgumentException("width must be 1 to 65536 but was " + width);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1 but was " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be > 0 and finite but was " + learningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0 and finite but was " + weightDecay);
        }
        if (!(validationFraction >= 0 && validationFraction <= 0.5)) {
            throw new IllegalArgumentException("validationFraction must be 0 to 0.5 but was " + validationFraction);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1 but was " + patience);
        }
    }

    /** @return a classifier: 2 hidden layers of 128 ReLU units, 100 epochs of Adam (1e-3), batch 32, 10 % validation, patience 10, seed 42 */
    public static Mlp classification() {
        return new Mlp(Task.CLASSIFICATION, 2, 128, Activation.RELU, 100, 32, 1e-3, Optimizer.ADAM, 0, 0.1, 10, 42L);
    }

    /** @return a regressor with the same defaults as {@link #classification()} */
    public static Mlp regression() {
        return new Mlp(Task.REGRESSION, 2, 128, Activation.RELU, 100, 32, 1e-3, Optimizer.ADAM, 0, 0.1, 10, 42L);
    }

    /**
     * @param n number of hidden layers
     * @return the changed trainer
     */
    public Mlp hiddenLayers(int n) {
        return new Mlp(task, n, width, activation, epochs, batchSize, learningRate, optimizer, weightDecay, validationFraction, patience, seed);
    }

    /**
     * @param units units per hidden layer
     * @return the changed trainer
     */
    public Mlp width(int units) {
        return new Mlp(task, hiddenLayers, units, activation, epochs, batchSize, learningRate, optimizer, weightDecay, validationFraction, patience, seed);
    }

    /**
     * @param a the hidden activation
     * @return the changed trainer
     */
    public Mlp activation(Activation a) {
        return new Mlp(task, hiddenLayers, width, a, epochs, batchSize, learningRate, optimizer, weightDecay, validationFraction, patience, seed);
    }

    /**
     * @param n most passes over the data
     * @return the changed trainer
     */
    public Mlp epochs(int n) {
        return new Mlp(task, hiddenLayers, width, activation, n, batchSize, learningRate, optimizer, weightDecay, validationFraction, patience, seed);
    }

    /**
     * @param rows rows per gradient step
     * @return the changed trainer
     */
    public Mlp batchSize(int rows) {
        return new Mlp(task, hiddenLayers, width, activation, epochs, rows, learningRate, optimizer, weightDecay, validationFraction, patience, seed);
    }

    /**
     * @param rate learning rate
     * @return the changed trainer
     */
    public Mlp learningRate(double rate) {
        return new Mlp(task, hiddenLayers, width, activation, epochs, batchSize, rate, optimizer, weightDecay, validationFraction, patience, seed);
    }

    /**
     * @param o the optimizer
     * @return the changed trainer
     */
    public Mlp optimizer(Optimizer o) {
        return new Mlp(task, hiddenLayers, width, activation, epochs, batchSize, learningRate, o, weightDecay, validationFraction, patience, seed);
    }

    /**
     * @param decay L2 weight decay
     * @return the changed trainer
     */
    public Mlp weightDecay(double decay) {
        return new Mlp(task, hiddenLayers, width, activation, epochs, batchSize, learningRate, optimizer, decay, validationFraction, patience, seed);
    }

    /**
     * @param fraction share of the training rows kept for early stopping (0: train every epoch on all rows)
     * @return the changed trainer
     */
    public Mlp validationFraction(double fraction) {
        return new Mlp(task, hiddenLayers, width, activation, epochs, batchSize, learningRate, optimizer, weightDecay, fraction, patience, seed);
    }

    /**
     * @param epochsWithoutImprovement epochs without a better validation loss before stopping
     * @return the changed trainer
     */
    public Mlp patience(int epochsWithoutImprovement) {
        return new Mlp(task, hiddenLayers, width, activation, epochs, batchSize, learningRate, optimizer, weightDecay, validationFraction,
                epochsWithoutImprovement, seed);
    }

    /**
     * @param s random seed
     * @return the changed trainer
     */
    public Mlp seed(long s) {
        return new Mlp(task, hiddenLayers, width, activation, epochs, batchSize, learningRate, optimizer, weightDecay, validationFraction, patience, s);
    }

    @Override
    public TrainerSpec spec() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hidden_layers", Integer.toString(hiddenLayers));
        m.put("width", Integer.toString(width));
        m.put("activation", activation.name().toLowerCase(Locale.ROOT));
        m.put("epochs", Integer.toString(epochs));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("learning_rate", Double.toString(learningRate));
        m.put("optimizer", optimizer.name().toLowerCase(Locale.ROOT));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("validation_fraction", Double.toString(validationFraction));
        m.put("patience", Integer.toString(patience));
        m.put("seed", Long.toString(seed));
        m.put("engine", "pytorch");
        return new TrainerSpec("mlp", task, m);
    }

    @Override
    public Model fit(TrainingSet train, TrainContext context) {
        if (train.task() != task) {
            throw new IllegalArgumentException("mlp " + task.name().toLowerCase(Locale.ROOT) + " cannot learn a "
                    + train.task().name().toLowerCase(Locale.ROOT) + " target");
        }
        ModelInputs.requireReady(train.features(), "add Impute (e.g. transform(Impute.median())) before training", true);
        return MlpModel.of(MlpFit.fit(this, train, context));
    }
}
