package org.mlops4j.core.tracking;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.tracking.memory.InMemoryTrackingStore;
import org.mlops4j.core.tracking.spi.RunWrite;
import org.mlops4j.core.tracking.spi.TrackingStore;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tracker's background writer: logging buffers without touching the store, flush and close are the
 * durability points, failures surface at the next flush, an unavailable store loses nothing and
 * duplicates nothing. The store here is the real in-memory store with a fault switch in front of it.
 */
class TrackerBufferingTest {

    /** The in-memory store behind a switch that makes writes fail or wait, and a count of store calls. */
    static final class SwitchedStore implements TrackingStore {
        final InMemoryTrackingStore real = new InMemoryTrackingStore();
        final AtomicBoolean unavailable = new AtomicBoolean();
        final AtomicBoolean refuse = new AtomicBoolean();
        final AtomicInteger writeCalls = new AtomicInteger();
        volatile CountDownLatch gate;

        @Override
        public void write(List<RunWrite> writes) {
            writeCalls.incrementAndGet();
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (unavailable.get()) {
                throw new StoreUnavailableException("store switched off");
            }
            if (refuse.get()) {
                throw new TrackingException("store refuses " + writes.size() + " writes");
            }
            real.write(writes);
        }

        @Override
        public Experiment createExperiment(String name, Map<String, String> tags, Instant createdAt) {
            return real.createExperiment(name, tags, createdAt);
        }

        @Override
        public Optional<Experiment> experimentByName(String name) {
            return real.experimentByName(name);
        }

        @Override
        public Optional<Experiment> experimentById(String id) {
            return real.experimentById(id);
        }

        @Override
        public List<Experiment> experiments() {
            return real.experiments();
        }

        @Override
        public void setExperimentTag(String experimentId, String key, String value) {
            real.setExperimentTag(experimentId, key, value);
        }

        @Override
        public RunInfo createRun(String experimentId, String name, String parentRunId, Instant startTime, Map<String, String> tags) {
            return real.createRun(experimentId, name, parentRunId, startTime, tags);
        }

        @Override
        public void endRun(String runId, RunStatus status, Instant endTime) {
            real.endRun(runId, status, endTime);
        }

        @Override
        public Optional<Run> run(String runId) {
            return real.run(runId);
        }

        @Override
        public RunPage searchRuns(RunQuery query) {
            return real.searchRuns(query);
        }

        @Override
        public List<Metric> metricHistory(String runId, String key) {
            return real.metricHistory(runId, key);
        }

        @Override
        public ArtifactInfo putArtifact(String runId, String path, InputStream content) {
            return real.putArtifact(runId, path, content);
        }

        @Override
        public InputStream openArtifact(String runId, String path) {
            return real.openArtifact(runId, path);
        }
    }

    @Test
    void loggingDoesNotCallTheStoreAndFlushWritesEverythingInBatches() {
        SwitchedStore store = new SwitchedStore();
        try (Tracker tracker = Tracker.builder().store(store).flushInterval(Duration.ofHours(1)).bufferCapacity(100_000).build()) {
            ActiveRun run = tracker.startRun("buffer");
            store.gate = new CountDownLatch(1); // any store write would now block the writer, never the caller
            for (int i = 0; i < 999; i++) {
                run.logMetric("loss", i, i);
            }
            assertThat(tracker.pendingPoints()).isBetween(0, 999);
            store.gate.countDown();
            store.gate = null;
            tracker.flush();
            assertThat(tracker.pendingPoints()).isZero();
            assertThat(store.real.metricHistory(run.id(), "loss")).hasSize(999).extracting(Metric::step).startsWith(0L, 1L, 2L);
            int callsFor999 = store.writeCalls.get();
            assertThat(callsFor999).isLessThanOrEqualTo(3); // batched, not one call per point
        }
    }

    @Test
    void aRefusedWriteSurfacesAtTheNextFlushAndIsNotRepeated() {
        SwitchedStore store = new SwitchedStore();
        try (Tracker tracker = Tracker.builder().store(store).build()) {
            ActiveRun run = tracker.startRun("refused");
            store.refuse.set(true);
            run.logMetric("m", 1);
            assertThatThrownBy(tracker::flush).isInstanceOf(TrackingException.class)
                    .hasMessageContaining("1 metric points of run " + run.id()).hasMessageContaining("store refuses");
            store.refuse.set(false);
            tracker.flush(); // reported once
            run.logMetric("m", 2);
            tracker.flush();
            assertThat(store.real.metricHistory(run.id(), "m")).extracting(Metric::value).containsExactly(2.0);
        }
    }

    @Test
    void anUnavailableStoreKeepsThePointsInOrderAndARetryWritesThemOnce() {
        SwitchedStore store = new SwitchedStore();
        try (Tracker tracker = Tracker.builder().store(store).build()) {
            ActiveRun run = tracker.startRun("outage");
            run.logMetric("m", 0, 0);
            tracker.flush();
            store.unavailable.set(true);
            for (int i = 1; i <= 2500; i++) {
                run.logMetric("m", i, i);
            }
            assertThatThrownBy(tracker::flush).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("2500 metric points are not written yet").hasMessageContaining("store switched off");
            assertThat(tracker.pendingPoints()).isEqualTo(2500);
            assertThatThrownBy(() -> run.logParam("p", "1")).isInstanceOf(StoreUnavailableException.class);
            store.unavailable.set(false);
            tracker.flush();
            List<Metric> h = store.real.metricHistory(run.id(), "m");
            assertThat(h).hasSize(2501);
            for (int i = 0; i <= 2500; i++) {
                assertThat(h.get(i).step()).isEqualTo(i);
            }
        }
    }

    @Test
    void aFullBufferDiscardsWhenAskedAndSaysSoAtFlush() throws Exception {
        SwitchedStore store = new SwitchedStore();
        try (Tracker tracker = Tracker.builder().store(store).bufferCapacity(10).overflow(OverflowPolicy.DISCARD).build()) {
            ActiveRun run = tracker.startRun("discard");
            store.gate = new CountDownLatch(1);
            for (int i = 0; i < 100; i++) {
                run.logMetric("m", i, i); // never blocks
            }
            store.gate.countDown();
            store.gate = null;
            assertThatThrownBy(tracker::flush).isInstanceOf(TrackingException.class).hasMessageContaining("discarded")
                    .hasMessageContaining("buffer of 10 points");
            assertThat(store.real.metricHistory(run.id(), "m").size()).isBetween(10, 99);
        }
    }

    @Test
    void aFullBufferBlocksByDefaultAndLosesNothing() throws Exception {
        SwitchedStore store = new SwitchedStore();
        try (Tracker tracker = Tracker.builder().store(store).bufferCapacity(64).build()) {
            ActiveRun run = tracker.startRun("block");
            for (int i = 0; i < 20_000; i++) {
                run.logMetric("m", i, i);
            }
            tracker.flush();
            assertThat(store.real.metricHistory(run.id(), "m")).hasSize(20_000);
        }
    }

    @Test
    void endingARunWritesItsPointsFirstAndCloseWritesTheRest() {
        SwitchedStore store = new SwitchedStore();
        Tracker tracker = Tracker.builder().store(store).flushInterval(Duration.ofHours(1)).build();
        ActiveRun a = tracker.startRun("order");
        a.logMetric("m", 1);
        a.finish();
        assertThat(store.real.run(a.id()).orElseThrow().metrics()).containsKey("m");
        ActiveRun b = tracker.startRun("order");
        b.logMetric("m", 2);
        tracker.close();
        assertThat(store.real.metricHistory(b.id(), "m")).hasSize(1);
        assertThatThrownBy(() -> b.logMetric("m", 3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void closeReportsPointsItCouldNotWrite() {
        SwitchedStore store = new SwitchedStore();
        Tracker tracker = Tracker.builder().store(store).build();
        ActiveRun run = tracker.startRun("lost");
        store.unavailable.set(true);
        run.logMetric("m", 1);
        assertThatThrownBy(tracker::close).isInstanceOf(TrackingException.class).hasMessageContaining("1 metric points could not be written");
    }

    @Test
    void metricTimesHaveMillisecondPrecisionAndKeysAreChecked() {
        try (Tracker tracker = Tracker.inMemory()) {
            ActiveRun run = tracker.startRun("ms");
            Instant precise = Instant.parse("2026-01-02T03:04:05.123456789Z");
            run.logBatch(new RunBatch(Map.of(), List.of(new Metric("m", 1, 0, precise)), Map.of()));
            assertThat(tracker.metricHistory(run.id(), "m").get(0).timestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123Z"));
            assertThatThrownBy(() -> run.logMetric("", 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metric key");
            assertThatThrownBy(() -> Tracker.builder().bufferCapacity(0)).hasMessageContaining("bufferCapacity must be >= 1 but was 0");
            assertThatThrownBy(() -> Tracker.builder().systemMetrics(Duration.ofMillis(5))).hasMessageContaining(">= 100 ms");
        }
    }

    @Test
    void systemMetricsAreSampledAtTheIntervalUntilTheRunEnds() {
        try (Tracker tracker = Tracker.builder().store(new InMemoryTrackingStore()).systemMetrics(Duration.ofMillis(100)).build()) {
            ActiveRun run = tracker.startRun("system");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (tracker.metricHistory(run.id(), "system/heap_used_megabytes").size() < 3) { // polls the store; the sampler runs on its own clock
                assertThat(System.nanoTime()).as("3 samples within 30 s").isLessThan(deadline);
                Thread.onSpinWait();
            }
            run.finish();
            int samples = tracker.metricHistory(run.id(), "system/heap_used_megabytes").size();
            assertThat(tracker.metricHistory(run.id(), "system/gc_time_milliseconds")).hasSize(samples);
            assertThat(tracker.metricHistory(run.id(), "system/heap_used_megabytes")).extracting(Metric::step).startsWith(0L, 1L, 2L);
        }
    }

    @Test
    void searchAndCompareWorkInMemory() {
        try (Tracker tracker = Tracker.inMemory()) {
            ActiveRun a = tracker.startRun("q", "a");
            a.logParam("trees", "100").logMetric("rmse", 3.0);
            a.finish();
            ActiveRun b = tracker.startRun("q", "b");
            b.logParam("trees", "200").logMetric("rmse", 2.0);
            b.finish();
            String exp = tracker.experimentByName("q").orElseThrow().id();
            RunPage p = tracker.searchRuns(RunQuery.experiments(exp).filter("metrics.rmse < 2.5").orderBy("metrics.rmse"));
            assertThat(p.runs()).extracting(r -> r.info().name()).containsExactly("b");
            assertThat(tracker.compare(List.of(a.id(), b.id())).differingParams()).containsExactly("trees");
        }
    }
}
