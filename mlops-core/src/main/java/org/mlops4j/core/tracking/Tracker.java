package org.mlops4j.core.tracking;

import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.internal.Names;
import org.mlops4j.core.tracking.memory.InMemoryTrackingStore;
import org.mlops4j.core.tracking.spi.TrackingStore;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Experiment tracking: experiments, runs with params, metrics (value, step, time), tags, artifacts,
 * nested runs and a status. The API and its rules live here; storage is a pluggable
 * {@link TrackingStore} ({@link #inMemory()} here, SQLite, PostgreSQL and MLflow in
 * {@code mlops-tracking}).
 *
 * <p><b>Logging never waits for the store.</b> {@link ActiveRun#logMetric(String, double, long)} validates
 * the key and puts the point in a bounded buffer; a background writer thread writes buffered points in
 * order, grouped per run into batches, at least every {@linkplain Builder#flushInterval(Duration) flush
 * interval} (default 1 s) and as soon as 1,000 points wait. {@link #flush()} and {@link #close()} are the
 * durability points: when they return, every point logged before is in the store (for the SQLite store:
 * on disk). Params, tags, {@link ActiveRun#logBatch(RunBatch)} and run ends are written synchronously, in
 * order with the points, and throw the store's error directly. When the buffer is full the
 * {@link OverflowPolicy} applies ({@link OverflowPolicy#BLOCK} by default). A write the store refuses is
 * never dropped silently: the next {@code flush()} or {@code close()} throws it; a store that is
 * unavailable keeps the points buffered, in order, retried with back-off and at every {@code flush()}.
 *
 * <p>Thread-safe. Keys follow MLflow's rules (letters, digits, {@code _ - . / space}, at most 250
 * characters); params are immutable once logged; a run that has ended accepts nothing more; metric times
 * have millisecond precision. Reads ({@link #run}, {@link #searchRuns}, {@link #metricHistory}) first wait
 * for this tracker's buffered points, so a tracker reads its own writes.
 * {@snippet :
 * try (Tracker tracker = Tracker.inMemory();
 *      ActiveRun run = tracker.startRun("house-prices", "baseline")) {
 *     run.logParam("trees", "100");
 *     for (int epoch = 0; epoch < 10; epoch++) {
 *         run.logMetric("loss", 1.0 / (epoch + 1), epoch);
 *     }
 * } // the run is FINISHED and every point written; an exception inside would be recorded with run.fail(e)
 * }
 */
public final class Tracker implements AutoCloseable {
    /** Metric keys that passed validation, so the hot path skips the regular expression. */
    private static final int MAX_CHECKED_KEYS = 10_000;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final TrackingStore store;
    private final Clock clock;
    private final BatchingWriter writer;
    private final Map<String, Boolean> checkedKeys = new ConcurrentHashMap<>();
    private final Duration systemMetricsInterval;
    private final ThreadFactory threadFactory;
    private ScheduledExecutorService sampler;
    private volatile boolean closed;
    private final More more = new More();

    private Tracker(Builder b) {
        this.store = b.store;
        this.clock = b.clock;
        this.threadFactory = b.threadFactory;
        this.systemMetricsInterval = b.systemMetricsInterval;
        this.writer = new BatchingWriter(store, b.bufferCapacity, b.overflow, b.flushInterval.toNanos(), threadFactory);
    }

    /** @return a tracker that keeps everything in memory (lost when the JVM exits) */
    public static Tracker inMemory() {
        return builder().store(new InMemoryTrackingStore()).build();
    }

    /** @return a builder to choose the store, clock, buffer and system metrics */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The by-id operations that bridges such as the MLflow-compatible server need: create a run, write a
     * batch, end a run and store a file, each naming the run by id. Most code uses {@link ActiveRun}.
     *
     * @return this tracker's bridge operations
     */
    public More more() {
        return more;
    }

    Clock clock() {
        return clock;
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    // ---- experiments ----

    /**
     * @param name experiment name
     * @return the experiment of that name, created when it does not exist
     */
    public synchronized Experiment experiment(String name) {
        Names.experiment(name);
        Optional<Experiment> found = store.experimentByName(name);
        if (found.isPresent()) {
            return found.get();
        }
        try {
            return store.createExperiment(name, Map.of(), now());
        } catch (TrackingConflictException raced) { // another process created it first
            return store.experimentByName(name).orElseThrow(() -> raced);
        }
    }

    /**
     * @param name experiment name, not taken yet
     * @param tags experiment tags
     * @return the created experiment
     * @throws TrackingConflictException when the name is taken
     */
    public Experiment createExperiment(String name, Map<String, String> tags) {
        Names.experiment(name);
        tags.forEach((k, v) -> {
            Names.key("tag", k);
            Names.tagValue(k, v);
        });
        return store.createExperiment(name, tags, now());
    }

    /**
     * @param id experiment id
     * @return the experiment, when it exists
     */
    public Optional<Experiment> experimentById(String id) {
        return store.experimentById(Objects.requireNonNull(id, "id"));
    }

    /**
     * @param name experiment name
     * @return the experiment, when it exists (never creates one)
     */
    public Optional<Experiment> experimentByName(String name) {
        return store.experimentByName(Objects.requireNonNull(name, "name"));
    }

    /** @return every experiment, oldest first */
    public List<Experiment> experiments() {
        return store.experiments();
    }

    /**
     * @param experimentId the experiment
     * @param key          tag key
     * @param value        tag value
     */
    public void setExperimentTag(String experimentId, String key, String value) {
        Names.key("tag", key);
        Names.tagValue(key, value);
        store.setExperimentTag(Objects.requireNonNull(experimentId, "experimentId"), key, value);
    }

    // ---- runs ----

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
        requireOpen();
        RunInfo info = createRun(experimentId, runName, parentRunId, null, Map.of());
        return activate(new ActiveRun(this, info, Map.of(), RunStatus.RUNNING));
    }

    private ActiveRun activate(ActiveRun run) {
        if (systemMetricsInterval != null && run.status() == RunStatus.RUNNING) {
            long ms = systemMetricsInterval.toMillis();
            run.sampling(sampler().scheduleAtFixedRate(run::sampleSystemMetricsQuietly, ms, ms, TimeUnit.MILLISECONDS));
        }
        return run;
    }

    private synchronized ScheduledExecutorService sampler() {
        if (sampler == null) {
            sampler = Executors.newSingleThreadScheduledExecutor(threadFactory);
        }
        return sampler;
    }

    /**
     * Creates a run by experiment id: for bridges such as the MLflow-compatible server. Most code calls
     * {@link #startRun(String, String)}.
     *
     * @param experimentId the experiment
     * @param runName      run name, or null for one made from the start time
     * @param parentRunId  parent run, or null
     * @param startTime    start time, or null for now
     * @param tags         initial tags
     * @return the created run
     */
    RunInfo createRun(String experimentId, String runName, String parentRunId, Instant startTime,
                             Map<String, String> tags) {
        Objects.requireNonNull(experimentId, "experimentId");
        tags.forEach((k, v) -> {
            Names.key("tag", k);
            Names.tagValue(k, v);
        });
        Instant start = startTime == null ? now() : Instant.ofEpochMilli(startTime.toEpochMilli());
        String name = runName == null || runName.isBlank() ? "run-" + start.toEpochMilli() : runName;
        if (name.length() > 250) {
            throw new IllegalArgumentException("run name must be at most 250 characters but has " + name.length());
        }
        return store.createRun(experimentId, name, parentRunId, start, tags);
    }

    /**
     * Continues logging into an existing run (as MLflow's {@code start_run(run_id=...)}).
     *
     * @param runId a run of this store
     * @return the run; if it has ended it accepts nothing more
     * @throws TrackingNotFoundException when there is no such run
     */
    public ActiveRun resumeRun(String runId) {
        requireOpen();
        Run run = store.run(Objects.requireNonNull(runId, "runId"))
                .orElseThrow(() -> new TrackingNotFoundException("no run with id " + runId));
        return activate(new ActiveRun(this, run.info(), run.params(), run.info().status()));
    }

    /**
     * Writes a batch into a run by id, validated, synchronously and in order with buffered points: for
     * bridges such as the MLflow-compatible server. Unlike {@link ActiveRun}, it does not refuse runs that
     * have ended (MLflow does not either).
     *
     * @param runId the run
     * @param batch what to write, all or nothing
     * @throws IllegalArgumentException for an invalid key or value, naming it
     * @throws TrackingConflictException when a param would change
     * @throws TrackingNotFoundException when there is no such run
     */
    void logBatch(String runId, RunBatch batch) {
        Objects.requireNonNull(runId, "runId");
        RunBatch checked = validate(batch);
        if (!checked.isEmpty()) {
            requireOpen();
            writer.writeNow(runId, checked);
        }
    }

    /**
     * Ends a run by id, in order with buffered points.
     *
     * @param runId   the run
     * @param status  terminal status
     * @param endTime end time, or null for now
     */
    void endRun(String runId, RunStatus status, Instant endTime) {
        Objects.requireNonNull(runId, "runId");
        if (!Objects.requireNonNull(status, "status").isTerminal()) {
            throw new IllegalArgumentException("a run ends with FINISHED, FAILED or KILLED, not " + status);
        }
        requireOpen();
        writer.endNow(runId, status, endTime == null ? now() : Instant.ofEpochMilli(endTime.toEpochMilli()));
    }

    /**
     * Stores a file with a run by id.
     *
     * @param runId   the run
     * @param path    run-relative path ({@code model/manifest.json}); no {@code ..}, no absolute path
     * @param content read to the end; not closed
     * @return what was stored
     */
    ArtifactInfo logArtifact(String runId, String path, InputStream content) {
        String normalized = Names.artifactPath(path);
        requireOpen();
        return store.putArtifact(Objects.requireNonNull(runId, "runId"), normalized, Objects.requireNonNull(content, "content"));
    }

    /** Validates keys and values; copies metrics with millisecond timestamps. */
    RunBatch validate(RunBatch batch) {
        Objects.requireNonNull(batch, "batch");
        batch.params().forEach((k, v) -> {
            Names.key("param", k);
            Names.paramValue(k, v);
        });
        batch.tags().forEach((k, v) -> {
            Names.key("tag", k);
            Names.tagValue(k, v);
        });
        List<Metric> metrics = new ArrayList<>(batch.metrics().size());
        boolean copy = false;
        for (Metric m : batch.metrics()) {
            checkMetricKey(m.key());
            long ms = m.timestamp().toEpochMilli();
            if (m.timestamp().getNano() % 1_000_000 != 0) {
                copy = true;
                m = new Metric(m.key(), m.value(), m.step(), Instant.ofEpochMilli(ms));
            }
            metrics.add(m);
        }
        return copy ? new RunBatch(batch.params(), metrics, batch.tags()) : batch;
    }

    void checkMetricKey(String key) {
        if (checkedKeys.get(key) == null) {
            Names.key("metric", key);
            if (checkedKeys.size() < MAX_CHECKED_KEYS) {
                checkedKeys.put(key, Boolean.TRUE);
            }
        }
    }

    /** The hot path: validate (cached) and buffer. */
    void point(String runId, String key, double value, long step) {
        checkMetricKey(key);
        writer.point(runId, key, value, step, clock.millis());
    }

    void writeNow(String runId, RunBatch batch) {
        requireOpen();
        writer.writeNow(runId, batch);
    }

    void endNow(String runId, RunStatus status) {
        requireOpen();
        writer.endNow(runId, status, now());
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the tracker is closed");
        }
    }

    // ---- reads ----

    /**
     * @param runId run id
     * @return the run's snapshot, when it exists
     */
    public Optional<Run> run(String runId) {
        Objects.requireNonNull(runId, "runId");
        writer.flush(false);
        return store.run(runId);
    }

    /**
     * @param experimentName an experiment
     * @return its runs, newest first (none when the experiment does not exist)
     */
    public List<Run> runs(String experimentName) {
        writer.flush(false);
        return store.experimentByName(experimentName).map(e -> store.runs(e.id())).orElse(List.of());
    }

    /**
     * Searches runs with MLflow's filter syntax.
     * {@snippet :
     * RunPage best = tracker.searchRuns(RunQuery.experiments(exp.id())
     *         .filter("metrics.rmse < 3.0 and params.trees = '100'").orderBy("metrics.rmse").maxResults(5));
     * }
     *
     * @param query what to search
     * @return one page of runs
     */
    public RunPage searchRuns(RunQuery query) {
        Objects.requireNonNull(query, "query");
        writer.flush(false);
        return store.searchRuns(query);
    }

    /**
     * @param runIds runs to put side by side (at least one)
     * @return their params and metrics as a table
     * @throws TrackingNotFoundException naming a run id that does not exist
     */
    public RunComparison compare(List<String> runIds) {
        if (runIds.isEmpty()) {
            throw new IllegalArgumentException("compare needs at least one run id");
        }
        writer.flush(false);
        List<Run> runs = new ArrayList<>();
        for (String id : runIds) {
            runs.add(store.run(id).orElseThrow(() -> new TrackingNotFoundException("no run with id " + id)));
        }
        return RunComparison.of(runs);
    }

    /**
     * @param runId run id
     * @param key   metric key
     * @return every observation of that metric, in logging order
     */
    public List<Metric> metricHistory(String runId, String key) {
        Objects.requireNonNull(runId, "runId");
        writer.flush(false);
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

    // ---- durability ----

    /**
     * Waits until every point logged before this call is in the store.
     *
     * @throws StoreUnavailableException when the store cannot be reached; the points stay buffered and a
     *                                      later flush writes them (without duplicates)
     * @throws TrackingException            when writes were refused or points discarded since the last flush
     */
    public void flush() {
        writer.flush(true);
    }

    /** @return metric points logged and not yet in the store */
    public int pendingPoints() {
        return writer.pending();
    }

    /**
     * Writes what is buffered, stops the writer and system-metric sampling, and closes the store.
     *
     * @throws TrackingException when buffered points could not be written or earlier writes were refused
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (sampler != null) {
                sampler.shutdownNow();
            }
        }
        try {
            writer.close();
        } finally {
            try {
                store.close();
            } catch (Exception e) {
                throw new TrackingException("closing the tracking store failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "Tracker[" + store + "]";
    }

    /**
     * By-id writes for bridges (the MLflow-compatible server): validated like {@link ActiveRun}'s, written
     * synchronously and in order with buffered points. Unlike {@link ActiveRun}, they do not refuse runs
     * that have ended (MLflow does not either). Thread-safe.
     * {@snippet :
     * RunInfo info = tracker.more().createRun(experimentId, "imported", null, null, Map.of());
     * tracker.more().logBatch(info.runId(), new RunBatch(Map.of("trees", "100"), List.of(), Map.of()));
     * tracker.more().endRun(info.runId(), RunStatus.FINISHED, null);
     * }
     */
    public final class More {
        private More() {
        }

        /**
         * @param experimentId the experiment
         * @param runName      run name, or null for one made from the start time
         * @param parentRunId  parent run, or null
         * @param startTime    start time, or null for now
         * @param tags         initial tags
         * @return the created run
         */
        public RunInfo createRun(String experimentId, String runName, String parentRunId, Instant startTime,
                                 Map<String, String> tags) {
            return Tracker.this.createRun(experimentId, runName, parentRunId, startTime, tags);
        }

        /**
         * @param runId the run
         * @param batch what to write, all or nothing
         * @throws IllegalArgumentException  for an invalid key or value, naming it
         * @throws TrackingConflictException when a param would change
         * @throws TrackingNotFoundException when there is no such run
         */
        public void logBatch(String runId, RunBatch batch) {
            Tracker.this.logBatch(runId, batch);
        }

        /**
         * @param runId   the run
         * @param status  terminal status
         * @param endTime end time, or null for now
         */
        public void endRun(String runId, RunStatus status, Instant endTime) {
            Tracker.this.endRun(runId, status, endTime);
        }

        /**
         * @param runId   the run
         * @param path    run-relative path ({@code model/manifest.json}); no {@code ..}, no absolute path
         * @param content read to the end; not closed
         * @return what was stored
         */
        public ArtifactInfo logArtifact(String runId, String path, InputStream content) {
            return Tracker.this.logArtifact(runId, path, content);
        }
    }

    /**
     * Configures a {@link Tracker}. Single-use; each setter checks its value at once.
     * {@snippet :
     * Tracker t = Tracker.builder()
     *         .store(new InMemoryTrackingStore())
     *         .bufferCapacity(65_536)                    // points waiting for the writer
     *         .overflow(OverflowPolicy.BLOCK)            // when the buffer is full
     *         .flushInterval(Duration.ofSeconds(1))      // write at least this often
     *         .systemMetrics(Duration.ofSeconds(10))     // sample CPU, heap, GC into every run
     *         .build();
     * }
     */
    public static final class Builder {
        private TrackingStore store;
        private Clock clock = Clock.systemUTC();
        private int bufferCapacity = 65_536;
        private OverflowPolicy overflow = OverflowPolicy.BLOCK;
        private Duration flushInterval = Duration.ofSeconds(1);
        private Duration systemMetricsInterval;
        private ThreadFactory threadFactory = r -> {
            Thread t = new Thread(r, "mlops-tracking-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };

        private Builder() {
        }

        /**
         * @param s the store; {@link Tracker#close()} closes it
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

        /**
         * @param points how many metric points may wait for the writer (default 65,536; about 80 bytes each)
         * @return this builder
         */
        public Builder bufferCapacity(int points) {
            if (points < 1) {
                throw new IllegalArgumentException("bufferCapacity must be >= 1 but was " + points);
            }
            this.bufferCapacity = points;
            return this;
        }

        /**
         * @param policy what logging does when the buffer is full (default {@link OverflowPolicy#BLOCK})
         * @return this builder
         */
        public Builder overflow(OverflowPolicy policy) {
            this.overflow = Objects.requireNonNull(policy, "overflow");
            return this;
        }

        /**
         * @param interval the longest a logged point waits before the writer writes it (default 1 s)
         * @return this builder
         */
        public Builder flushInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("flushInterval must be positive but was " + interval);
            }
            this.flushInterval = interval;
            return this;
        }

        /**
         * Samples process CPU, heap, GC time and threads into every run this tracker starts, as
         * {@code system/...} metrics (off by default).
         *
         * @param interval sampling interval, at least 100 ms
         * @return this builder
         */
        public Builder systemMetrics(Duration interval) {
            if (interval.toMillis() < 100) {
                throw new IllegalArgumentException("systemMetrics interval must be >= 100 ms but was " + interval);
            }
            this.systemMetricsInterval = interval;
            return this;
        }

        /**
         * @param threads makes the writer thread and the system-metrics thread (default: daemon threads)
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threads) {
            this.threadFactory = Objects.requireNonNull(threads, "threadFactory");
            return this;
        }

        /** @return the tracker, with its writer thread started */
        public Tracker build() {
            if (store == null) {
                throw new IllegalStateException("a tracker needs a store: call store(...) or use Tracker.inMemory()");
            }
            return new Tracker(this);
        }
    }

    /** Cancels sampling for one run. */
    static void cancel(ScheduledFuture<?> sampling) {
        if (sampling != null) {
            sampling.cancel(false);
        }
    }

    /** @return the values of one system-metrics sample */
    static Map<String, Double> systemSample() {
        return new LinkedHashMap<>(SystemMetrics.sample());
    }
}
