package org.mlops4j.core.tracking;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrackerTest {

    /** A clock that advances one second per reading: deterministic times without sleeping. */
    static final class StepClock extends Clock {
        private Instant now = Instant.parse("2026-11-26T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }
    }

    private final Tracker tracker = Tracker.builder().store(new org.mlops4j.core.tracking.memory.InMemoryTrackingStore())
            .clock(new StepClock()).build();

    @Test
    void aRunRecordsParamsMetricHistoryTagsAndArtifacts() throws Exception {
        String id;
        try (ActiveRun run = tracker.startRun("house-prices", "baseline")) {
            id = run.id();
            run.logParam("trees", "100").logParams(Map.of("seed", "42"));
            for (int epoch = 0; epoch < 3; epoch++) {
                run.logMetric("loss", 1.0 / (epoch + 1), epoch);
            }
            run.setTag("owner", "pricing");
            run.logText("notes/readme.txt", "hello");
        }

        Run run = tracker.run(id).orElseThrow();
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.info().name()).isEqualTo("baseline");
        assertThat(run.info().duration()).hasValueSatisfying(d -> assertThat(d).isPositive());
        assertThat(run.params()).containsEntry("trees", "100").containsEntry("seed", "42");
        assertThat(run.metric("loss")).isEqualTo(1.0 / 3);
        assertThat(tracker.metricHistory(id, "loss")).extracting(Metric::step).containsExactly(0L, 1L, 2L);
        assertThat(run.tags()).containsEntry("owner", "pricing");
        assertThat(run.artifacts()).singleElement().satisfies(a -> {
            assertThat(a.path()).isEqualTo("notes/readme.txt");
            assertThat(a.size()).isEqualTo(5);
            assertThat(a.sha256()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        });
        try (InputStream in = tracker.openArtifact(id, "notes/readme.txt")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        assertThat(tracker.runs("house-prices")).extracting(Run::id).containsExactly(id);
        assertThat(tracker.experiments()).extracting(Experiment::name).containsExactly("house-prices");
    }

    @Test
    void theLatestMetricIsTheHighestStepNotTheLastLogged() {
        try (ActiveRun run = tracker.startRun("e")) {
            run.logMetric("acc", 0.9, 5);
            run.logMetric("acc", 0.5, 1);
            assertThat(tracker.run(run.id()).orElseThrow().metric("acc")).isEqualTo(0.9);
        }
    }

    @Test
    void paramsAreImmutableOnceLogged() {
        try (ActiveRun run = tracker.startRun("e")) {
            run.logParam("trees", "100");
            run.logParam("trees", "100"); // same value: fine
            assertThatThrownBy(() -> run.logParam("trees", "200"))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("param 'trees' of run " + run.id() + " is already '100'");
        }
    }

    @Test
    void childRunsPointAtTheirParent() {
        try (ActiveRun parent = tracker.startRun("cv")) {
            try (ActiveRun child = parent.startChild("fold-1")) {
                child.logMetric("rmse", 3.1);
                assertThat(child.info().parentRunId()).isEqualTo(parent.id());
                assertThat(child.info().experimentId()).isEqualTo(parent.info().experimentId());
            }
        }
        assertThat(tracker.runs("cv")).hasSize(2);
    }

    @Test
    void aFailedRunKeepsTheErrorAndAnEndedRunAcceptsNothing() {
        ActiveRun run = tracker.startRun("e");
        run.fail(new IllegalStateException("boom"));
        run.finish(); // no effect: already ended

        Run stored = tracker.run(run.id()).orElseThrow();
        assertThat(stored.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(stored.tags()).containsEntry("mlops.error", "boom")
                .containsEntry("mlops.error.type", "java.lang.IllegalStateException");
        assertThat(stored.tags().get("mlops.error.stacktrace")).contains("TrackerTest");
        assertThatThrownBy(() -> run.logMetric("x", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is FAILED; an ended run accepts nothing more");
    }

    @Test
    void keysValuesAndArtifactPathsFollowTheRules() {
        try (ActiveRun run = tracker.startRun("e")) {
            assertThatThrownBy(() -> run.logMetric("bad:key", 1)).hasMessageContaining("metric key must be 1-250 characters");
            assertThatThrownBy(() -> run.logParam("p", "x".repeat(6001))).hasMessageContaining("at most 6000 characters but has 6001");
            assertThatThrownBy(() -> run.setTag("../t", "v")).hasMessageContaining("without '..'");
            for (String path : List.of("../escape", "/etc/passwd", "a/../../b", "a//b", "a\\b", "C:x", "%2e%2e/x",
                    "a/./b", "nul\u0000byte", "")) {
                assertThatThrownBy(() -> run.logText(path, "x")).as(path).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(run.logText("model/weights.bin", "x").path()).isEqualTo("model/weights.bin");
        }
    }

    @Test
    void aBatchIsLimitedAndAllOrNothing() {
        try (ActiveRun run = tracker.startRun("e")) {
            run.logParam("a", "1");
            RunBatch conflicting = new RunBatch(Map.of("a", "2", "b", "3"), List.of(), Map.of("t", "v"));
            assertThatThrownBy(() -> run.logBatch(conflicting)).isInstanceOf(TrackingException.class);
            Run stored = tracker.run(run.id()).orElseThrow();
            assertThat(stored.params()).doesNotContainKey("b");
            assertThat(stored.tags()).doesNotContainKey("t");
        }
        List<Metric> tooMany = java.util.stream.IntStream.range(0, 1001)
                .mapToObj(i -> new Metric("m", i, i, Instant.EPOCH)).toList();
        assertThatThrownBy(() -> new RunBatch(Map.of(), tooMany, Map.of())).hasMessageContaining("at most 1000 metrics");
    }

    @Test
    void severalThreadsCanLogIntoOneRun() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (ActiveRun run = tracker.startRun("threads")) {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        run.logMetric("m" + thread, i, i);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            for (int t = 0; t < 4; t++) {
                assertThat(tracker.metricHistory(run.id(), "m" + t)).hasSize(500);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void timesComeFromTheInjectedClock() {
        ActiveRun run = tracker.startRun("clock");
        run.finish();
        RunInfo info = tracker.run(run.id()).orElseThrow().info();
        assertThat(info.startTime()).isAfter(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(info.duration()).contains(Duration.ofSeconds(1));
    }
}
