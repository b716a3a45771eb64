package org.mlops4j.core.tune;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.Task;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.model.BundleManifest;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;
import org.mlops4j.core.train.Validator;
import org.mlops4j.core.transform.Impute;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Studies on the house prices: in a pipeline, seeded, failing, pruned, parallel, conditional, budgeted, resumed. */
class StudyTest {
    private static final Dataset BOSTON = TestData.boston().load();
    private static final TrainingSet HOUSES = new TrainingSet(BOSTON.drop("B", "MEDV"), Target.of(BOSTON, "MEDV", Task.REGRESSION));
    private static final TrainContext READY = TrainContext.defaults().withValidator(Validator.onReadyRows());
    /** Small forests, so a trial takes milliseconds. */
    private static final Space<RandomForest> FOREST = Space.of(RandomForest.regression().seed(42))
            .ints("trees", RandomForest::trees, 2, 12)
            .ints("max_depth", RandomForest::maxDepth, 1, 10)
            .doubles("feature_fraction", RandomForest::featureFraction, 0.3, 1.0);

    @Test
    void inAPipelineTheStudyIsTheRunTrialsAreChildRunsAndTheBestConfigurationIsRefitAndRegistered() throws IOException {
        Tracker tracker = Tracker.inMemory();
        ModelRegistry registry = ModelRegistry.inMemory();
        Study<RandomForest> study = Tune.tpe(FOREST).trials(6).parallelism(1).seed(3);

        PipelineResult r = Pipeline.from(TestData.boston()).label("MEDV").drop("B").transform(Impute.median())
                .train(study).track(tracker, "tuning").register(registry, "prices").run();

        Run run = tracker.run(r.runId().orElseThrow()).orElseThrow();
        List<Run> trials = tracker.runs("tuning").stream().filter(x -> run.info().runId().equals(x.info().parentRunId())).toList();
        assertThat(trials).hasSize(6);
        for (Run t : trials) {
            assertThat(t.params()).containsKeys("trees", "max_depth", "feature_fraction");
            assertThat(t.tags()).containsEntry("mlops.trial.state", "COMPLETE").containsKey("mlops.trial.number");
            assertThat(t.metrics()).containsKeys("objective", "objective_step");
            assertThat(tracker.metricHistory(t.info().runId(), "objective_step")).hasSize(3);
        }
        Run best = trials.stream().min((a, b) -> Double.compare(a.metrics().get("objective").value(), b.metrics().get("objective").value()))
                .orElseThrow();
        assertThat(run.params()).containsEntry("chosen.trees", best.params().get("trees"))
                .containsEntry("chosen.max_depth", best.params().get("max_depth"));
        assertThat(run.tags()).containsEntry("mlops.study.best_trial", best.tags().get("mlops.trial.number"));
        assertThat(run.metrics().get("study_best_rmse").value()).isEqualTo(best.metrics().get("objective").value());

        BundleManifest m = r.bundle().manifest();
        assertThat(m.algorithm()).as("the bundle records the chosen forest, not the study").isEqualTo("random_forest");
        assertThat(m.hyperparameters()).containsEntry("trees", best.params().get("trees"))
                .containsEntry("max_depth", best.params().get("max_depth"));
        assertThat(registry.predictor("prices").predict(r.testSet())).isEqualTo(r.predictor().predict(r.testSet()));
        String recipe = new String(r.bundle().file("pipeline.json").orElseThrow(), StandardCharsets.UTF_8);
        assertThat(recipe).contains("\"kind\" : \"search\"", "\"base\"", "\"chosen\"");
        PipelineSpec back = PipelineSpec.read(recipe.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(back::validated).hasMessageContaining("trainer is a search")
                .hasMessageContaining("train the configuration it chose, recorded as trainer.chosen (random_forest)");
        try (InputStream in = tracker.openArtifact(run.info().runId(), "study/trials.txt")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("6 trials: 6 complete, 0 pruned, 0 failed");
        }
        try (InputStream in = tracker.openArtifact(run.info().runId(), "study/report.html")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("<html", "trees", "max_depth", "<svg");
        }
    }

    @Test
    void theSameSeedGivesTheSameTrialsAndAnotherSeedOthers() {
        for (Study<RandomForest> s : List.of(Tune.tpe(FOREST).trials(14).holdout(Split.trainTest(0.8)),
                Tune.random(FOREST).trials(8).holdout(Split.trainTest(0.8)))) {
            StudyResult a = s.parallelism(1).seed(11).run(HOUSES, READY);
            StudyResult b = s.parallelism(1).seed(11).run(HOUSES, READY);
            StudyResult c = s.parallelism(1).seed(12).run(HOUSES, READY);

            assertThat(b.trials()).isEqualTo(a.trials());
            assertThat(c.trials().stream().map(Trial::params).toList()).isNotEqualTo(a.trials().stream().map(Trial::params).toList());
        }
    }

    @Test
    void aFailingTrialIsRecordedWithItsErrorAndTheStudyGoesOn() {
        Tracker tracker = Tracker.inMemory();
        // feature fractions above 1 are refused by the forest: those trials fail
        Space<RandomForest> space = Space.of(RandomForest.regression().seed(1).trees(3))
                .doubles("feature_fraction", RandomForest::featureFraction, 0.5, 1.5);

        PipelineResult r = Pipeline.from(TestData.boston()).label("MEDV").drop("B")
                .train(Tune.random(space).trials(12).parallelism(1).seed(5)).track(tracker, "failing").run();

        List<Run> children = tracker.runs("failing").stream().filter(x -> x.info().parentRunId() != null).toList();
        List<Run> failed = children.stream().filter(x -> "FAILED".equals(x.tags().get("mlops.trial.state"))).toList();
        assertThat(failed).isNotEmpty().hasSizeLessThan(12);
        assertThat(failed.get(0).tags().get("mlops.trial.error")).contains("featureFraction must be > 0 and <= 1");
        assertThat(failed.get(0).info().status().name()).isEqualTo("FAILED");
        assertThat(Double.parseDouble(r.bundle().manifest().hyperparameters().get("feature_fraction"))).isLessThanOrEqualTo(1.0);
        assertThat(tracker.run(r.runId().orElseThrow()).orElseThrow().metrics().get("study_failed").value())
                .isEqualTo((double) failed.size());
    }

    @Test
    void whenEveryTrialFailsTheStudySaysSoWithTheFirstError() {
        Space<RandomForest> space = Space.of(RandomForest.regression().trees(3))
                .doubles("feature_fraction", RandomForest::featureFraction, 1.5, 2.0);

        assertThatThrownBy(() -> Tune.random(space).trials(3).parallelism(1).fit(HOUSES, READY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no trial of the study completed (3 trials: 3 failed, 0 pruned)")
                .hasMessageContaining("featureFraction must be > 0 and <= 1");
    }

    @Test
    void theMedianPrunerStopsTrialsWorseThanTheMedianAtAFoldAndTheRunSaysWhy() {
        // depth 1 stumps are far worse than depth 8 forests: once five trials completed, the stumps are stopped after one fold
        Space<RandomForest> space = Space.of(RandomForest.regression().seed(2).trees(4))
                .choice("max_depth", RandomForest::maxDepth, List.of(1, 8));
        Tracker tracker = Tracker.inMemory();
        Study<RandomForest> study = Tune.random(space).trials(16).crossValidate(4).pruner(Pruners.median()).parallelism(1).seed(9);

        PipelineResult r = Pipeline.from(TestData.boston()).label("MEDV").drop("B").train(study).track(tracker, "pruning").run();

        List<Run> children = tracker.runs("pruning").stream().filter(x -> x.info().parentRunId() != null).toList();
        List<Run> pruned = children.stream().filter(x -> "PRUNED".equals(x.tags().get("mlops.trial.state"))).toList();
        assertThat(pruned).isNotEmpty().allSatisfy(p -> {
            assertThat(p.params()).containsEntry("max_depth", "1");
            assertThat(tracker.metricHistory(p.info().runId(), "objective_step")).hasSizeLessThan(4);
        });
        assertThat(r.bundle().manifest().hyperparameters()).containsEntry("max_depth", "8");
    }

    @Test
    void successiveHalvingPromotesOnlyTheBestThirdAtEachRung() {
        Space<RandomForest> space = Space.of(RandomForest.regression().seed(2).trees(3))
                .ints("max_depth", RandomForest::maxDepth, 1, 8);
        StudyResult r = Tune.random(space).trials(18).crossValidate(3).pruner(Pruners.successiveHalving()).parallelism(1).seed(4)
                .run(HOUSES, READY);

        assertThat(r.count(TrialState.PRUNED)).isPositive();
        assertThat(r.trials()).filteredOn(t -> t.state() == TrialState.PRUNED).allSatisfy(t -> assertThat(t.intermediate()).hasSizeLessThan(3));
        assertThat(r.best().intermediate()).hasSize(3);
    }

    @Test
    void parallelWorkersRunEachTrialNumberOnceWithinTheBudget() {
        StudyResult r = Tune.random(FOREST).trials(10).parallelism(2).seed(8).holdout(Split.trainTest(0.8)).run(HOUSES, READY);

        assertThat(r.trials()).extracting(Trial::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(r.count(TrialState.COMPLETE)).isEqualTo(10);
        StudyResult one = Tune.random(FOREST).trials(10).parallelism(1).seed(8).holdout(Split.trainTest(0.8)).run(HOUSES, READY);
        assertThat(r.trials()).as("random search draws trial n from the seed and n alone").isEqualTo(one.trials());
    }

    @Test
    void aConditionalParameterIsSampledOnlyWhenItsParentTakesItsValue() {
        Space<RandomForest> space = Space.of(RandomForest.regression().seed(3).trees(3))
                .choice("sampling", (RandomForest rf, String m) -> m.equals("all") ? rf.featureFraction(1.0) : rf, List.of("all", "some"))
                .doubles("feature_fraction", RandomForest::featureFraction, 0.2, 0.8, 0.2).when("sampling", "some");
        for (Study<RandomForest> s : List.of(Tune.random(space).trials(12), Tune.tpe(space).trials(16), Tune.grid(space))) {
            StudyResult r = s.parallelism(1).holdout(Split.trainTest(0.8)).run(HOUSES, READY);

            assertThat(r.trials()).isNotEmpty().allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(TrialState.COMPLETE);
                assertThat(t.params().containsKey("feature_fraction")).isEqualTo("some".equals(t.params().get("sampling")));
            });
            assertThat(r.trials().stream().map(t -> t.params().get("sampling")).collect(Collectors.toSet())).isEqualTo(Set.of("all", "some"));
        }
    }

    @Test
    void aGridRunsEveryCombinationOnceAndStops() {
        Space<DecisionTree> space = Space.of(DecisionTree.regression()).ints("max_depth", DecisionTree::maxDepth, 2, 6, 2)
                .choice("min_child_weight", DecisionTree::minChildWeight, List.of(1.0, 5.0));
        Study<DecisionTree> grid = Tune.grid(space).parallelism(2);

        StudyResult r = grid.run(HOUSES, READY);
        StudyResult more = grid.trials(50).run(HOUSES, READY);

        assertThat(grid.trials()).isEqualTo(6);
        assertThat(r.trials().stream().map(Trial::params).collect(Collectors.toSet())).hasSize(6);
        assertThat(more.trials()).as("the grid ends the study when it has no more points").hasSize(6);
    }

    @Test
    void aTimeBudgetStopsNewTrialsButOneAlwaysRuns() {
        StudyResult r = Tune.random(FOREST).trials(1000).timeout(Duration.ofNanos(1)).parallelism(1).run(HOUSES, READY);

        assertThat(r.trials()).hasSize(1);
        assertThat(r.best().state()).isEqualTo(TrialState.COMPLETE);
    }

    @Test
    void aStudyInAStoreResumesWhereItWasAndNeverRepeatsATrial() {
        Tracker tracker = Tracker.inMemory();
        StudyStorage storage = StudyStorage.of(tracker, "houses");

        StudyResult first = Tune.tpe(FOREST).trials(5).parallelism(1).storage(storage).run(HOUSES, READY);
        StudyResult resumed = Tune.tpe(FOREST).trials(9).parallelism(1).storage(storage).run(HOUSES, READY);

        assertThat(first.trials()).hasSize(5);
        assertThat(resumed.trials()).hasSize(9);
        assertThat(resumed.trials().subList(0, 5)).as("the first five were read back, not run again").isEqualTo(first.trials());
        assertThat(tracker.runs(storage.experimentName()).stream().filter(x -> x.tags().containsKey("mlops.trial.number"))).hasSize(9);
        StudyResult again = Tune.tpe(FOREST).trials(9).parallelism(2).storage(storage).run(HOUSES, READY);
        assertThat(again.trials()).as("a finished study runs nothing more").isEqualTo(resumed.trials());

        StudyResult read = storage.read();
        assertThat(read.trials()).extracting(Trial::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(read.best().value()).isEqualTo(resumed.best().value());
        assertThat(read.best().params()).isEqualTo(resumed.best().params());
        assertThat(read.metric()).isEqualTo("rmse");
        assertThat(storage.space()).containsEntry("trees", "int[2..12]");
        assertThat(StudyStorage.names(tracker)).containsExactly("houses");
        assertThat(StudyReports.html(read, "houses", storage.space())).contains("<svg", "max_depth");
        assertThatThrownBy(() -> StudyStorage.of(tracker, "nope").read()).hasMessageContaining("no study named 'nope'")
                .hasMessageContaining("[houses]");
    }

    @Test
    void aStaleLimitShorterThanTwoHeartbeatsIsRefusedBeforeAnyTrialRuns() {
        Tracker tracker = Tracker.inMemory();
        StudyStorage storage = StudyStorage.of(tracker, "hasty").staleAfter(Duration.ofSeconds(5)); // heartbeat 10 s
        assertThatThrownBy(() -> Tune.random(FOREST).trials(2).parallelism(1).storage(storage).run(HOUSES, READY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("study 'hasty': staleAfter (PT5S) must be at least twice the heartbeat (PT10S)");
        assertThat(tracker.experimentByName(storage.experimentName())).as("nothing half-written").isEmpty();
        assertThatThrownBy(() -> storage.heartbeat(null)).isInstanceOf(NullPointerException.class).hasMessage("heartbeat");
        assertThatThrownBy(() -> storage.staleAfter(null)).isInstanceOf(NullPointerException.class).hasMessage("staleAfter");
        StudyResult ok = Tune.random(FOREST).trials(1).parallelism(1).storage(storage.heartbeat(Duration.ofSeconds(2))).run(HOUSES, READY);
        assertThat(ok.trials()).hasSize(1);
    }

    @Test
    void aStoredStudyRefusesAnotherSpaceOrObjectiveUnderItsName() {
        Tracker tracker = Tracker.inMemory();
        StudyStorage storage = StudyStorage.of(tracker, "houses");
        Tune.random(FOREST).trials(2).parallelism(1).storage(storage).run(HOUSES, READY);

        Space<RandomForest> wider = FOREST.ints("min_child_weight_int", (rf, v) -> rf.minChildWeight(v), 1, 5);
        assertThatThrownBy(() -> Tune.random(wider).trials(3).storage(storage).run(HOUSES, READY))
                .hasMessageContaining("study 'houses'").hasMessageContaining("was created with space")
                .hasMessageContaining("give this study another name");
        assertThatThrownBy(() -> Tune.random(FOREST).objective("r2", Direction.MAXIMIZE).trials(3).storage(storage).run(HOUSES, READY))
                .hasMessageContaining("was created with metric rmse but this study has r2");
    }

    @Test
    void badStudiesFailAtOnceSayingWhat() {
        Study<RandomForest> s = Tune.tpe(FOREST);
        assertThatThrownBy(() -> s.trials(0)).hasMessage("trials must be >= 1 but was 0");
        assertThatThrownBy(() -> s.parallelism(0)).hasMessage("parallelism must be >= 1 but was 0");
        assertThatThrownBy(() -> s.timeout(Duration.ZERO)).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> s.objective("weird", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Tune.tpe(Space.of(RandomForest.regression()))).hasMessageContaining("at least one parameter");
        assertThatThrownBy(() -> Tune.tpe(Space.of(RandomForest.classification()).ints("trees", RandomForest::trees, 2, 4)).run(HOUSES, READY))
                .hasMessage("the study tunes a classification but the target is a regression");
        assertThatThrownBy(() -> s.objective("accuracy", Direction.MAXIMIZE).trials(2).parallelism(1).run(HOUSES, READY))
                .hasMessageContaining("the study optimises 'accuracy' but the evaluation has").hasMessageContaining("rmse");
        assertThatThrownBy(() -> Tune.grid(FOREST)).hasMessageContaining("feature_fraction").hasMessageContaining("step");
        assertThatThrownBy(() -> StudyStorage.of(Tracker.inMemory(), "no spaces allowed")).hasMessageContaining("study name");
    }
}
