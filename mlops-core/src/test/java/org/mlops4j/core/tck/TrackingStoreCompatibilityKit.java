package org.mlops4j.core.tck;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunBatch;
import org.mlops4j.core.tracking.RunComparison;
import org.mlops4j.core.tracking.RunPage;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.core.tracking.spi.RunFilter;
import org.mlops4j.core.tracking.spi.RunWrite;
import org.mlops4j.core.tracking.spi.TrackingStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link TrackingStore} passes, driven through {@link Tracker} as users drive it (the
 * model is Micrometer's {@code MeterRegistryCompatibilityKit}). A backend's test is a short subclass that
 * says how to open a fresh store and which optional capabilities it has. Names are unique per test, so a
 * subclass may share one database between tests.
 */
public abstract class TrackingStoreCompatibilityKit {

    protected TrackingStore store;
    protected Tracker tracker;
    private String prefix;

    /** @return a store for one test; the kit closes it */
    protected abstract TrackingStore createStore() throws Exception;

    /** @return whether the store knows artifact digests when it lists artifacts (an MLflow server lists sizes only) */
    protected boolean listsArtifactDigests() {
        return true;
    }

    /** @return whether the store skips a write id it committed before (MLflow's protocol carries no write id) */
    protected boolean skipsRepeatedWriteIds() {
        return true;
    }

    @BeforeEach
    void openStore(TestInfo test) throws Exception {
        store = createStore();
        tracker = Tracker.builder().store(store).build();
        prefix = test.getTestMethod().orElseThrow().getName() + "-" + Long.toHexString(new Random().nextLong()) + "-";
    }

    @AfterEach
    void closeStore() {
        if (tracker != null) {
            tracker.close();
        }
    }

    /** @return an experiment name unique to this test */
    protected String name(String base) {
        return prefix + base;
    }

    @Test
    void experimentsAreCreatedFoundAndUnique() {
        Experiment e = tracker.createExperiment(name("exp"), Map.of("team", "pricing"));
        assertThat(e.name()).isEqualTo(name("exp"));
        assertThat(e.tags()).containsEntry("team", "pricing");
        assertThat(tracker.experimentByName(name("exp"))).contains(e);
        assertThat(tracker.experimentById(e.id())).get().extracting(Experiment::name).isEqualTo(name("exp"));
        assertThat(tracker.experiments()).extracting(Experiment::id).contains(e.id());
        assertThat(tracker.experiment(name("exp")).id()).isEqualTo(e.id());
        assertThatThrownBy(() -> tracker.createExperiment(name("exp"), Map.of()))
                .isInstanceOf(TrackingConflictException.class).hasMessageContaining(name("exp"));
        assertThat(tracker.experimentByName(name("missing"))).isEmpty();
        assertThat(tracker.experimentById("987654321")).isEmpty();
    }

    @Test
    void experimentTagsCanBeSet() {
        Experiment e = tracker.experiment(name("exp"));
        tracker.setExperimentTag(e.id(), "owner", "ada");
        tracker.setExperimentTag(e.id(), "owner", "grace");
        assertThat(tracker.experimentById(e.id()).orElseThrow().tags()).containsEntry("owner", "grace");
        assertThatThrownBy(() -> tracker.setExperimentTag("987654321", "owner", "x")).isInstanceOf(TrackingNotFoundException.class);
    }

    @Test
    void aRunGoesFromRunningToFinished() {
        String id;
        try (ActiveRun run = tracker.startRun(name("exp"), "first")) {
            id = run.id();
            Run running = tracker.run(id).orElseThrow();
            assertThat(running.info().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(running.info().name()).isEqualTo("first");
            assertThat(running.info().endTime()).isNull();
            assertThat(running.info().experimentId()).isEqualTo(tracker.experiment(name("exp")).id());
        }
        Run done = tracker.run(id).orElseThrow();
        assertThat(done.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(done.info().endTime()).isAfterOrEqualTo(done.info().startTime());
        assertThat(tracker.run("0123456789abcdef0123456789abcdef")).isEmpty();
    }

    @Test
    void aFailedRunKeepsItsError() {
        ActiveRun run = tracker.startRun(name("exp"));
        run.fail(new IllegalStateException("column 'RM' is empty"));
        Run failed = tracker.run(run.id()).orElseThrow();
        assertThat(failed.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.tags()).containsEntry("mlops.error", "column 'RM' is empty")
                .containsEntry("mlops.error.type", "java.lang.IllegalStateException");
        assertThat(failed.tags().get("mlops.error.stacktrace")).contains("IllegalStateException");
        assertThatThrownBy(() -> run.logMetric("late", 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("FAILED");
    }

    @Test
    void paramsMetricsAndTagsAreReadBackEqual() {
        String id;
        try (ActiveRun run = tracker.startRun(name("exp"))) {
            id = run.id();
            run.logParams(Map.of("trees", "100", "max depth", "8", "empty", ""));
            run.setTags(Map.of("stage", "dev", "unicode", "prix immobilier – €"));
            run.logMetric("rmse", 3.25, 1);
            run.logMetric("rmse", 2.75, 2);
            run.logMetrics(Map.of("r2", 0.81, "mae", 2.1));
        }
        Run r = tracker.run(id).orElseThrow();
        assertThat(r.params()).isEqualTo(Map.of("trees", "100", "max depth", "8", "empty", ""));
        assertThat(r.tags()).containsEntry("stage", "dev").containsEntry("unicode", "prix immobilier – €");
        assertThat(r.metric("rmse")).isEqualTo(2.75);
        assertThat(r.metrics().get("rmse").step()).isEqualTo(2);
        assertThat(r.metric("r2")).isEqualTo(0.81);
        assertThat(r.metric("mae")).isEqualTo(2.1);
    }

    @Test
    void theLatestMetricIsTheHighestStepThenTheLastLogged() {
        ActiveRun run = tracker.startRun(name("exp"));
        Instant t = Instant.ofEpochMilli(1_700_000_000_123L);
        for (Object[] o : new Object[][] {{0.9, 5L}, {0.1, 3L}, {0.5, 5L}}) { // 0.5: same step and time as 0.9, logged later
            tracker.more().logBatch(run.id(), new RunBatch(Map.of(), List.of(new Metric("loss", (Double) o[0], (Long) o[1], t)), Map.of()));
        }
        assertThat(tracker.run(run.id()).orElseThrow().metric("loss")).isEqualTo(0.5);
        tracker.more().logBatch(run.id(), new RunBatch(Map.of(), List.of(new Metric("loss", 0.7, 4, t.plusSeconds(1))), Map.of()));
        assertThat(tracker.run(run.id()).orElseThrow().metric("loss")).isEqualTo(0.5);
        tracker.more().logBatch(run.id(), new RunBatch(Map.of(), List.of(new Metric("loss", 0.3, 5, t.plusSeconds(1))), Map.of()));
        assertThat(tracker.run(run.id()).orElseThrow().metric("loss")).isEqualTo(0.3);
    }

    @Test
    void metricHistoryKeepsOrderAndSpecialValues() {
        ActiveRun run = tracker.startRun(name("exp"));
        double[] values = {1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.25, 1e300, Double.MIN_VALUE, 0};
        long[] steps = {0, 1, 2, 3, -4, Long.MAX_VALUE, Long.MIN_VALUE, 7};
        for (int i = 0; i < values.length; i++) {
            run.logMetric("odd", values[i], steps[i]);
        }
        run.finish();
        List<Metric> history = tracker.metricHistory(run.id(), "odd");
        assertThat(history).hasSize(values.length);
        for (int i = 0; i < values.length; i++) {
            assertThat(Double.valueOf(history.get(i).value())).as("value %d", i).isEqualTo(Double.valueOf(values[i]));
            assertThat(history.get(i).step()).as("step %d", i).isEqualTo(steps[i]);
            assertThat(history.get(i).key()).isEqualTo("odd");
        }
        assertThat(tracker.metricHistory(run.id(), "never-logged")).isEmpty();
        assertThatThrownBy(() -> tracker.metricHistory("0123456789abcdef0123456789abcdef", "odd"))
                .isInstanceOf(TrackingNotFoundException.class);
    }

    @Test
    void paramsCannotChangeAndAConflictingBatchWritesNothing() {
        ActiveRun run = tracker.startRun(name("exp"));
        run.logParam("trees", "100");
        run.logParam("trees", "100"); // same value: fine
        assertThatThrownBy(() -> run.logParam("trees", "200"))
                .isInstanceOf(TrackingConflictException.class).hasMessageContaining("'100'").hasMessageContaining("'200'");
        // Through the id-based API the store itself must refuse, and write nothing of the batch.
        RunBatch mixed = new RunBatch(Map.of("trees", "300", "seed", "42"), List.of(new Metric("m", 1, 0, Instant.now())),
                Map.of("t", "v"));
        assertThatThrownBy(() -> tracker.more().logBatch(run.id(), mixed)).isInstanceOf(TrackingConflictException.class);
        Run r = tracker.run(run.id()).orElseThrow();
        assertThat(r.params()).isEqualTo(Map.of("trees", "100"));
        assertThat(r.metrics()).doesNotContainKey("m");
        assertThat(r.tags()).doesNotContainKey("t");
    }

    @Test
    void invalidBatchesAreRefusedWithClearErrors() {
        ActiveRun run = tracker.startRun(name("exp"));
        List<Metric> tooMany = new ArrayList<>();
        for (int i = 0; i <= RunBatch.MAX_METRICS; i++) {
            tooMany.add(new Metric("m", i, i, Instant.now()));
        }
        assertThatThrownBy(() -> new RunBatch(Map.of(), tooMany, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000 metrics").hasMessageContaining("1001");
        assertThatThrownBy(() -> run.logMetric("bad\u0000key", 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metric key");
        assertThatThrownBy(() -> run.logParam("p", "x".repeat(6001))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6000");
        assertThatThrownBy(() -> run.setTag("../t", "v")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../t'");
        assertThatThrownBy(() -> tracker.more().logBatch("0123456789abcdef0123456789abcdef", new RunBatch(Map.of("a", "b"), List.of(), Map.of())))
                .isInstanceOf(TrackingNotFoundException.class);
        run.finish();
        assertThat(tracker.run(run.id()).orElseThrow().params()).isEmpty();
    }

    @Test
    void textNoStoreKeepsAsGivenIsRefusedOnEveryStoreAndPairedSurrogatesAreKept() {
        ActiveRun run = tracker.startRun(name("exp"));
        assertThatThrownBy(() -> run.logParam("p", "a\u0000b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("param 'p' value has a NUL character").hasMessageContaining("position 1");
        assertThatThrownBy(() -> run.setTag("t", "x\uD800")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag 't' value has an unpaired surrogate (\\ud800) at position 1");
        assertThatThrownBy(() -> tracker.more().logBatch(run.id(), new RunBatch(Map.of("q", "ok", "r", "\u0000"), List.of(), Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("param 'r' value");
        assertThatThrownBy(() -> tracker.startRun(name("nul\u0000exp"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("experiment name has a NUL character");
        run.logParam("emoji", "\uD83D\uDE00 fine");
        run.finish();
        Run r = tracker.run(run.id()).orElseThrow();
        assertThat(r.params()).as("nothing of the refused batch was written").isEqualTo(Map.of("emoji", "\uD83D\uDE00 fine"));
        assertThat(r.tags()).doesNotContainKey("t");
    }

    @Test
    void nestedRunsKnowTheirParent() {
        try (ActiveRun parent = tracker.startRun(name("exp"), "cv")) {
            try (ActiveRun fold = parent.startChild("fold-1")) {
                fold.logMetric("rmse", 3.1);
                Run child = tracker.run(fold.id()).orElseThrow();
                assertThat(child.info().parentRunId()).isEqualTo(parent.id());
                assertThat(child.info().experimentId()).isEqualTo(parent.info().experimentId());
            }
            assertThat(tracker.run(parent.id()).orElseThrow().info().parentRunId()).isNull();
        }
    }

    @Test
    void searchFollowsTheReferenceSemanticsOfTheFilterSubset() {
        Experiment e = tracker.experiment(name("search"));
        List<String> ids = searchFixture(e);
        List<Run> all = tracker.runs(name("search"));
        assertThat(all).hasSize(ids.size());
        List<String> filters = List.of(
                "metrics.rmse < 3.0 and params.trees = '100'",
                "metrics.rmse < 3",
                "metrics.rmse >= 2.5 AND metrics.rmse <= 3.5",
                "metrics.rmse != 2.5",
                "metrics.rmse = 4",
                "metrics.`weird key` > 0",
                "params.trees != '100'",
                "params.trees = '50'",
                "param.model LIKE 'forest%'",
                "params.model LIKE 'Forest%'",
                "params.model ILIKE 'FOREST%'",
                "params.model LIKE '%_tree'",
                "tags.stage = 'prod'",
                "tags.stage != 'prod'",
                "tags.\"team name\" = 'pricing'",
                "attributes.status = 'FINISHED'",
                "attributes.status != 'FINISHED'",
                "attributes.run_name = 'r3'",
                "attributes.run_name LIKE 'r%'",
                "attributes.run_id IN ('" + ids.get(0) + "', '" + ids.get(2) + "')",
                "attributes.run_id NOT IN ('" + ids.get(0) + "')",
                "attributes.start_time >= 1700000002000",
                "attributes.end_time < 1700000100000",
                "metrics.never = 1");
        for (String f : filters) {
            Set<String> expected = all.stream().filter(RunFilter.parse(f)::test).map(Run::id).collect(Collectors.toSet());
            Set<String> found = tracker.searchRuns(RunQuery.experiments(e.id()).filter(f)).runs().stream().map(Run::id)
                    .collect(Collectors.toSet());
            assertThat(found).as(f).isEqualTo(expected);
        }
        // Spot checks that the reference itself says what MLflow says.
        assertThat(tracker.searchRuns(RunQuery.experiments(e.id()).filter("metrics.rmse < 3.0 and params.trees = '100'")).runs())
                .extracting(r -> r.info().name()).containsExactlyInAnyOrder("r1");
        assertThat(tracker.searchRuns(RunQuery.experiments(e.id()).filter("params.model ILIKE 'FOREST%'")).runs()).hasSize(4);
        assertThat(tracker.searchRuns(RunQuery.experiments(e.id()).filter("params.model LIKE 'Forest%'")).runs()).extracting(r -> r.info().name()).containsExactly("r5");
        assertThatThrownBy(() -> RunQuery.experiments(e.id()).filter("metrics.rmse < 'abc'"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("number");
        assertThatThrownBy(() -> RunQuery.experiments(e.id()).filter("metrics.rmse < 3 or params.a = 'b'"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OR");
    }

    /** Six runs with start times 1700000000000 + i s; r5 has no rmse, r4's rmse is NaN. */
    private List<String> searchFixture(Experiment e) {
        Object[][] rows = {
                {"r0", "100", "forest_regressor", 3.5, "prod", RunStatus.FINISHED},
                {"r1", "100", "forest_tree", 2.5, "prod", RunStatus.FINISHED},
                {"r2", "50", "forest_tree", 2.9, "dev", RunStatus.FAILED},
                {"r3", "200", "linear", 4.0, "dev", RunStatus.FINISHED},
                {"r4", "200", "linear_tree", Double.NaN, "prod", RunStatus.KILLED},
                {"r5", "10", "Forest", null, "dev", RunStatus.RUNNING}};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            Object[] row = rows[i];
            Instant start = Instant.ofEpochMilli(1_700_000_000_000L + i * 1000L);
            var info = tracker.more().createRun(e.id(), (String) row[0], null, start, Map.of("team name", i % 2 == 0 ? "pricing" : "risk"));
            Map<String, String> params = new LinkedHashMap<>();
            params.put("trees", (String) row[1]);
            params.put("model", (String) row[2]);
            List<Metric> metrics = new ArrayList<>();
            if (row[3] != null) {
                metrics.add(new Metric("rmse", (Double) row[3], 0, start));
            }
            metrics.add(new Metric("weird key", i, 0, start));
            tracker.more().logBatch(info.runId(), new RunBatch(params, metrics, Map.of("stage", (String) row[4])));
            if (row[5] != RunStatus.RUNNING) {
                tracker.more().endRun(info.runId(), (RunStatus) row[5], start.plusSeconds(50));
            }
            ids.add(info.runId());
        }
        return ids;
    }

    @Test
    void orderByAndPagingFollowTheReference() {
        Experiment e = tracker.experiment(name("order"));
        searchFixture(e);
        List<Run> all = tracker.runs(name("order"));
        for (List<String> order : List.<List<String>>of(List.of("metrics.rmse ASC"), List.of("metrics.rmse DESC"), List.of("params.trees", "metrics.rmse DESC"),
                List.of("attributes.run_name DESC"), List.of("tags.stage", "attributes.start_time ASC"), List.of())) {
            RunQuery q = RunQuery.experiments(e.id()).orderBy(order);
            List<String> expected = all.stream().sorted(RunFilter.comparator(q.parsedOrder())).map(r -> r.info().name()).toList();
            assertThat(tracker.searchRuns(q).runs()).as("%s", order).extracting(r -> r.info().name()).containsExactlyElementsOf(expected);
            List<String> paged = new ArrayList<>();
            RunQuery page = q.maxResults(4);
            while (true) {
                RunPage p = tracker.searchRuns(page);
                paged.addAll(p.runs().stream().map(r -> r.info().name()).toList());
                if (p.nextPageToken().isEmpty()) {
                    break;
                }
                page = page.pageToken(p.nextPageToken().get());
            }
            assertThat(paged).as("paged %s", order).containsExactlyElementsOf(expected);
        }
        assertThat(tracker.searchRuns(RunQuery.experiments(e.id()).orderBy("metrics.rmse ASC")).runs())
                .extracting(r -> r.info().name()).startsWith("r1", "r2", "r0", "r3");
    }

    @Test
    void runsCanBeComparedSideBySide() {
        ActiveRun a = tracker.startRun(name("exp"), "a");
        a.logParams(Map.of("trees", "100", "seed", "42"));
        a.logMetric("rmse", 3.0);
        a.finish();
        ActiveRun b = tracker.startRun(name("exp"), "b");
        b.logParams(Map.of("trees", "200", "seed", "42", "depth", "8"));
        b.logMetric("rmse", 2.5);
        b.logMetric("r2", 0.9);
        b.finish();
        RunComparison c = tracker.compare(List.of(a.id(), b.id()));
        assertThat(c.paramKeys()).containsExactly("depth", "seed", "trees");
        assertThat(c.metricKeys()).containsExactly("r2", "rmse");
        assertThat(c.differingParams()).containsExactly("depth", "trees");
        assertThat(c.metric(1, "rmse")).isEqualTo(2.5);
        assertThat(c.metricDelta(1, "rmse")).isEqualTo(-0.5);
        assertThat(c.metric(0, "r2")).isNull();
        assertThatThrownBy(() -> tracker.compare(List.of(a.id(), "0123456789abcdef0123456789abcdef")))
                .isInstanceOf(TrackingNotFoundException.class);
    }

    @Test
    void artifactsAreStoredStreamedReplacedAndListed() throws IOException {
        ActiveRun run = tracker.startRun(name("exp"));
        ArtifactInfo notes = run.logText("notes/README.txt", "hello");
        assertThat(notes.size()).isEqualTo(5);
        assertThat(notes.sha256()).isEqualTo(sha256("hello".getBytes(StandardCharsets.UTF_8)));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        ArtifactInfo model = run.logArtifact("model/weights.bin", new ByteArrayInputStream(big));
        assertThat(model.size()).isEqualTo(big.length);
        assertThat(model.sha256()).isEqualTo(sha256(big));
        run.logText("notes/README.txt", "hello again"); // replaces
        try (InputStream in = tracker.openArtifact(run.id(), "model/weights.bin")) {
            assertThat(in.readAllBytes()).isEqualTo(big);
        }
        try (InputStream in = tracker.openArtifact(run.id(), "notes/README.txt")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello again");
        }
        List<ArtifactInfo> listed = tracker.run(run.id()).orElseThrow().artifacts();
        assertThat(listed).extracting(ArtifactInfo::path).containsExactly("model/weights.bin", "notes/README.txt");
        assertThat(listed).extracting(ArtifactInfo::size).containsExactly((long) big.length, 11L);
        if (listsArtifactDigests()) {
            assertThat(listed.get(0).sha256()).isEqualTo(sha256(big));
        }
        assertThatThrownBy(() -> tracker.openArtifact(run.id(), "missing.txt")).isInstanceOf(TrackingNotFoundException.class);
        assertThatThrownBy(() -> run.logText("../escape.txt", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRetriedWriteIsAppliedOnce() {
        if (!skipsRepeatedWriteIds()) {
            return;
        }
        ActiveRun run = tracker.startRun(name("exp"));
        RunWrite w = new RunWrite(RunWrite.newId(), run.id(),
                new RunBatch(Map.of("p", "1"), List.of(new Metric("m", 1, 1, Instant.ofEpochMilli(1000))), Map.of()));
        store.write(List.of(w));
        store.write(List.of(w, new RunWrite(RunWrite.newId(), run.id(),
                new RunBatch(Map.of(), List.of(new Metric("m", 2, 2, Instant.ofEpochMilli(2000))), Map.of()))));
        assertThat(store.metricHistory(run.id(), "m")).extracting(Metric::value).containsExactly(1.0, 2.0);
    }

    @Test
    void manyThreadsLogIntoOneRunWithoutLoss() throws Exception {
        ActiveRun run = tracker.startRun(name("exp"));
        int threads = 4;
        int points = 2_500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String key = "thread-" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < points; i++) {
                        run.logMetric(key, i, i);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        tracker.flush();
        for (int t = 0; t < threads; t++) {
            List<Metric> h = store.metricHistory(run.id(), "thread-" + t);
            assertThat(h).hasSize(points);
            for (int i = 0; i < points; i++) {
                assertThat(h.get(i).step()).isEqualTo(i); // each thread's order is kept
            }
        }
        assertThat(tracker.pendingPoints()).isZero();
    }

    @Test
    void aResumedRunContinuesAndStillRefusesParamChanges() {
        ActiveRun first = tracker.startRun(name("exp"));
        first.logParam("lr", "0.1");
        first.logMetric("loss", 1.0, 0);
        ActiveRun again = tracker.resumeRun(first.id());
        again.logMetric("loss", 0.5, 1);
        assertThatThrownBy(() -> again.logParam("lr", "0.2")).isInstanceOf(TrackingConflictException.class);
        again.finish();
        assertThat(tracker.metricHistory(first.id(), "loss")).extracting(Metric::value).containsExactly(1.0, 0.5);
        assertThatThrownBy(() -> tracker.resumeRun("0123456789abcdef0123456789abcdef")).isInstanceOf(TrackingNotFoundException.class);
    }

    @Test
    void systemMetricsAreSampledIntoTheRun() {
        ActiveRun run = tracker.startRun(name("exp"));
        run.sampleSystemMetrics();
        run.sampleSystemMetrics();
        run.finish();
        Run r = tracker.run(run.id()).orElseThrow();
        assertThat(r.metrics()).containsKeys("system/heap_used_megabytes", "system/gc_time_milliseconds", "system/threads");
        assertThat(r.metric("system/heap_used_megabytes")).isPositive();
        assertThat(tracker.metricHistory(run.id(), "system/threads")).extracting(Metric::step).containsExactly(0L, 1L);
    }

    /** @return the SHA-256 of bytes in hex */
    protected static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
