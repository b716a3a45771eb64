package org.mlops4j.core;

import org.mlops4j.core.spi.InMemoryTrackingStore;
import org.mlops4j.core.spi.TrackingStore;

import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Experiment tracking: experiments, runs with params, metrics (value, step, time), tags, artifacts,
 * nested runs and a status. The API and its rules live here; storage is a pluggable
 * {@link TrackingStore} ({@link #inMemory()} here, SQLite, PostgreSQL and MLflow in
 * {@code mlops-tracking}).
 *
 * <p>Thread-safe. Keys follow MLflow's rules (letters, digits, {@code _ - . / space}, at most 250
 * characters); params are immutable once logged; a run that has ended accepts nothing more.
 * {@snippet :
 * Tracker tracker = Tracker.inMemory();
 * try (ActiveRun run = tracker.startRun("house-prices", "baseline")) {
 *     run.logParam("trees", "100");
 *     for (int epoch = 0; epoch < 10; epoch++) {
 *         run.logMetric("loss", 1.0 / (epoch + 1), epoch);
 *     }
 * } // FINISHED; an exception inside would be recorded with run.fail(e)
 * tracker.runs("house-prices").get(0).metric("loss"); // 0.1
 * }
 */
public final class Tracker implements AutoCloseable {
    private final TrackingStore store;
    private final Clock clock;

    private Tracker(TrackingStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** @return a tracker that keeps everything in memory (lost when the JVM exits) */
    public static Tracker inMemory() {
        return builder().store(new InMemoryTrackingStore()).build();
    }

    /** @return a builder to choose the store and clock */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the store behind this tracker */
    public TrackingStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    /**
     * @param name experiment name
     * @return the experiment of that name, created when it does not exist
     */
    public synchronized Experiment experiment(String name) {
        Names.experiment(name);
        return store.experimentByName(name).orElseGet(() -> store.createExperiment(name, Map.of(), clock.instant()));
    }

    /** @return every experiment, oldest first */
    public List<Experiment> experiments() {
        return store.experiments();
    }

    /**
     * @param experimentName experiment (created when needed)
     * @return a started run named after its start time
     */
    public ActiveRun startRun(String experimentName) {
        return startRun(experimentName, null);
    }

    /**
     * @param experimentName experiment (created when needed)
     * @param runName        a human-readable run name, or null for a generated one
     * @return the started run
     */
    public ActiveRun startRun(String experimentName, String runName) {
        return start(experiment(experimentName).id(), runName, null);
    }

    ActiveRun start(String experimentId, String runName, String parentRunId) {
        String name = runName == null || runName.isBlank() ? "run-" + clock.instant().toEpochMilli() : runName;
        RunInfo info = store.createRun(experimentId, name, parentRunId, clock.instant(), Map.of());
        return new ActiveRun(this, info);
    }

    /**
     * @param runId run id
     * @return the run's snapshot, when it exists
     */
    public Optional<Run> run(String runId) {
        return store.run(Objects.requireNonNull(runId, "runId"));
    }

    /**
     * @param experimentName an experiment
     * @return its runs, newest first (none when the experiment does not exist)
     */
    public List<Run> runs(String experimentName) {
        return store.experimentByName(experimentName).map(e -> store.runs(e.id())).orElse(List.of());
    }

    /**
     * @param runId run id
     * @param key   metric key
     * @return every observation of that metric, in logging order
     */
    public List<Metric> metricHistory(String runId, String key) {
        return store.metricHistory(runId, key);
    }

    /**
     * @param runId run id
     * @param path  artifact path
     * @return its content; close it after reading
     */
    public InputStream openArtifact(String runId, String path) {
        return store.openArtifact(runId, Names.artifactPath(path));
    }

    /** Closes the store. */
    @Override
    public void close() {
        try {
            store.close();
        } catch (Exception e) {
            throw new TrackingException("closing the tracking store failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Tracker[" + store.getClass().getSimpleName() + "]";
    }

    /**
     * Configures a {@link Tracker}. Single-use.
     * {@snippet :
     * Tracker t = Tracker.builder().store(new InMemoryTrackingStore()).clock(Clock.systemUTC()).build();
     * }
     */
    public static final class Builder {
        private TrackingStore store;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param s the store
         * @return this builder
         */
        public Builder store(TrackingStore s) {
            this.store = Objects.requireNonNull(s, "store");
            return this;
        }

        /**
         * @param c the clock for run and metric times (tests inject a fixed one)
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** @return the tracker */
        public Tracker build() {
            if (store == null) {
                throw new IllegalStateException("a tracker needs a store: call store(...) or use Tracker.inMemory()");
            }
            return new Tracker(store, clock);
        }
    }
}
