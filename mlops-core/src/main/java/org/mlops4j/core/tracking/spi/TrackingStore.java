package org.mlops4j.core.tracking.spi;

import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunBatch;
import org.mlops4j.core.tracking.RunInfo;
import org.mlops4j.core.tracking.RunPage;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.memory.InMemoryTrackingStore;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backend contract behind {@link org.mlops4j.core.tracking.Tracker}: write what it is given, read what it is
 * asked. As in Micrometer, the rules live in the base: names, limits, param immutability within a run,
 * run state checks, artifact path normalization, batching, ordering, buffering and error reporting are done
 * by {@code Tracker} before a store is called, so a store cannot get them wrong. A store only has to be
 * thread-safe, make each {@link RunWrite} atomic, skip a write id it has committed before, and report
 * failures with the right exception:
 * <ul>
 *   <li>{@link org.mlops4j.core.tracking.TrackingNotFoundException}: no such experiment, run or artifact;</li>
 *   <li>{@link org.mlops4j.core.tracking.TrackingConflictException}: a param logged before with another value, an
 *       experiment name taken (checked by the store too, because other processes write as well);</li>
 *   <li>{@link org.mlops4j.core.StoreUnavailableException}: the store could not be reached or was busy,
 *       nothing was written, retrying the same write is safe;</li>
 *   <li>{@link org.mlops4j.core.tracking.TrackingException}: anything else, with the cause.</li>
 * </ul>
 * Store-assigned ids: experiments and runs get their id from the store (as in MLflow, whose server assigns
 * them). Every store passes the contract kit in {@code mlops-tracking}'s tests.
 * {@snippet :
 * Tracker tracker = Tracker.builder().store(new InMemoryTrackingStore()).build();
 * }
 */
public interface TrackingStore extends AutoCloseable {

    /**
     * @param name      unique experiment name (validated)
     * @param tags      tags (validated)
     * @param createdAt creation time
     * @return the created experiment
     * @throws org.mlops4j.core.tracking.TrackingConflictException when the name exists
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
     * @param key          tag key (validated)
     * @param value        tag value (validated)
     * @throws org.mlops4j.core.tracking.TrackingNotFoundException when there is no such experiment
     */
    void setExperimentTag(String experimentId, String key, String value);

    /**
     * @param experimentId the experiment
     * @param name         run name
     * @param parentRunId  parent run, or null
     * @param startTime    start time
     * @param tags         initial tags (validated)
     * @return the created run, status {@link RunStatus#RUNNING}
     * @throws org.mlops4j.core.tracking.TrackingNotFoundException when the experiment or the parent run does not exist
     */
    RunInfo createRun(String experimentId, String name, String parentRunId, Instant startTime, Map<String, String> tags);

    /**
     * Writes params, metrics and tags, in order. Each write is atomic (all or nothing); a store may commit
     * the whole list in one transaction, and then a failure leaves none of them written. A write whose id
     * was committed before is skipped. Metric observations of a run are kept in the order written.
     *
     * @param writes validated writes
     * @throws org.mlops4j.core.tracking.TrackingConflictException when a param would change its value
     * @throws org.mlops4j.core.tracking.TrackingNotFoundException when a run does not exist
     */
    void write(List<RunWrite> writes);

    /**
     * One write under a fresh id; for callers outside {@code Tracker}.
     *
     * @param runId the run
     * @param batch validated content
     */
    default void logBatch(String runId, RunBatch batch) {
        write(List.of(new RunWrite(RunWrite.newId(), runId, batch)));
    }

    /**
     * @param runId   the run
     * @param status  new status (terminal)
     * @param endTime end time
     * @throws org.mlops4j.core.tracking.TrackingNotFoundException when there is no such run
     */
    void endRun(String runId, RunStatus status, Instant endTime);

    /**
     * @param runId the run
     * @return the run's snapshot
     */
    Optional<Run> run(String runId);

    /**
     * @param query experiments, filter ({@link RunQuery#parsedFilter()} gives the semantics), order and page
     * @return the page
     */
    RunPage searchRuns(RunQuery query);

    /**
     * @param experimentId the experiment
     * @return its runs, newest first
     */
    default List<Run> runs(String experimentId) {
        List<Run> out = new ArrayList<>();
        RunQuery q = RunQuery.experiments(experimentId).maxResults(RunQuery.MAX_RESULTS);
        while (true) {
            RunPage page = searchRuns(q);
            out.addAll(page.runs());
            if (page.nextPageToken().isEmpty()) {
                return out;
            }
            q = q.pageToken(page.nextPageToken().get());
        }
    }

    /**
     * @param runId the run
     * @param key   metric key
     * @return every observation in logging order (empty when the run has no such metric)
     * @throws org.mlops4j.core.tracking.TrackingNotFoundException when there is no such run
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
     * @throws org.mlops4j.core.tracking.TrackingNotFoundException when there is no such artifact
     */
    InputStream openArtifact(String runId, String path);

    /** Releases resources; further calls fail. Does nothing by default. */
    @Override
    default void close() {
    }
}
