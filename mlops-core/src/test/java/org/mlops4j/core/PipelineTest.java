package org.mlops4j.core;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.SchemaMismatchException;
import org.mlops4j.core.evaluate.ClassificationMetrics;
import org.mlops4j.core.evaluate.CrossValidation;
import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Drop;
import org.mlops4j.core.transform.FittedTransform;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.OneHot;
import org.mlops4j.core.transform.Standardize;
import org.mlops4j.core.transform.Transform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class PipelineTest {
    @TempDir
    Path dir;

    private static final Pipeline HOUSE_PRICES = Pipeline.from(TestData.boston())
            .label("MEDV")
            .drop("B")
            .transform(Impute.median(), Standardize.all())
            .split(Split.trainTest(0.8).seed(42))
            .train(RandomForest.regression().trees(30).seed(42))
            .evaluate(Metrics.regression())
            .crossValidate(5);

    private static Tracker tracker;
    private static ModelRegistry registry;
    private static PipelineResult result;

    @BeforeAll
    static void runOnce() {
        tracker = Tracker.inMemory();
        registry = ModelRegistry.inMemory();
        result = HOUSE_PRICES.track(tracker, "house-prices").register(registry, "house-prices", "champion").run();
    }

    @Test
    void theHousePriceLifecycleProducesVersionedDataMetricsARunAndARegisteredModel() {
        assertThat(result.datasetVersion().id()).isEqualTo(TestData.boston().load().version().id());
        assertThat(result.holdout().get("rmse")).isBetween(1.0, 4.5);
        assertThat(result.holdout().n()).isEqualTo(101);
        CrossValidation cv = result.crossValidation().orElseThrow();
        assertThat(cv.k()).isEqualTo(5);
        assertThat(cv.folds()).hasSize(5);
        assertThat(cv.mean("rmse")).isBetween(2.0, 4.5);
        assertThat(result.transforms()).hasSize(3).first().isInstanceOf(Drop.Fitted.class);

        ModelVersion v = result.registered().orElseThrow();
        assertThat(v.version()).isEqualTo(1);
        assertThat(v.aliases()).containsExactly("champion");
        assertThat(v.lineage().runId()).isEqualTo(result.runId().orElseThrow());
        assertThat(v.lineage().datasetVersion()).isEqualTo(result.datasetVersion().id());
        assertThat(v.metrics().get("holdout_rmse")).isEqualTo(result.holdout().get("rmse"));
        assertThat(result.summary()).contains("holdout   rmse=").contains("registered house-prices/1 [champion]");
    }

    @Test
    void theRunRecordsDataTransformsTrainerSeedsMetricsEnvironmentAndDuration() {
        Run run = tracker.run(result.runId().orElseThrow()).orElseThrow();

        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.params())
                .containsEntry("label", "MEDV")
                .containsEntry("algorithm", "random_forest")
                .containsEntry("trees", "30")
                .containsEntry("seed", "42")
                .containsEntry("transforms", "drop(B) | impute(median) | standardize(all)")
                .containsEntry("split.train_fraction", "0.8")
                .containsEntry("split.seed", "42")
                .containsEntry("cv.folds", "5");
        assertThat(run.tags())
                .containsEntry("mlops.dataset.version", result.datasetVersion().id())
                .containsEntry("mlops.dataset.rows", "506")
                .containsEntry("mlops.model.name", "house-prices")
                .containsEntry("mlops.model.version", "1")
                .containsKeys("mlops.env.java", "mlops.env.os", "mlops.version", "mlops.tribuo.version");
        assertThat(run.metric("holdout_rmse")).isEqualTo(result.holdout().get("rmse"));
        assertThat(run.metric("cv_rmse")).isEqualTo(result.crossValidation().orElseThrow().mean("rmse"));
        assertThat(run.metrics()).containsKeys("cv_rmse_std", "holdout_r2", "holdout_mae", "holdout_mape", "train_seconds",
                "total_seconds");
        assertThat(tracker.metricHistory(run.id(), "cv_fold_rmse")).extracting(Metric::step).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(run.artifacts()).extracting(ArtifactInfo::path).contains("dataset/profile.json", "dataset/version.json",
                "environment.json", "model/manifest.json", "model/model.compiled.bin", "model/transforms.json");
        List<Run> children = tracker.runs("house-prices").stream()
                .filter(r -> run.id().equals(r.info().parentRunId())).toList();
        assertThat(children).hasSize(5).allMatch(c -> c.metrics().containsKey("rmse"));
    }

    @Test
    void theRegisteredModelPredictsRawRowsExactlyAsThePipelineDidOnTheTestRows() {
        Dataset test = result.testSet();
        List<Map<String, Object>> asNumbers = new ArrayList<>();
        List<Map<String, Object>> asText = new ArrayList<>();
        for (int r = 0; r < test.rowCount(); r++) {
            Map<String, Object> numbers = new HashMap<>();
            Map<String, Object> text = new HashMap<>();
            for (Column c : test.columns()) {
                numbers.put(c.name(), c.valueAt(r));
                text.put(c.name(), String.valueOf(c.valueAt(r))); // as read from a form or a CSV line
            }
            asNumbers.add(numbers);
            asText.add(text);
        }

        Predictor served = registry.predictor("house-prices@champion");

        assertThat(served.predict(asNumbers)).isEqualTo(result.testPredictions());
        assertThat(served.predict(asText)).isEqualTo(result.testPredictions());
        assertThat(served.predict(test)).isEqualTo(result.testPredictions());

        Path exported = dir.resolve("exported");
        registry.load("house-prices/1").save(exported);
        assertThat(ModelBundle.load(exported).predictor().predict(asNumbers)).isEqualTo(result.testPredictions());
    }

    @Test
    void thePipelineIsAnImmutableReRunnableDescription() {
        Pipeline base = Pipeline.from(TestData.boston()).label("MEDV");
        Pipeline extended = base.drop("B");
        assertThat(base.toString()).doesNotContain("drop(B)");
        assertThat(extended.toString()).contains("drop(B)");

        ModelRegistry reg = ModelRegistry.inMemory();
        Pipeline p = HOUSE_PRICES.register(reg, "again");
        PipelineResult first = p.run();
        PipelineResult second = p.run();
        assertThat(second.testPredictions()).isEqualTo(first.testPredictions());
        assertThat(second.crossValidation().orElseThrow().summary()).isEqualTo(first.crossValidation().orElseThrow().summary());
        assertThat(second.registered().orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void theExecutorChangesWhereWorkRunsNotTheResults() {
        PipelineResult sequential = HOUSE_PRICES.executor(Runnable::run).run();

        assertThat(sequential.testPredictions()).isEqualTo(result.testPredictions());
        assertThat(sequential.crossValidation().orElseThrow().folds()).isEqualTo(result.crossValidation().orElseThrow().folds());
        assertThat(sequential.bundle().manifest().features()).isEqualTo(result.bundle().manifest().features());
    }

    /** A user transform that fails when fitted inside a cross-validation fold (every fit after the first). */
    private static final class FailsInFolds implements Transform {
        private final java.util.concurrent.atomic.AtomicInteger fits = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public FittedTransform fit(Dataset train) {
            if (fits.incrementAndGet() > 1) {
                throw new IllegalStateException("fold fit failed");
            }
            return Drop.columns("B").fit(train);
        }
    }

    @Test
    void aFailureInsideAConcurrentFoldPropagatesUnwrappedAndFailsTheRun() {
        Tracker t = Tracker.inMemory();
        ModelRegistry reg = ModelRegistry.inMemory();

        assertThatThrownBy(() -> Pipeline.from(TestData.boston()).label("MEDV").transform(new FailsInFolds())
                .train(DecisionTree.regression().maxDepth(3)).crossValidate(3).track(t, "folds").register(reg, "m").run())
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("fold fit failed");
        assertThat(t.runs("folds").get(0).info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(reg.models()).isEmpty();
    }

    @Test
    void aFailingPipelineMarksItsRunFailedWithTheErrorAndRegistersNothing() {
        Tracker t = Tracker.inMemory();
        ModelRegistry reg = ModelRegistry.inMemory();

        Throwable error = catchThrowable(() -> Pipeline.from(TestData.boston()).label("MEDV ").train(DecisionTree.regression())
                .track(t, "typos").register(reg, "never").run());

        assertThat(error).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("unknown label column 'MEDV ' in")
                .hasMessageContaining("columns are [CRIM, ZN,");
        Run run = t.runs("typos").get(0);
        assertThat(run.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.tags().get("mlops.error")).isEqualTo(error.getMessage());
        assertThat(run.tags()).containsEntry("mlops.error.type", SchemaMismatchException.class.getName());
        assertThat(reg.models()).isEmpty();
    }

    @Test
    void badDataFailsTheRunWithFileLineColumnAndValue() {
        Path f = TestData.write(dir, "prices.csv", "rooms,age,price\n6,10,200\n5,x,150\n7,3,250\n4,8,120\n");
        Tracker t = Tracker.inMemory();
        ModelRegistry reg = ModelRegistry.inMemory();

        assertThatThrownBy(() -> Pipeline.from(Csv.file(f).numeric("age")).label("price").train(DecisionTree.regression())
                .track(t, "bad").register(reg, "m").run())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("prices.csv line 3, column 'age': 'x' is not a number");
        assertThat(t.runs("bad").get(0).info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(reg.models()).isEmpty();
    }

    @Test
    void aColumnWithoutAnyValueIsNamed() {
        Path f = TestData.write(dir, "empty-col.csv", "a,empty,y\n1,,2\n2,,3\n3,,5\n4,,4\n5,,7\n");

        assertThatThrownBy(() -> Pipeline.from(Csv.file(f)).label("y").train(DecisionTree.regression()).run())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("column 'empty' of").hasMessageContaining("has no value in any of its")
                .hasMessageContaining(".drop(\"empty\")");
        assertThatThrownBy(() -> Pipeline.from(Csv.file(f)).label("y").transform(Impute.median()).train(DecisionTree.regression()).run())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("cannot impute median column 'empty'");
        assertThat(Pipeline.from(Csv.file(f)).label("y").drop("empty").split(Split.trainTest(0.6))
                .train(DecisionTree.regression()).run().holdout().n()).isEqualTo(2);
    }

    @Test
    void missingFeatureValuesWithoutImputationNameTheLine() {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 1; i <= 20; i++) {
            csv.append(i).append(',').append(i == 3 ? "" : Integer.toString(i + 1)).append(',').append(i + 2).append('\n');
        }
        Path f = TestData.write(dir, "holes.csv", csv.toString());

        // With seed 42 the row of line 4 falls in the training split (19 of 20 rows).
        assertThatThrownBy(() -> Pipeline.from(Csv.file(f)).label("y").split(Split.trainTest(0.95).seed(42))
                .train(DecisionTree.regression()).run())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("holes.csv line 4: no value for column 'b'")
                .hasMessageContaining("add Impute");
    }

    @Test
    void missingLabelsAndWrongLabelTypesAreNamed() {
        Path holes = TestData.write(dir, "labels.csv", "a,y\n1,3\n2,\n3,5\n");
        Path text = TestData.write(dir, "text.csv", "a,y\n1,cheap\n2,dear\n3,cheap\n");

        assertThatThrownBy(() -> Pipeline.from(Csv.file(holes)).label("y").train(DecisionTree.regression()).run())
                .hasMessageContaining("labels.csv line 3: no value for the label 'y'");
        assertThatThrownBy(() -> Pipeline.from(Csv.file(text)).label("y").train(DecisionTree.regression()).run())
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("label 'y' in").hasMessageContaining("is categorical but decision_tree regression needs a numeric label");
    }

    @Test
    void categoricalFeaturesNeedOneHotAndThenWork() {
        Dataset data = Dataset.builder("toy")
                .categorical("color", "red", "blue", "red", "green", "blue", "red", "green", "blue", "red", "blue")
                .numeric("size", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
                .numeric("price", 10, 20, 11, 30, 21, 12, 31, 22, 13, 23)
                .build();

        assertThatThrownBy(() -> Pipeline.from(data).label("price").train(DecisionTree.regression()).run())
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("column 'color' of toy is categorical; encode it with OneHot.columns(\"color\")");
        PipelineResult r = Pipeline.from(data).label("price").transform(OneHot.all()).split(Split.trainTest(0.7))
                .train(DecisionTree.regression()).run();
        assertThat(r.bundle().manifest().features()).containsExactlyInAnyOrder("color=blue", "color=green", "color=red", "size");
        assertThat(r.predictor().predict(Map.of("color", "green", "size", 5)).value()).isBetween(25.0, 35.0);
    }

    @Test
    void classificationWithStratifiedCrossValidation() {
        PipelineResult r = Pipeline.from(TestData.iris()).label("species")
                .split(Split.trainTest(0.8).seed(1).stratified())
                .train(RandomForest.classification().trees(20))
                .crossValidate(Split.kFold(5).seed(1).stratified())
                .run();

        ClassificationMetrics holdout = (ClassificationMetrics) r.holdout();
        assertThat(holdout.accuracy()).isGreaterThan(0.85);
        assertThat(holdout.confusion().labels()).containsExactly("0", "1", "2");
        assertThat(r.crossValidation().orElseThrow().mean("accuracy")).isGreaterThan(0.85);
        Prediction p = r.predictor().predict(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2));
        assertThat(p.label()).isEqualTo("0");
        assertThat(p.scores()).containsOnlyKeys("0", "1", "2");
    }

    @Test
    void misconfigurationIsRefusedAtTheCallSite() {
        Pipeline p = Pipeline.from(TestData.boston()).label("MEDV");

        assertThatThrownBy(() -> p.train(RandomForest.regression()).evaluate(Metrics.classification()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> p.split(Split.trainTest(0.8).stratified()).train(RandomForest.regression()))
                .hasMessageContaining("a stratified split needs classes");
        assertThatThrownBy(() -> p.register(ModelRegistry.inMemory(), "m", "1")).hasMessageContaining("must not be all digits");
        assertThatThrownBy(() -> Pipeline.from(TestData.boston()).train(RandomForest.regression()).run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call label(");
        assertThatThrownBy(p::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("call train(");
        assertThatThrownBy(() -> p.label(" ")).hasMessageContaining("label column must not be blank");
    }
}
