package org.mlops4j.core;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.pipeline.Phase;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.pipeline.Steps;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.Linear;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Log1p;
import org.mlops4j.core.transform.OneHot;
import org.mlops4j.core.transform.Standardize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pipeline is a recorded recipe: every run writes pipeline.json, and the file rebuilds the same pipeline. */
class PipelineRecipeTest {
    private static final Pipeline RECIPE = Pipeline.from(TestData.boston())
            .label("MEDV").drop("B")
            .transform(Impute.median(), Log1p.columns("CRIM", "LSTAT"), Standardize.all())
            .split(Split.trainTest(0.75).seed(3))
            .train(RandomForest.regression().trees(20).maxDepth(12).featureFraction(0.6).seed(7))
            .evaluate(Metrics.regression())
            .crossValidate(Split.kFold(3).seed(11))
            .then(Steps.atMost("holdout_rmse", 100.0));

    private static Tracker tracker;
    private static PipelineResult first;

    @BeforeAll
    static void runOnce() {
        tracker = Tracker.inMemory();
        first = RECIPE.track(tracker, "recipes").register(ModelRegistry.inMemory(), "recipe").run();
    }

    private static byte[] artifact(String runId, String path) throws IOException {
        try (InputStream in = tracker.openArtifact(runId, path)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aRunRecordedAsPipelineJsonRebuildsAndReRunsBitForBit() throws IOException {
        String runId = first.runId().orElseThrow();
        byte[] recorded = artifact(runId, "pipeline.json");

        PipelineSpec spec = PipelineSpec.read(recorded);
        PipelineResult again = Pipeline.of(spec).run();

        assertThat(spec).isEqualTo(first.spec());
        assertThat(again.testPredictions()).isEqualTo(first.testPredictions());
        assertThat(again.holdout().values()).isEqualTo(first.holdout().values());
        assertThat(again.crossValidation().orElseThrow().summary()).isEqualTo(first.crossValidation().orElseThrow().summary());
        assertThat(again.bundle().file(ModelBundle.TRANSFORMS)).get().isEqualTo(first.bundle().file(ModelBundle.TRANSFORMS).orElseThrow());
        // Tribuo stamps its own provenance time into the payload, so the model file differs byte-wise; what it predicts does not.
        assertThat(again.bundle().predictor().predict(first.testSet())).isEqualTo(first.testPredictions());
        assertThat(first.bundle().file("pipeline.json")).get().isEqualTo(recorded);
    }

    @Test
    void theRecordedFileNamesEveryPartByTypeAndHoldsEveryValue() throws IOException {
        String json = new String(artifact(first.runId().orElseThrow(), "pipeline.json"), StandardCharsets.UTF_8);

        assertThat(json).contains("\"type\" : \"csv\"", "\"skipLines\" : 1", "\"type\" : \"log1p\"", "\"LSTAT\"",
                "\"type\" : \"random_forest\"", "\"trees\" : 20", "\"maxDepth\" : 12", "\"featureFraction\" : 0.6",
                "\"trainFraction\" : 0.75", "\"type\" : \"regression\"", "\"k\" : 3", "\"seed\" : 11",
                "\"type\" : \"metric_gate\"", "\"atMost\" : 100.0");
        assertThat(json).doesNotContain("org.mlops4j", "class");
    }

    @Test
    void changingAnyRecordedFieldChangesTheSpecAndTheFileKeepsTheChange() {
        PipelineSpec base = RECIPE.spec().validated();
        Map<String, UnaryOperator<PipelineSpec.Builder>> edits = new LinkedHashMap<>();
        edits.put("a transform parameter", b -> b.transforms(java.util.List.of(
                org.mlops4j.core.transform.Drop.columns("B"), Impute.mean(), Log1p.columns("CRIM", "LSTAT"), Standardize.all())));
        edits.put("a transform's columns", b -> b.transforms(java.util.List.of(
                org.mlops4j.core.transform.Drop.columns("B"), Impute.median(), Log1p.columns("CRIM"), Standardize.all())));
        edits.put("a hyperparameter", b -> b.trainer(RandomForest.regression().trees(21).maxDepth(12).featureFraction(0.6).seed(7)));
        edits.put("the trainer's seed", b -> b.trainer(RandomForest.regression().trees(20).maxDepth(12).featureFraction(0.6).seed(8)));
        edits.put("the trainer", b -> b.trainer(Linear.regression()));
        edits.put("the split's seed", b -> b.split(Split.trainTest(0.75).seed(4)));
        edits.put("the split's fraction", b -> b.split(Split.trainTest(0.7).seed(3)));
        edits.put("the folds' seed", b -> b.crossValidation(Split.kFold(3).seed(12)));
        edits.put("the number of folds", b -> b.crossValidation(Split.kFold(4).seed(11)));
        edits.put("a CSV option (skipped lines)", b -> b.source(TestData.boston().skipLines(0)));
        edits.put("a CSV option (missing markers)", b -> b.source(TestData.boston().nullValues("", "NA", "?")));
        edits.put("a CSV option (declared type)", b -> b.source(TestData.boston().numeric("CHAS")));
        edits.put("a CSV option (separator)", b -> b.source(TestData.boston().separator(';')));
        edits.put("the file", b -> b.source(Csv.file("other.csv").skipLines(1)));
        edits.put("the label", b -> b.label("LSTAT"));
        edits.put("a step's bound", b -> b.steps(java.util.List.of(Steps.atMost("holdout_rmse", 99.0))));
        for (Map.Entry<String, UnaryOperator<PipelineSpec.Builder>> e : edits.entrySet()) {
            PipelineSpec changed = e.getValue().apply(base.toBuilder()).build();
            assertThat(changed).as(e.getKey()).isNotEqualTo(base);
            assertThat(changed.toJson()).as(e.getKey()).isNotEqualTo(base.toJson());
            assertThat(PipelineSpec.read(changed.toJson())).as(e.getKey() + " survives the file").isEqualTo(changed);
        }
    }

    @Test
    void aPipelineOverDataInMemoryRecordsThatTheDataCannotBeReadAgain() {
        // changed after loading: no longer the file's data (an unchanged loaded data set is recorded as its file)
        Dataset data = TestData.boston().load().drop("B");
        PipelineResult r = Pipeline.from(data).label("MEDV").train(RandomForest.regression().trees(5)).run();

        PipelineSpec read = PipelineSpec.read(r.spec().toJson());

        assertThatThrownBy(() -> Pipeline.of(read).run()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be read again").hasMessageContaining("Pipeline.of(spec).source(...)");
        assertThat(Pipeline.of(read).source(org.mlops4j.core.data.DataSource.of(data)).run().testPredictions())
                .isEqualTo(r.testPredictions());
    }

    @Test
    void aPartNoTypeNamesIsWrittenAsUnrecordedAndRefusedWhenRebuilt() {
        Pipeline withLambda = RECIPE.transform(train -> OneHot.all().fit(train));
        String json = new String(withLambda.spec().toJson(), StandardCharsets.UTF_8);

        assertThat(json).contains("\"type\" : \"unrecorded\"");
        assertThatThrownBy(() -> Pipeline.of(PipelineSpec.read(json.getBytes(StandardCharsets.UTF_8))).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transform 5").hasMessageContaining("could not be recorded");
    }

    @Test
    void aFileNamingAnUnknownTypeIsRefusedListingTheKnownOnes() {
        String json = new String(RECIPE.spec().toJson(), StandardCharsets.UTF_8).replace("\"random_forest\"", "\"xgboost\"");

        assertThatThrownBy(() -> PipelineSpec.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trainer type 'xgboost'").hasMessageContaining("random_forest").hasMessageContaining("linear_sgd");
        assertThatThrownBy(() -> PipelineSpec.read("{\"format\":\"mlops4j-pipeline\",\"formatVersion\":9}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("format version 9");
        assertThatThrownBy(() -> PipelineSpec.read("[1,2]".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("JSON object");
        String badValue = new String(RECIPE.spec().toJson(), StandardCharsets.UTF_8).replace("\"trees\" : 20", "\"trees\" : 0");
        assertThatThrownBy(() -> PipelineSpec.read(badValue.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("trainer (random_forest)").hasMessageContaining("trees must be >= 1 but was 0");
    }

    @Test
    void validationReportsEveryProblemAtOnce() {
        PipelineSpec spec = PipelineSpec.builder(TestData.boston()).split(Split.trainTest(0.8).stratified())
                .addStep(Steps.atLeast("cv_r2", 0.5)).trainer(RandomForest.regression()).build();

        assertThatThrownBy(spec::validated).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining("call label(\"column\") before run()")
                .hasMessageContaining("a stratified split needs classes")
                .hasMessageContaining("needs cross-validation");
    }

    @Test
    void aGateVetoesRegistrationAndTheRunSaysWhy() {
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult r = RECIPE.then(Steps.atMost("holdout_rmse", 0.5)).track(tracker, "recipes")
                .register(registry, "gated", "champion").run();

        assertThat(r.registered()).isEmpty();
        assertThat(r.vetoes()).singleElement().asString().contains("holdout_rmse").contains("is above 0.5");
        assertThat(registry.models()).doesNotContain("gated");
        assertThat(tracker.run(r.runId().orElseThrow()).orElseThrow().tags()).containsKey("mlops.registration.vetoed");
    }

    @Test
    void stepsRunAtTheirPhaseAndCanAttachFilesToRunAndBundle() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        PipelineResult r = RECIPE
                .then(Steps.at(Phase.REGISTERING, ctx -> ctx.attach("card.md", ("# model\n" + ctx.metrics().get("holdout_rmse"))
                        .getBytes(StandardCharsets.UTF_8))))
                .then(Steps.at(Phase.LOADED, ctx -> seen.add("loaded " + ctx.fitted().isPresent())))
                .then(Steps.at(Phase.TRAINED, ctx -> seen.add("trained " + ctx.fitted().isPresent() + " " + ctx.holdout().isPresent())))
                .then(Steps.at(Phase.EVALUATED, ctx -> seen.add("evaluated " + ctx.holdout().isPresent())))
                .then(Steps.at(Phase.REGISTERED, ctx -> seen.add("registered " + ctx.registered().isPresent())))
                .track(tracker, "recipes").register(ModelRegistry.inMemory(), "steps").run();

        assertThat(seen).containsExactly("loaded false", "trained true false", "evaluated true", "registered true");
        assertThat(r.bundle().file("card.md")).isPresent();
        assertThat(r.bundle().manifest().files()).anyMatch(f -> f.path().equals("card.md"));
        assertThat(tracker.run(r.runId().orElseThrow()).orElseThrow().info().runId()).isNotBlank();
    }
}
