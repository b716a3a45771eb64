package org.mlops4j.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.evaluate.HoldoutPredictions;
import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.EnvironmentLock;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.Linear;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Standardize;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReproductionTest {
    @TempDir
    Path dir;

    private Path copyOfBoston() throws Exception {
        Path csv = dir.resolve("boston.csv");
        Files.copy(TestData.bostonFile(), csv);
        return csv;
    }

    private static Pipeline housePrices(Path csv) {
        return Pipeline.from(Csv.file(csv).skipLines(1)).label("MEDV").drop("B")
                .transform(Impute.median(), Standardize.all())
                .split(Split.trainTest(0.8).seed(7))
                .train(RandomForest.regression().trees(12).seed(42))
                .evaluate(Metrics.regression())
                .crossValidate(3);
    }

    /** Changes one cell of the CSV: the first data row's CRIM. */
    private static void changeOneCell(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        String row = lines.get(2);
        lines.set(2, "0.00633" + row.substring(row.indexOf(',')));
        Files.write(csv, lines, StandardCharsets.UTF_8);
    }

    @Test
    void aRunReproducesExactlyPredictionsMetricsAndPayloadFingerprint() throws Exception {
        Path csv = copyOfBoston();
        try (Tracker tracker = Tracker.inMemory()) {
            ModelRegistry registry = ModelRegistry.inMemory();
            PipelineResult result = housePrices(csv).track(tracker, "house").register(registry, "house").run();
            String runId = result.runId().orElseThrow();
            Run run = tracker.run(runId).orElseThrow();
            assertThat(run.tags()).containsKeys(EnvironmentLock.TAG, "mlops.model.fingerprint");
            assertThat(run.artifacts()).extracting(a -> a.path())
                    .contains(EnvironmentLock.ARTIFACT, HoldoutPredictions.ARTIFACT, "pipeline.json");

            Reproduction r = Pipeline.reproduce(tracker, runId);
            assertThat(r.exact()).as(r.toString()).isTrue();
            assertThat(r.fromSnapshot()).isFalse();
            assertThat(r.environment()).isEmpty();
            assertThat(r.compared()).anyMatch(c -> c.startsWith("101 holdout predictions"))
                    .anyMatch(c -> c.contains("metrics")).contains("model payload fingerprint");
            assertThat(r.toString()).contains("reproduced exactly");

            Reproduction viaModel = Pipeline.reproduce(tracker, registry, "models:/house/1");
            assertThat(viaModel.exact()).as(viaModel.toString()).isTrue();
            assertThat(viaModel.compared()).contains("registered payload fingerprint");
            assertThat(viaModel.model()).isEqualTo("models:/house/1");
        }
    }

    @Test
    void compiledPayloadsAreIdenticalAndTribuoPayloadsDifferInBytesButNotInFingerprintBetweenTwoTrainings() throws Exception {
        Path csv = copyOfBoston();
        PipelineResult a = housePrices(csv).run();
        Thread.sleep(5); // Tribuo stamps its provenance with the training time
        PipelineResult b = housePrices(csv).run();
        assertThat(a.bundle().file("model.compiled.bin").orElseThrow())
                .as("the compiled payload carries no time or host").isEqualTo(b.bundle().file("model.compiled.bin").orElseThrow());

        org.mlops4j.core.model.spi.ModelFlavor flavor = org.mlops4j.core.model.ModelFlavors.find("tribuo");
        byte[] pa = tribuoPayload(flavor, a);
        byte[] pb = tribuoPayload(flavor, b);
        assertThat(flavor.fingerprint(java.util.Map.of("model.tribuo.gz", pa)))
                .isEqualTo(flavor.fingerprint(java.util.Map.of("model.tribuo.gz", pb)));
        assertThat(pa).as("payload bytes embed provenance times").isNotEqualTo(pb);
        PipelineResult other = housePrices(csv).train(RandomForest.regression().trees(12).seed(43)).run();
        assertThat(flavor.fingerprint(java.util.Map.of("model.tribuo.gz", tribuoPayload(flavor, other))))
                .isNotEqualTo(flavor.fingerprint(java.util.Map.of("model.tribuo.gz", pa)));
    }

    /** The Tribuo model a run's compiled forest was made from, as the tribuo flavor writes it. */
    private static byte[] tribuoPayload(org.mlops4j.core.model.spi.ModelFlavor flavor, PipelineResult run) {
        var compiled = (org.mlops4j.core.model.compiled.TreeEnsemble) run.bundle().model();
        return flavor.write(compiled.source().orElseThrow()).get("model.tribuo.gz");
    }

    @Test
    void changedSourceDataIsRefusedNamingBothVersionsUnlessASnapshotWasKept() throws Exception {
        Path csv = copyOfBoston();
        try (Tracker tracker = Tracker.inMemory()) {
            String before = Csv.file(csv).skipLines(1).load().version().id();
            String plain = housePrices(csv).track(tracker, "house").run().runId().orElseThrow();
            String kept = housePrices(csv).track(tracker, "house").snapshotData().run().runId().orElseThrow();
            String keptAgain = housePrices(csv).track(tracker, "house").snapshotData().run().runId().orElseThrow();
            assertThat(tracker.runs("snapshots:data")).as("one snapshot per data version").hasSize(1);
            assertThat(tracker.run(kept).orElseThrow().tags().get("mlops.dataset.snapshot_run"))
                    .isEqualTo(tracker.run(keptAgain).orElseThrow().tags().get("mlops.dataset.snapshot_run"));

            changeOneCell(csv);
            String after = Csv.file(csv).skipLines(1).load().version().id();
            assertThat(after).isNotEqualTo(before);
            assertThatThrownBy(() -> Pipeline.reproduce(tracker, plain)).isInstanceOf(ReproductionException.class)
                    .hasMessageContaining(before).hasMessageContaining(after).hasMessageContaining("snapshot");

            Reproduction r = Pipeline.reproduce(tracker, kept);
            assertThat(r.exact()).as(r.toString()).isTrue();
            assertThat(r.fromSnapshot()).isTrue();
            assertThat(r.datasetVersion()).isEqualTo(before);
            assertThat(r.notes()).anyMatch(n -> n.contains(after.substring(0, 12)));

            Files.delete(csv);
            assertThat(Pipeline.reproduce(tracker, kept).exact()).isTrue();
            assertThatThrownBy(() -> Pipeline.reproduce(tracker, plain)).isInstanceOf(ReproductionException.class)
                    .hasMessageContaining("cannot be read");
        }
    }

    @Test
    void aDifferentResultIsReportedWithWhatRecordedAndNow() throws Exception {
        Path csv = copyOfBoston();
        try (Tracker tracker = Tracker.inMemory()) {
            String runId = Pipeline.from(Csv.file(csv).skipLines(1)).label("MEDV").transform(Standardize.all())
                    .train(Linear.regression().epochs(3).seed(1)).track(tracker, "lin").run().runId().orElseThrow();
            // tamper with the record: a reproduction must notice, not trust it
            tracker.more().logBatch(runId, new org.mlops4j.core.tracking.RunBatch(java.util.Map.of(), List.of(),
                    java.util.Map.of("mlops.model.fingerprint", "0".repeat(64))));
            Reproduction r = Pipeline.reproduce(tracker, runId);
            assertThat(r.exact()).isFalse();
            assertThat(r.differences()).singleElement().satisfies(d -> {
                assertThat(d.what()).isEqualTo("model payload fingerprint");
                assertThat(d.recorded()).isEqualTo("0".repeat(64));
            });
            assertThat(r.toString()).contains("did NOT reproduce");
        }
    }

    @Test
    void aRunWithoutRecipeOrAnUnknownRunIsRefusedClearly() {
        try (Tracker tracker = Tracker.inMemory()) {
            assertThatThrownBy(() -> Pipeline.reproduce(tracker, "nope")).isInstanceOf(ReproductionException.class)
                    .hasMessageContaining("no run with id nope");
            String id;
            try (org.mlops4j.core.tracking.ActiveRun run = tracker.startRun("manual")) {
                id = run.id();
            }
            assertThatThrownBy(() -> Pipeline.reproduce(tracker, id)).isInstanceOf(ReproductionException.class)
                    .hasMessageContaining("has no pipeline.json");
        }
    }

    @Test
    void aTunedRunRetrainsTheConfigurationItsSearchChoseAndSaysSo() throws Exception {
        Path csv = copyOfBoston();
        try (Tracker tracker = Tracker.inMemory()) {
            String runId = housePrices(csv).train(org.mlops4j.core.tune.Tune.random(org.mlops4j.core.tune.Space.of(
                            RandomForest.regression().trees(8).seed(42)).ints("max_depth", RandomForest::maxDepth, 2, 8))
                    .trials(3).crossValidate(2).seed(1)).track(tracker, "tuned").run().runId().orElseThrow();
            Reproduction r = Pipeline.reproduce(tracker, runId);
            assertThat(r.exact()).as(r.toString()).isTrue();
            assertThat(r.notes()).anyMatch(n -> n.contains("the configuration it chose") && n.contains("random_forest"));
        }
    }

    @Test
    void theReportNamesEachChangedLockEntryAndCountsJarsOnlyOneClassPathHas() {
        List<EnvironmentLock.Difference> env = new java.util.ArrayList<>();
        env.add(new EnvironmentLock.Difference("jdk.version", "25.0.1", "25.0.2"));
        env.add(new EnvironmentLock.Difference("classpath.tribuo-core-4.3.2.jar", "sha256:aa", "sha256:bb"));
        for (int i = 0; i < 30; i++) {
            env.add(new EnvironmentLock.Difference("classpath.dep-" + i + ".jar", "sha256:" + i, null));
        }
        env.add(new EnvironmentLock.Difference("classpath.mlops.jar", null, "sha256:cc"));
        Reproduction r = new Reproduction("r1", "models:/m/1", "ab".repeat(32), false, List.of("3 holdout predictions bit for bit"),
                List.of(), env, List.of());
        String text = r.toString();
        assertThat(text).contains("33 lock entries differ (reproduced across them)")
                .contains("jdk.version: 25.0.1 then, 25.0.2 now")
                .contains("classpath.tribuo-core-4.3.2.jar: sha256:aa then, sha256:bb now")
                .contains("class path: 30 jars of the run's not on this one, 1 here not on the run's")
                .doesNotContain("classpath.dep-7.jar");
        assertThat(text.lines().count()).as(text).isLessThan(8);
        assertThat(r.environment()).as("every entry is kept").hasSize(33);
    }

    @Test
    void aRunOnAnInMemoryDataSetReproducesFromItsSnapshot() throws Exception {
        org.mlops4j.core.data.Dataset data = Csv.file(copyOfBoston()).skipLines(1).load().drop("B");
        try (Tracker tracker = Tracker.inMemory()) {
            String runId = Pipeline.from(data).label("MEDV").transform(Impute.median(), Standardize.all())
                    .train(RandomForest.regression().trees(8).seed(3))
                    .track(tracker, "memory").snapshotData().run().runId().orElseThrow();
            Reproduction r = Pipeline.reproduce(tracker, runId);
            assertThat(r.differences()).as(r.toString()).isEmpty();
            assertThat(r.fromSnapshot()).isTrue();
            assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("cannot be read").contains("snapshot was used"));
        }
    }

    @Test
    void aDataSetLoadedInMemoryAndUnchangedIsRecordedAsItsFileAndReproducesFromIt() throws Exception {
        // the JShell way: load, look at the data, then hand the data set to the pipeline
        Path csv = copyOfBoston();
        org.mlops4j.core.data.Dataset data = Csv.file(csv).skipLines(1).load();
        assertThat(data.loadedFrom()).isPresent();
        assertThat(data.drop("B").loadedFrom()).as("a derived data set is no longer the file's").isEmpty();
        try (Tracker tracker = Tracker.inMemory()) {
            PipelineResult result = Pipeline.from(data).label("MEDV").drop("B").transform(Impute.median())
                    .train(RandomForest.regression().trees(8).seed(3)).track(tracker, "loaded").run();
            String recipe = new String(result.bundle().file("pipeline.json").orElseThrow(), StandardCharsets.UTF_8);
            assertThat(recipe).contains("\"type\" : \"csv\"").contains("boston.csv").doesNotContain("memory:");

            Reproduction r = Pipeline.reproduce(tracker, result.runId().orElseThrow());
            assertThat(r.exact()).as(r.toString()).isTrue();
            assertThat(r.fromSnapshot()).isFalse();

            changeOneCell(csv);
            assertThatThrownBy(() -> Pipeline.reproduce(tracker, result.runId().orElseThrow()))
                    .isInstanceOf(ReproductionException.class).hasMessageContaining(data.version().id());
        }
    }

    @Test
    void snapshotNeedsATracker() {
        assertThatThrownBy(() -> housePrices(Path.of("x.csv")).snapshotData()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("track(");
    }
}
