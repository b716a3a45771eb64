package org.mlops4j.core;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.model.BundleManifest;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** refit() registers a model trained on every row, measured by the one trained on the training rows. */
class RefitTest {
    private static final Pipeline BASE = Pipeline.from(TestData.boston()).label("MEDV").drop("B")
            .transform(Impute.median()).train(RandomForest.regression().trees(10).seed(3)).crossValidate(3);

    @Test
    void theRegisteredModelSeesEveryRowAndTheRecordsSaySoAndWhereTheMetricsCameFrom() {
        Tracker tracker = Tracker.inMemory();
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult measured = BASE.run();
        PipelineResult refit = BASE.refit().track(tracker, "refit").register(registry, "prices").run();

        assertThat(refit.holdout().values()).as("the metrics measure the model of the training rows")
                .isEqualTo(measured.holdout().values());
        assertThat(refit.testPredictions()).isEqualTo(measured.testPredictions());
        assertThat(refit.predictor().predict(refit.testSet())).as("the registered model saw the holdout rows too")
                .isNotEqualTo(refit.testPredictions());

        BundleManifest.Training t = refit.bundle().manifest().training();
        assertThat(t.rows()).isEqualTo(506);
        assertThat(t.refit()).isTrue();
        assertThat(t.trainedOn()).isEqualTo("all 506 rows (refit after evaluation)");
        assertThat(t.metricsFrom()).contains("405 training rows", "101 holdout rows", "3-fold cross-validation over all 506 rows");
        assertThat(measured.bundle().manifest().training().rows()).isEqualTo(405);
        assertThat(measured.bundle().manifest().training().refit()).isFalse();
        assertThat(refit.bundle().trainingProfile().rows()).isEqualTo(506);

        Map<String, String> tags = tracker.run(refit.runId().orElseThrow()).orElseThrow().tags();
        assertThat(tags).containsEntry("mlops.model.trained_on", "all 506 rows (refit after evaluation)")
                .containsKey("mlops.metrics.measured_on");
        assertThat(tracker.run(refit.runId().orElseThrow()).orElseThrow().metrics().get("model_rows").value()).isEqualTo(506.0);
        assertThat(registry.predictor("prices").predict(refit.testSet())).isEqualTo(refit.predictor().predict(refit.testSet()));
    }

    @Test
    void theRecipeRecordsTheRefitAndOlderRecipesReadWithout() {
        PipelineSpec spec = BASE.refit().spec();

        assertThat(new String(spec.toJson(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"refit\" : true");
        assertThat(PipelineSpec.read(spec.toJson()).refit()).isTrue();
        assertThat(PipelineSpec.read(BASE.spec().toJson()).refit()).isFalse();
    }
}
