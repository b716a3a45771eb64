package org.mlops4j.djl;

import org.mlops4j.core.Task;
import org.mlops4j.quant.DenseNetwork;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A trained multi-layer perceptron as plain arrays, independent of any engine: the input standardization,
 * every dense layer's weights ({@code [outputs][inputs]}, row-major) and bias, the hidden activation and,
 * for regression, the target's scale. It is what the {@code djl} flavor's block definition records, what
 * the ONNX export writes as a graph and what {@code Quantize} hands to mlops-quant's {@link DenseNetwork}.
 * {@snippet :
 * MlpNetwork net = ((MlpModel) model).network();
 * net.layers().size();                      // hidden layers + 1
 * DenseNetwork int8 = net.toDenseNetwork(DenseNetwork.WeightFormat.INT8, DenseNetwork.ActivationFormat.FP32);
 * }
 *
 * @param task        regression (one output) or classification (one output per class, softmax)
 * @param features    the columns read, in order
 * @param classes     the classes, in output order (classification), else empty
 * @param activation  the activation after every hidden layer
 * @param inputMean   subtracted from each input column
 * @param inputScale  each centred input is divided by it (1 where a column is constant)
 * @param layers      the dense layers, first to last
 * @param targetMean  regression: added to the network's output after scaling (0 for classification)
 * @param targetScale regression: the network's output is multiplied by it (1 for classification)
 */
public record MlpNetwork(Task task, List<String> features, List<String> classes, Mlp.Activation activation,
                         float[] inputMean, float[] inputScale, List<Layer> layers, double targetMean, double targetScale) {

    /**
     * One dense layer {@code y = W·x + b}.
     *
     * @param inputs  input width
     * @param outputs output width
     * @param weights {@code outputs × inputs}, row-major
     * @param bias    {@code outputs} values
     */
    public record Layer(int inputs, int outputs, float[] weights, float[] bias) {
        /** Checks the sizes. */
        public Layer {
            Objects.requireNonNull(weights, "weights");
            Objects.requireNonNull(bias, "bias");
            if (inputs < 1 || outputs < 1 || weights.length != (long) inputs * outputs || bias.length != outputs) {
                throw new IllegalArgumentException("a " + inputs + " -> " + outputs + " layer needs " + (long) inputs * outputs
                        + " weights and " + outputs + " biases but has " + weights.length + " and " + bias.length);
            }
        }
    }

    /** Checks that the layers chain and the sizes fit. */
    public MlpNetwork {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(activation, "activation");
        features = List.copyOf(features);
        classes = classes == null ? List.of() : List.copyOf(classes);
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        if (inputMean.length != features.size() || inputScale.length != features.size()) {
            throw new IllegalArgumentException("the input standardization has " + inputMean.length + " means and " + inputScale.length
                    + " scales for " + features.size() + " features");
        }
        if (layers.get(0).inputs() != features.size()) {
            throw new IllegalArgumentException("the first layer takes " + layers.get(0).inputs() + " inputs but there are "
                    + features.size() + " features");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                throw new IllegalArgumentException("layer " + (i + 1) + " takes " + layers.get(i).inputs() + " inputs but layer " + i
                        + " gives " + layers.get(i - 1).outputs());
            }
        }
        int outputs = layers.get(layers.size() - 1).outputs();
        int expected = task == Task.REGRESSION ? 1 : classes.size();
        if (outputs != expected) {
            throw new IllegalArgumentException("a " + task.name().toLowerCase(java.util.Locale.ROOT) + " network must give " + expected
                    + " outputs but gives " + outputs);
        }
    }

    /** @return number of input features */
    public int inputs() {
        return features.size();
    }

    /** @return number of outputs: 1 for regression, one per class */
    public int outputs() {
        return layers.get(layers.size() - 1).outputs();
    }

    /** @return number of weights and biases */
    public long parameterCount() {
        long n = 0;
        for (Layer l : layers) {
            n += (long) l.inputs() * l.outputs() + l.outputs();
        }
        return n;
    }

    /**
     * Standardizes rows in place, as the network expects them.
     *
     * @param rows {@code n × inputs()} values, row-major
     */
    public void standardize(float[] rows) {
        int in = inputs();
        for (int i = 0; i < rows.length; i++) {
            int c = i % in;
            rows[i] = (rows[i] - inputMean[c]) / inputScale[c];
        }
    }

    /**
     * The same network on mlops-quant's dense engine: hidden layers with this activation, the last layer
     * with softmax (classification) or none (regression; the target's scale is applied outside).
     *
     * @param weights     weight storage (FP32, FP16, INT8 per channel)
     * @param activations activation representation (INT8_DYNAMIC needs INT8 weights)
     * @return the dense network
     * @throws IllegalArgumentException when the hidden activation has no dense-engine counterpart
     */
    public DenseNetwork toDenseNetwork(DenseNetwork.WeightFormat weights, DenseNetwork.ActivationFormat activations) {
        DenseNetwork.Activation hidden = switch (activation) {
            case RELU -> DenseNetwork.Activation.RELU;
            case GELU -> DenseNetwork.Activation.GELU;
            case TANH -> throw new IllegalArgumentException("mlops-quant's dense engine has no tanh activation; train with "
                    + "activation(Mlp.Activation.RELU) or GELU to quantize this network");
        };
        DenseNetwork.Builder b = DenseNetwork.builder().weights(weights).activations(activations);
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            boolean last = i == layers.size() - 1;
            b.layer(l.weights(), l.outputs(), l.inputs(), l.bias(), last
                    ? (task == Task.CLASSIFICATION ? DenseNetwork.Activation.SOFTMAX : DenseNetwork.Activation.NONE) : hidden);
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MlpNetwork n)) {
            return false;
        }
        if (n.layers.size() != layers.size()) {
            return false;
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer a = layers.get(i);
            Layer c = n.layers.get(i);
            if (a.inputs() != c.inputs() || !Arrays.equals(a.weights(), c.weights()) || !Arrays.equals(a.bias(), c.bias())) {
                return false;
            }
        }
        return task == n.task && features.equals(n.features) && classes.equals(n.classes) && activation == n.activation
                && Arrays.equals(inputMean, n.inputMean) && Arrays.equals(inputScale, n.inputScale)
                && Double.compare(targetMean, n.targetMean) == 0 && Double.compare(targetScale, n.targetScale) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(task, features, classes, activation, Arrays.hashCode(inputMean), layers.size());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("MlpNetwork[").append(task).append(' ').append(inputs());
        for (Layer l : layers) {
            s.append(" -> ").append(l.outputs());
        }
        return s.append(", ").append(activation.name().toLowerCase(java.util.Locale.ROOT)).append(", ").append(parameterCount())
                .append(" parameters]").toString();
    }
}
