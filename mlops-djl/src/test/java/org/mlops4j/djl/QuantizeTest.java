package org.mlops4j.djl;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.djl.internal.Json;
import org.mlops4j.quant.QuantReport;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantizeTest {

    @Test
    void digitsTwinsPassTheGateAndAreRegisteredWithTheParentAsLineage() throws Exception {
        Tracker tracker = Tracker.inMemory();
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult r = Pipeline.from(Digits.csv()).label("digit")
                .train(Mlp.classification().hiddenLayers(1).width(64).epochs(40).patience(5).seed(7))
                .then(Quantize.int8().registerAs("digits-int8"))
                .then(Quantize.int8Dynamic().registerAs("digits-int8-dyn").maxAccuracyDrop(0.02))
                .then(Quantize.fp16().registerAs("digits-fp16"))
                .track(tracker, "digits").register(registry, "digits-mlp", "champion").run();
        assertThat(r.derivedVersions()).containsOnlyKeys("digits-int8", "digits-int8-dyn", "digits-fp16");
        double fp32 = r.holdout().get("accuracy");
        Run run = tracker.run(r.runId().orElseThrow()).orElseThrow();
        for (String name : List.of("digits-int8", "digits-int8-dyn", "digits-fp16")) {
            ModelVersion v = registry.version(name);
            assertThat(v.lineage().parent()).isEqualTo("digits-mlp/1");
            assertThat(v.lineage().runId()).isEqualTo(r.runId().orElseThrow());
            ModelBundle b = registry.load(name + "/1");
            assertThat(b.manifest().flavor()).isEqualTo("quantized-dense");
            assertThat(b.files()).containsKeys("dense.json", "dense.bin", "quant-report.json", "quant-report.md", "quant-gate.json");
            Quantize.Gate gate = Json.read(b.files().get("quant-gate.json"), Quantize.Gate.class);
            assertThat(gate.accepted()).isTrue();
            assertThat(gate.parentScore()).isEqualTo(fp32);
            assertThat(v.metrics().get("holdout_accuracy")).isEqualTo(gate.quantizedScore());
            assertThat(v.metrics().get("parent_holdout_accuracy")).isEqualTo(fp32);
            assertThat(fp32 - gate.quantizedScore()).isLessThanOrEqualTo(gate.bound() + 1e-12);
            QuantizedDenseModel loaded = (QuantizedDenseModel) b.model();
            assertThat(loaded.report().tensors()).hasSize(2);
            QuantizedDenseModel inMemory = (QuantizedDenseModel) r.derivedBundles().get(name).model();
            assertThat(loaded.report()).isEqualTo(inMemory.report());
            // the registered weights are exactly the gated twin's, byte for byte ...
            assertThat(b.files().get("dense.bin")).isEqualTo(r.derivedBundles().get(name).files().get("dense.bin"));
            // ... and predict what the twin predicted when it was gated. Not bit for bit: the Vector API leaves the order
            // of a float reduceLanes(ADD) to the implementation, and its Java fallback (before C2 compiles a kernel) and
            // the C2 intrinsic sum the lanes in different orders, so a call before and after warm-up can differ in the
            // last float bits (seen: 2e-6 relative on a probability of 2.6e-8).
            Predictor p = registry.predictor(name + "/1");
            Dataset test = r.testSet();
            List<Prediction> a = p.predict(test);
            List<Prediction> e = Predictor.of(inMemory, r.transforms(), test.drop("digit").schema()).predict(test.drop("digit"));
            assertThat(a).hasSameSizeAs(e);
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).label()).as("row " + i).isEqualTo(e.get(i).label());
                assertThat(a.get(i).scores().keySet()).isEqualTo(e.get(i).scores().keySet());
                for (var s : e.get(i).scores().entrySet()) {
                    assertThat(a.get(i).scores().get(s.getKey())).as("row " + i + " class " + s.getKey())
                            .isCloseTo(s.getValue(), org.assertj.core.data.Offset.offset(1e-6 + 1e-5 * s.getValue()));
                }
            }
            String label = gate.scheme();
            assertThat(run.tags()).containsEntry("mlops.quant." + label + ".decision", "registered");
            assertThat(run.metrics()).containsKey("quant_" + label + "_holdout_accuracy");
        }
        QuantReport int8 = ((QuantizedDenseModel) registry.load("digits-int8").model()).report();
        assertThat(int8.compression()).isGreaterThan(3.5);
        assertThat(registry.load("digits-fp16").files().get("dense.bin").length)
                .isLessThan(registry.load("digits-mlp").files().get("mlp.params").length * 6 / 10);
        // the fp32 version is untouched by its twins
        assertThat(registry.version("digits-mlp@champion").metrics().get("holdout_accuracy")).isEqualTo(fp32);
    }

    @Test
    void aTwinBeyondItsBoundIsRecordedAndNotRegistered() {
        int n = 300;
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] y = new double[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            x1[i] = rnd.nextDouble(-2, 2);
            x2[i] = rnd.nextDouble(-2, 2);
            y[i] = 3 * Math.sin(x1[i]) + x2[i] * x2[i];
        }
        Dataset d = Dataset.builder("synthetic").numeric("x1", x1).numeric("x2", x2).numeric("y", y).build();
        Tracker tracker = Tracker.inMemory();
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult r = Pipeline.from(d).label("y").train(Mlp.regression().width(32).epochs(60).learningRate(1e-2).seed(2))
                .then(Quantize.int8Dynamic().registerAs("synthetic-int8").maxRelativeRmseIncrease(0.0))
                .track(tracker, "gate").register(registry, "synthetic").run();
        Run run = tracker.run(r.runId().orElseThrow()).orElseThrow();
        assertThat(run.tags()).containsEntry("mlops.quant.int8_dynamic.decision", "refused");
        assertThat(run.tags().get("mlops.quant.int8_dynamic.reason")).contains("beyond the bound of 0.00 %");
        assertThat(run.metrics()).containsKey("quant_int8_dynamic_holdout_rmse");
        assertThat(r.derivedVersions()).isEmpty();
        assertThat(registry.models()).containsExactly("synthetic");
        assertThat(new String(r.bundle().files().get("quant-int8-dynamic-gate.json"), StandardCharsets.UTF_8)).contains("\"accepted\" : false");
    }

    @Test
    void quantizeRefusesWhatItCannotScore() {
        assertThatThrownBy(() -> Pipeline.from(Digits.csv()).label("digit").train(Mlp.classification()).refit()
                .then(Quantize.int8()).run()).hasMessageContaining("remove refit()");
        assertThatThrownBy(() -> Pipeline.from(Digits.csv()).label("digit").train(Mlp.classification().activation(Mlp.Activation.TANH))
                .then(Quantize.int8()).run()).hasMessageContaining("which has no tanh");
        assertThatThrownBy(() -> Quantize.int8().maxAccuracyDrop(5)).hasMessageContaining("maxAccuracyDrop must be 0 to 1");
        assertThatThrownBy(() -> Quantize.int8().registerAs("a b")).hasMessageContaining("registerAs must be a model name");
    }
}
