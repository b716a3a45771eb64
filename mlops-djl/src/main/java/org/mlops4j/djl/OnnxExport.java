package org.mlops4j.djl;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.pipeline.Phase;
import org.mlops4j.core.pipeline.Step;
import org.mlops4j.core.pipeline.StepContext;
import org.mlops4j.core.train.FittedChain;
import org.mlops4j.core.transform.FittedTransform;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A pipeline step that derives the trained model's ONNX twin (flavor {@code onnx}) after evaluation and
 * registers it under {@code registerAs} with the trained version as lineage parent, once it predicts the
 * holdout rows like the trained model: every value or class score within {@code tolerance}. The run
 * records the largest difference ({@code onnx_max_difference}); a twin beyond the tolerance fails the run,
 * because it would mean the export is wrong.
 * {@snippet :
 * Pipeline.from(csv).label("MEDV").train(RandomForest.regression().trees(100))
 *         .then(new OnnxExport("house-prices-onnx", 1e-5))
 *         .register(registry, "house-prices").run();
 * }
 *
 * @param registerAs the model name of the twin
 * @param tolerance  the largest accepted difference between the two models' predictions
 */
public record OnnxExport(String registerAs, double tolerance) implements Step {

    /** Validates. */
    public OnnxExport {
        if (registerAs == null || !registerAs.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}")) {
            throw new IllegalArgumentException("registerAs must be a model name but was " + registerAs);
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be >= 0 and finite but was " + tolerance);
        }
    }

    @Override
    public Phase phase() {
        return Phase.EVALUATED;
    }

    @Override
    public void apply(StepContext context) {
        FittedChain fitted = context.fitted().orElseThrow(() -> new IllegalStateException("OnnxExport runs after training"));
        Model model = fitted.model();
        OnnxModel onnx = Onnx.export(model);
        Dataset data = context.data();
        String label = context.spec().label();
        Dataset ready = FittedTransform.applyAll(fitted.transforms(), data.drop(label));
        double diff = Onnx.maxDifference(model, onnx, ready.select(model.signature().features()));
        context.run().ifPresent(r -> r.logMetric("onnx_max_difference", diff));
        if (!(diff <= tolerance)) {
            onnx.close();
            throw new IllegalStateException(String.format(Locale.ROOT, "the ONNX export of the %s model differs from it by %.3g on the"
                    + " loaded rows, beyond the tolerance %.3g; it is not registered", model.flavor(), diff, tolerance));
        }
        Map<String, Double> metrics = new LinkedHashMap<>(context.metrics());
        metrics.put("onnx_max_difference", diff);
        context.derive(registerAs, onnx, metrics);
        if (model.signature().task() == Task.CLASSIFICATION) {
            context.run().ifPresent(r -> r.setTag("mlops.onnx.output", onnx.spec().outputName()));
        }
    }
}
