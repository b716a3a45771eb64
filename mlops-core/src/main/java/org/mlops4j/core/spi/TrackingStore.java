package org.mlops4j.core.spi;

import org.mlops4j.core.ArtifactInfo;
import org.mlops4j.core.Experiment;
import org.mlops4j.core.Metric;
import org.mlops4j.core.Run;
import org.mlops4j.core.RunBatch;
import org.mlops4j.core.RunInfo;
import org.mlops4j.core.RunStatus;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backend contract behind {@link org.mlops4j.core.Tracker}: write what it is given, read what it is
 * asked. Names, limits, param immutability, run state checks and artifact path normalization are done by
 * {@code Tracker} before a store is called, so a store cannot get them wrong; a store only has to be
 * atomic per call and thread-safe.
 *
 * <p>Store-assigned ids: experiments and runs get their id from the store (as in MLflow, whose server
 * assigns them). Failures are reported as {@link org.mlops4j.core.TrackingException} with the cause.
 * {@snippet :
 * Tracker tracker = Tracker.builder().store(new InMemoryTrackingStore()).build();
 * }
 */
public interface TrackingStore extends AutoCloseable {

    /**
     * @param name      unique experiment name (validated)
     * @param tags      tags
     * @param createdAt creation time
     * @return the created experiment
     * @throws org.mlops4j.core.TrackingException when the name exists
     */
    Experiment createExperiment(String name, Map<String, String> tags, Instant createdAt);

    /**
     * @param name experiment name
     * @return the experiment of that name
     */
    Optional<Experiment> experimentByName(String name);

    /**
     * @param id experiment id
     * @return the experiment
     */
    Optional<Experiment> experimentById(String id);

    /** @return every experiment, oldest first */
    List<Experiment> experiments();

    /**
     * @param experimentId the experiment
     * @param name         run name
     * @param parentRunId  parent run, or null
     * @param startTime    start time
     * @param tags         initial tags
     * @return the created run, status {@link RunStatus#RUNNING}
     */
    RunInfo createRun(String experimentId, String name, String parentRunId, Instant startTime, Map<String, String> tags);

    /**
     * Writes params, metrics and tags of one run atomically: all or nothing.
     *
     * @param runId the run
     * @param batch validated content
     */
    void logBatch(String runId, RunBatch batch);

    /**
     * @param runId   the run
     * @param status  new status (terminal)
     * @param endTime end time
     */
    void endRun(String runId, RunStatus status, Instant endTime);

    /**
     * @param runId the run
     * @return the run's snapshot
     */
    Optional<Run> run(String runId);

    /**
     * @param experimentId the experiment
     * @return its runs, newest first
     */
    List<Run> runs(String experimentId);

    /**
     * @param runId the run
     * @param key   metric key
     * @return every observation in logging order
     */
    List<Metric> metricHistory(String runId, String key);

    /**
     * Stores a file with a run, replacing any file at that path.
     *
     * @param runId   the run
     * @param path    normalized run-relative path
     * @param content the bytes, read to the end (not closed)
     * @return what was stored
     */
    ArtifactInfo putArtifact(String runId, String path, InputStream content);

    /**
     * @param runId the run
     * @param path  normalized run-relative path
     * @return the content; the caller closes it
     * @throws org.mlops4j.core.TrackingException when there is no such artifact
     */
    InputStream openArtifact(String runId, String path);

    /** Releases resources; further calls fail. Does nothing by default. */
    @Override
    default void close() {
    }
}
