package org.mlops4j.djl;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.Reproduction;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;

import static org.assertj.core.api.Assertions.assertThat;

/** A run whose steps derived quantized twins reproduces exactly, and so does each twin's registered version. */
class ReproduceDerivedTest {

    @Test
    void aRunWithQuantizedTwinsAndEachTwinReproduceBitForBit() {
        Tracker tracker = Tracker.inMemory();
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult r = Pipeline.from(Digits.csv()).label("digit")
                .train(Mlp.classification().hiddenLayers(1).width(32).epochs(8).seed(11))
                .then(Quantize.int8().registerAs("digits-int8"))
                .then(Quantize.fp16().registerAs("digits-fp16"))
                .track(tracker, "digits").register(registry, "digits-mlp").run();
        assertThat(r.derivedVersions()).containsOnlyKeys("digits-int8", "digits-fp16");
        String runId = r.runId().orElseThrow();

        Reproduction run = Pipeline.reproduce(tracker, runId);
        assertThat(run.differences()).as(run.toString()).isEmpty();
        assertThat(run.compared()).anySatisfy(c -> assertThat(c).contains("derived model payload fingerprints (digits-fp16, digits-int8)"));

        for (String twin : new String[] {"digits-int8", "digits-fp16"}) {
            Reproduction v = Pipeline.reproduce(tracker, registry, "models:/" + twin + "/1");
            assertThat(v.differences()).as(v.toString()).isEmpty();
            assertThat(v.compared()).contains("registered payload fingerprint (" + twin + ", derived from digits-mlp/1)");
            assertThat(v.model()).isEqualTo("models:/" + twin + "/1");
        }
    }

    @Test
    void aRegressionTwinsScoresReproduceBitForBitAcrossKernelWarmUp() {
        int n = 400;
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] y = new double[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            x1[i] = rnd.nextDouble(-2, 2);
            x2[i] = rnd.nextDouble(-2, 2);
            y[i] = 3 * Math.sin(x1[i]) + x2[i] * x2[i];
        }
        org.mlops4j.core.data.Dataset d = org.mlops4j.core.data.Dataset.builder("synthetic")
                .numeric("x1", x1).numeric("x2", x2).numeric("y", y).build();
        Tracker tracker = Tracker.inMemory();
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult r = Pipeline.from(d).label("y")
                .train(Mlp.regression().width(48).epochs(30).learningRate(1e-2).seed(2))
                .then(Quantize.int8Dynamic().registerAs("synthetic-int8").maxRelativeRmseIncrease(0.5))
                .then(Quantize.fp16().registerAs("synthetic-fp16").maxRelativeRmseIncrease(0.5))
                .track(tracker, "synthetic").snapshotData().register(registry, "synthetic").run();
        assertThat(r.derivedVersions()).containsOnlyKeys("synthetic-int8", "synthetic-fp16");
        // the first run scored the twins with cold kernels; these run them warm (compiled by C2), many times over
        for (int i = 0; i < 5; i++) {
            Reproduction again = Pipeline.reproduce(tracker, r.runId().orElseThrow());
            assertThat(again.differences()).as(again.toString()).isEmpty();
        }
        Reproduction v = Pipeline.reproduce(tracker, registry, "models:/synthetic-int8/1");
        assertThat(v.differences()).as(v.toString()).isEmpty();
    }
}
