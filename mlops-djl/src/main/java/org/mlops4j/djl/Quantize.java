package org.mlops4j.djl;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.evaluate.Evaluation;
import org.mlops4j.core.evaluate.Evaluator;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.pipeline.Phase;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.pipeline.Step;
import org.mlops4j.core.pipeline.StepContext;
import org.mlops4j.core.train.FittedChain;
import org.mlops4j.djl.internal.Json;
import org.mlops4j.quant.DenseNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A pipeline step that earns a quantized twin its place: after evaluation it quantizes the trained MLP's
 * weights through mlops-quant (int8 per channel, int8 with dynamic int8 activations, or fp16), scores the
 * quantized model on the same holdout rows with the pipeline's evaluator, and derives it (registered under
 * {@code registerAs}, its lineage naming the fp32 version as parent, its bundle carrying the quantization
 * report) only when the loss stays within the bound: for classification an accuracy drop of at most
 * {@code maxAccuracyDrop} (0.005, i.e. 0.5 percentage points, by default); for regression an RMSE at most
 * {@code maxRelativeRmseIncrease} (5 % by default) above the fp32 model's. Either way the run records the
 * decision and both scores (metrics {@code quant_<scheme>_holdout_*}, tag {@code mlops.quant.<scheme>.decision},
 * artifact {@code quant-<scheme>-gate.json}); a refused twin is not registered and the fp32 model is
 * unaffected.
 * {@snippet :
 * Pipeline.from(digits).label("digit").train(Mlp.classification())
 *         .then(Quantize.int8().registerAs("digits-mlp-int8"))
 *         .register(registry, "digits-mlp", "champion").run();
 * registry.version("digits-mlp-int8").lineage().parent();     // digits-mlp/1
 * }
 *
 * @param scheme                  how weights (and activations) are stored
 * @param registerAs              the model name the twin is registered under
 * @param maxAccuracyDrop         classification: largest accepted drop in holdout accuracy (absolute, 0 to 1)
 * @param maxRelativeRmseIncrease regression: largest accepted relative increase of the holdout RMSE (≥ 0)
 */
public record Quantize(Scheme scheme, String registerAs, double maxAccuracyDrop, double maxRelativeRmseIncrease) implements Step {
    private static final Logger LOG = LoggerFactory.getLogger(Quantize.class);

    /** How the twin stores weights and activations. */
    public enum Scheme {
        /** int8 weights, one symmetric scale per output channel; fp32 activations. */
        INT8(DenseNetwork.WeightFormat.INT8, DenseNetwork.ActivationFormat.FP32, "int8"),
        /** int8 weights per channel and each layer's input quantized to int8 per row at run time. */
        INT8_DYNAMIC(DenseNetwork.WeightFormat.INT8, DenseNetwork.ActivationFormat.INT8_DYNAMIC, "int8_dynamic"),
        /** IEEE half-precision weights; fp32 activations. */
        FP16(DenseNetwork.WeightFormat.FP16, DenseNetwork.ActivationFormat.FP32, "fp16"),
        /** fp32 weights on the dense engine (the reference, no quantization). */
        FP32(DenseNetwork.WeightFormat.FP32, DenseNetwork.ActivationFormat.FP32, "fp32");

        private final DenseNetwork.WeightFormat weights;
        private final DenseNetwork.ActivationFormat activations;
        private final String label;

        Scheme(DenseNetwork.WeightFormat weights, DenseNetwork.ActivationFormat activations, String label) {
            this.weights = weights;
            this.activations = activations;
            this.label = label;
        }

        /** @return the weight format */
        public DenseNetwork.WeightFormat weights() {
            return weights;
        }

        /** @return the activation format */
        public DenseNetwork.ActivationFormat activations() {
            return activations;
        }

        /** @return the short name in metric keys and tags ({@code int8_dynamic}) */
        public String label() {
            return label;
        }
    }

    /**
     * The gate's record, kept in the run and in the twin's bundle ({@code quant-gate.json}).
     *
     * @param scheme         the scheme's label
     * @param metric         the compared metric ({@code accuracy} or {@code rmse})
     * @param parentScore    the fp32 model's holdout score
     * @param quantizedScore the twin's holdout score on the same rows
     * @param change         accuracy drop (parent − twin) or relative RMSE increase ((twin − parent) / parent)
     * @param bound          the largest accepted change
     * @param accepted       whether the twin was derived (and registered, when the pipeline registers)
     * @param holdoutRows    rows scored
     * @param bytesBefore    fp32 weight bytes
     * @param bytesAfter     stored weight bytes
     * @param reason         the decision in words
     */
    public record Gate(String scheme, String metric, double parentScore, double quantizedScore, double change, double bound,
                       boolean accepted, int holdoutRows, long bytesBefore, long bytesAfter, String reason) {
    }

    /** Validates the bounds and the name. */
    public Quantize {
        Objects.requireNonNull(scheme, "scheme");
        if (registerAs == null || !registerAs.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}")) {
            throw new IllegalArgumentException("registerAs must be a model name (letters, digits, '_', '.', '-') but was "
                    + (registerAs == null ? "null" : "'" + registerAs + "'"));
        }
        if (!(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1)) {
            throw new IllegalArgumentException("maxAccuracyDrop must be 0 to 1 (0.005 is half a percentage point) but was " + maxAccuracyDrop);
        }
        if (!(maxRelativeRmseIncrease >= 0) || Double.isInfinite(maxRelativeRmseIncrease)) {
            throw new IllegalArgumentException("maxRelativeRmseIncrease must be >= 0 and finite but was " + maxRelativeRmseIncrease);
        }
    }

    /** @return int8 per-channel weights, registered as {@code <model>-int8}; bounds 0.5 pp / 5 % */
    public static Quantize int8() {
        return new Quantize(Scheme.INT8, "quantized-int8", 0.005, 0.05);
    }

    /** @return int8 weights with dynamic int8 activations */
    public static Quantize int8Dynamic() {
        return new Quantize(Scheme.INT8_DYNAMIC, "quantized-int8-dynamic", 0.005, 0.05);
    }

    /** @return fp16 weights */
    public static Quantize fp16() {
        return new Quantize(Scheme.FP16, "quantized-fp16", 0.005, 0.05);
    }

    /**
     * @param modelName the name the twin is registered under
     * @return the changed step
     */
    public Quantize registerAs(String modelName) {
        return new Quantize(scheme, modelName, maxAccuracyDrop, maxRelativeRmseIncrease);
    }

    /**
     * @param drop largest accepted accuracy drop, absolute (0.005 = 0.5 percentage points)
     * @return the changed step
     */
    public Quantize maxAccuracyDrop(double drop) {
        return new Quantize(scheme, registerAs, drop, maxRelativeRmseIncrease);
    }

    /**
     * @param increase largest accepted relative RMSE increase (0.05 = 5 %)
     * @return the changed step
     */
    public Quantize maxRelativeRmseIncrease(double increase) {
        return new Quantize(scheme, registerAs, maxAccuracyDrop, increase);
    }

    @Override
    public Phase phase() {
        return Phase.EVALUATED;
    }

    @Override
    public List<String> check(PipelineSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec.refit()) {
            problems.add("Quantize scores the twin on the holdout of the model trained on the training rows; with refit() the"
                    + " registered model is another one: remove refit() or quantize the refit model with Quantize.gate(...)");
        }
        if (spec.trainer() instanceof Mlp m && m.activation() == Mlp.Activation.TANH) {
            problems.add("Quantize runs the twin on mlops-quant's dense engine, which has no tanh; train with"
                    + " activation(Mlp.Activation.RELU) or GELU");
        }
        if (spec.trainer() != null && !(spec.trainer() instanceof Mlp)) {
            problems.add("Quantize quantizes an MLP (org.mlops4j.djl.Mlp) but the trainer is " + spec.trainer().spec().name());
        }
        return problems;
    }

    @Override
    public void apply(StepContext context) {
        FittedChain fitted = context.fitted().orElseThrow(() -> new IllegalStateException("Quantize runs after training"));
        if (!(fitted.model() instanceof MlpModel mlp)) {
            throw new IllegalStateException("Quantize quantizes an MLP (flavor djl) but the trained model is " + fitted.model().flavor());
        }
        PipelineSpec spec = context.spec();
        Dataset data = context.data();
        Task task = mlp.signature().task();
        Target truth = Target.of(data, spec.label(), task);
        String[] strata = task == Task.CLASSIFICATION ? truth.labels() : null;
        int[] test = spec.split().folds(data.rowCount(), strata).get(0).test();
        Dataset raw = data.drop(spec.label()).rows(test);
        Target holdoutTruth = truth.rows(test);
        Evaluator evaluator = spec.evaluator();
        String metric = task == Task.CLASSIFICATION ? "accuracy" : "rmse";
        Evaluation parent = evaluator.evaluate(holdoutTruth, fitted.predict(raw));
        double recorded = context.metrics().getOrDefault("holdout_" + metric, Double.NaN);
        if (Math.abs(parent.get(metric) - recorded) > 1e-9) {
            throw new IllegalStateException("Quantize could not rebuild the pipeline's holdout: the fp32 model scores " + metric + " "
                    + parent.get(metric) + " on the rows it chose but the run recorded " + recorded);
        }
        QuantizedDenseModel twin = QuantizedDenseModel.of(mlp.network(), scheme, null);
        List<Prediction> predicted = Predictor.of(twin, fitted.transforms(), raw.schema()).predict(raw);
        Evaluation quantized = evaluator.evaluate(holdoutTruth, predicted);
        Gate gate = decide(metric, parent.get(metric), quantized.get(metric), test.length, twin);
        String key = "quant_" + scheme.label();
        context.run().ifPresent(run -> {
            Map<String, Double> m = new LinkedHashMap<>();
            quantized.values().forEach((k, v) -> m.put(key + "_holdout_" + k, v));
            m.put(key + "_change", gate.change());
            m.put(key + "_bytes", (double) gate.bytesAfter());
            run.logMetrics(m);
            run.setTags(Map.of("mlops.quant." + scheme.label() + ".decision", gate.accepted() ? "registered" : "refused",
                    "mlops.quant." + scheme.label() + ".reason", gate.reason()));
        });
        context.attach("quant-" + scheme.label().replace('_', '-') + "-gate.json", Json.write(gate));
        if (gate.accepted()) {
            LOG.info("quantized twin {}: {}", registerAs, gate.reason());
            Map<String, Double> metrics = new LinkedHashMap<>();
            quantized.values().forEach((k, v) -> metrics.put("holdout_" + k, v));
            metrics.put("parent_holdout_" + metric, parent.get(metric));
            metrics.put("quant_change", gate.change());
            metrics.put("weight_bytes", (double) gate.bytesAfter());
            context.derive(registerAs, twin.withGate(gate), metrics);
        } else {
            LOG.warn("quantized twin {} refused: {}", registerAs, gate.reason());
        }
    }

    private Gate decide(String metric, double parent, double quantized, int rows, QuantizedDenseModel twin) {
        long before = twin.report().bytesBefore();
        long after = twin.dense().sizeInBytes();
        if (metric.equals("accuracy")) {
            double drop = parent - quantized;
            boolean ok = drop <= maxAccuracyDrop + 1e-12;
            String reason = String.format(Locale.ROOT, "%s holdout accuracy %.4f vs fp32 %.4f on %d rows: a drop of %.2f pp, %s the"
                    + " bound of %.2f pp", scheme.label(), quantized, parent, rows, 100 * drop, ok ? "within" : "beyond", 100 * maxAccuracyDrop);
            return new Gate(scheme.label(), metric, parent, quantized, drop, maxAccuracyDrop, ok, rows, before, after, reason);
        }
        double increase = parent > 0 ? (quantized - parent) / parent : (quantized > parent ? Double.POSITIVE_INFINITY : 0);
        boolean ok = increase <= maxRelativeRmseIncrease + 1e-12;
        String reason = String.format(Locale.ROOT, "%s holdout RMSE %.6g vs fp32 %.6g on %d rows: %+.2f %%, %s the bound of %.2f %%",
                scheme.label(), quantized, parent, rows, 100 * increase, ok ? "within" : "beyond", 100 * maxRelativeRmseIncrease);
        return new Gate(scheme.label(), metric, parent, quantized, increase, maxRelativeRmseIncrease, ok, rows, before, after, reason);
    }

    /**
     * The gate on its own, for a model outside a pipeline: quantizes, scores both on the given rows, decides.
     *
     * @param model      a trained MLP
     * @param scheme     the storage scheme
     * @param features   ready holdout features (after the fitted transforms)
     * @param truth      their labels
     * @param evaluator  scores predictions
     * @param bound      the largest accepted accuracy drop (classification) or relative RMSE increase (regression)
     * @return the quantized model, with its gate record (check {@link Gate#accepted()})
     */
    public static QuantizedDenseModel gate(MlpModel model, Scheme scheme, Dataset features, Target truth, Evaluator evaluator, double bound) {
        Task task = model.signature().task();
        String metric = task == Task.CLASSIFICATION ? "accuracy" : "rmse";
        QuantizedDenseModel twin = QuantizedDenseModel.of(model.network(), scheme, null);
        double parent = evaluator.evaluate(truth, model.predict(features)).get(metric);
        double quantized = evaluator.evaluate(truth, twin.predict(features)).get(metric);
        Quantize q = new Quantize(scheme, "quantized", task == Task.CLASSIFICATION ? bound : 0.005, task == Task.CLASSIFICATION ? 0.05 : bound);
        return twin.withGate(q.decide(metric, parent, quantized, features.rowCount(), twin));
    }

    /** @return the gate record as UTF-8 JSON, for files and messages */
    static byte[] json(Gate gate) {
        return gate == null ? "null".getBytes(StandardCharsets.UTF_8) : Json.write(gate);
    }
}
