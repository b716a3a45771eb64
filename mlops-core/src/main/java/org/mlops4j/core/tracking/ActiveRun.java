package org.mlops4j.core.tracking;

import org.mlops4j.core.internal.Names;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A run being recorded. Thread-safe: several threads may log into one run. {@link #close()} finishes the
 * run when it is still running, so try-with-resources marks it {@link RunStatus#FINISHED}; call
 * {@link #fail(Throwable)} in a catch block to mark it {@link RunStatus#FAILED} with the error recorded
 * in the tags {@code mlops.error}, {@code mlops.error.type} and {@code mlops.error.stacktrace}.
 *
 * <p>{@link #logMetric(String, double, long)} and {@link #logMetrics(Map)} only buffer (no I/O; see
 * {@link Tracker}); params, tags, {@link #logBatch(RunBatch)}, artifacts and the run's end are written
 * before the call returns. Ending the run writes its buffered points first.
 * {@snippet :
 * try (ActiveRun run = tracker.startRun("digits")) {
 *     run.logParams(Map.of("epochs", "20", "lr", "0.01"));
 *     try (ActiveRun fold = run.startChild("fold-1")) {
 *         fold.logMetric("accuracy", 0.97);
 *     }
 *     run.logArtifact("notes/README.txt", "trained on digits".getBytes(StandardCharsets.UTF_8));
 * }
 * }
 */
public final class ActiveRun implements AutoCloseable {
    private final Tracker tracker;
    private final RunInfo info;
    private final Map<String, String> params = new ConcurrentHashMap<>();
    private final AtomicReference<RunStatus> status;
    private final AtomicLong systemSamples = new AtomicLong();
    private volatile ScheduledFuture<?> sampling;

    ActiveRun(Tracker tracker, RunInfo info, Map<String, String> loggedParams, RunStatus current) {
        this.tracker = tracker;
        this.info = info;
        this.params.putAll(loggedParams);
        this.status = new AtomicReference<>(current);
    }

    /** @return the run id */
    public String id() {
        return info.runId();
    }

    /** @return the run's identity as created */
    public RunInfo info() {
        return info;
    }

    /** @return the current status */
    public RunStatus status() {
        return status.get();
    }

    private void requireRunning() {
        RunStatus s = status.get();
        if (s != RunStatus.RUNNING) {
            throw new IllegalStateException("run " + id() + " is " + s + "; an ended run accepts nothing more");
        }
    }

    /**
     * @param key   param key
     * @param value param value (at most 6000 characters)
     * @return this run
     * @throws TrackingConflictException when the param was logged before with another value
     */
    public ActiveRun logParam(String key, String value) {
        return logParams(Map.of(key, value));
    }

    /**
     * @param values params to log together
     * @return this run
     */
    public ActiveRun logParams(Map<String, String> values) {
        return logBatch(new RunBatch(values, List.of(), Map.of()));
    }

    /**
     * Buffers a metric at step 0 (no I/O).
     *
     * @param key   metric key
     * @param value value
     * @return this run
     */
    public ActiveRun logMetric(String key, double value) {
        return logMetric(key, value, 0);
    }

    /**
     * Buffers a metric observation (no I/O): the writer thread stores it; {@link Tracker#flush()} waits for it.
     *
     * @param key   metric key
     * @param value value (NaN and infinities are kept)
     * @param step  step (epoch, fold, iteration)
     * @return this run
     */
    public ActiveRun logMetric(String key, double value, long step) {
        requireRunning();
        tracker.point(id(), key, value, step);
        return this;
    }

    /**
     * Buffers several metrics at step 0 (no I/O).
     *
     * @param values metrics to log together
     * @return this run
     */
    public ActiveRun logMetrics(Map<String, Double> values) {
        requireRunning();
        values.keySet().forEach(tracker::checkMetricKey);
        values.forEach((k, v) -> tracker.point(id(), k, Objects.requireNonNull(v, "metric value"), 0));
        return this;
    }

    /**
     * @param key   tag key
     * @param value tag value (at most 8000 characters)
     * @return this run
     */
    public ActiveRun setTag(String key, String value) {
        return setTags(Map.of(key, value));
    }

    /**
     * @param values tags to set together
     * @return this run
     */
    public ActiveRun setTags(Map<String, String> values) {
        return logBatch(new RunBatch(Map.of(), List.of(), values));
    }

    /**
     * Writes params, metrics and tags together, all or nothing, after the run's buffered points, and
     * returns when they are stored.
     *
     * @param batch what to write
     * @return this run
     * @throws IllegalArgumentException  for an invalid key or value (nothing is written)
     * @throws TrackingConflictException when a param would change its value (nothing is written)
     */
    public ActiveRun logBatch(RunBatch batch) {
        requireRunning();
        RunBatch checked = tracker.validate(batch);
        checked.params().forEach((k, v) -> {
            String before = params.get(k);
            if (before != null && !before.equals(v)) {
                throw new TrackingConflictException("param '" + k + "' of run " + id() + " is already '" + before
                        + "'; params cannot change (tried '" + v + "')");
            }
        });
        if (checked.isEmpty()) {
            return this;
        }
        tracker.writeNow(id(), checked);
        params.putAll(checked.params());
        return this;
    }

    /**
     * @param path    run-relative path ({@code model/manifest.json}); no {@code ..}, no absolute path
     * @param content the bytes
     * @return what was stored
     */
    public ArtifactInfo logArtifact(String path, byte[] content) {
        return logArtifact(path, new ByteArrayInputStream(content));
    }

    /**
     * @param path run-relative path
     * @param text UTF-8 text
     * @return what was stored
     */
    public ArtifactInfo logText(String path, String text) {
        return logArtifact(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param path run-relative path
     * @param file a local file to copy
     * @return what was stored
     */
    public ArtifactInfo logArtifact(String path, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return logArtifact(path, in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /**
     * @param path    run-relative path
     * @param content read to the end; not closed
     * @return what was stored
     */
    public ArtifactInfo logArtifact(String path, InputStream content) {
        requireRunning();
        return tracker.logArtifact(id(), path, content);
    }

    /**
     * @param name child run name
     * @return a nested run in the same experiment
     */
    public ActiveRun startChild(String name) {
        requireRunning();
        return tracker.start(info.experimentId(), name, id());
    }

    /** Marks the run {@link RunStatus#FINISHED}. */
    public void finish() {
        end(RunStatus.FINISHED);
    }

    /** Marks the run {@link RunStatus#KILLED}. */
    public void kill() {
        end(RunStatus.KILLED);
    }

    /**
     * Records the error in tags and marks the run {@link RunStatus#FAILED}.
     *
     * @param error what went wrong
     */
    public void fail(Throwable error) {
        if (status.get() != RunStatus.RUNNING) {
            return;
        }
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        String message = String.valueOf(error.getMessage());
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlops.error", truncate(message, Names.MAX_TAG_VALUE));
        tags.put("mlops.error.type", error.getClass().getName());
        tags.put("mlops.error.stacktrace", truncate(trace.toString(), Names.MAX_TAG_VALUE));
        tracker.writeNow(id(), new RunBatch(Map.of(), List.of(), tags));
        end(RunStatus.FAILED);
    }

    /**
     * Logs one sample of this JVM's resource use now: {@code system/process_cpu_percentage},
     * {@code system/heap_used_megabytes}, {@code system/heap_committed_megabytes},
     * {@code system/gc_time_milliseconds} and {@code system/threads}, at the next sample step. A tracker
     * built with {@link Tracker.Builder#systemMetrics(java.time.Duration)} calls it at that interval.
     *
     * @return this run
     */
    public ActiveRun sampleSystemMetrics() {
        requireRunning();
        long step = systemSamples.getAndIncrement();
        Tracker.systemSample().forEach((k, v) -> tracker.point(id(), k, v, step));
        return this;
    }

    void sampleSystemMetricsQuietly() {
        if (status.get() == RunStatus.RUNNING) {
            try {
                sampleSystemMetrics();
            } catch (RuntimeException e) {
                Tracker.cancel(sampling); // the tracker closed or the run ended meanwhile
            }
        }
    }

    void sampling(ScheduledFuture<?> future) {
        this.sampling = future;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private void end(RunStatus newStatus) {
        if (status.compareAndSet(RunStatus.RUNNING, newStatus)) {
            Tracker.cancel(sampling);
            tracker.endNow(id(), newStatus);
        }
    }

    /** Finishes the run if it is still running. */
    @Override
    public void close() {
        finish();
    }

    @Override
    public String toString() {
        return "ActiveRun[" + id() + ", " + info.name() + ", " + status.get() + "]";
    }
}
