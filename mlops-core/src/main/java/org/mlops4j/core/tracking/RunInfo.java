package org.mlops4j.core.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Identity and lifecycle of a run.
 * {@snippet :
 * RunInfo info = tracker.run(runId).orElseThrow().info();
 * info.status(); info.duration(); info.parentRunId();
 * }
 *
 * @param runId        store-assigned id
 * @param experimentId the experiment the run belongs to
 * @param name         human-readable name
 * @param parentRunId  the parent run for nested runs (cross-validation folds), else null
 * @param status       lifecycle state
 * @param startTime    start time
 * @param endTime      end time, null while running
 */
public record RunInfo(String runId, String experimentId, String name, String parentRunId, RunStatus status,
                      Instant startTime, Instant endTime) {

    /** Validates. */
    public RunInfo {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startTime, "startTime");
    }

    /** @return how long the run took, when it has ended */
    public Optional<Duration> duration() {
        return endTime == null ? Optional.empty() : Optional.of(Duration.between(startTime, endTime));
    }

    /**
     * @param newStatus the terminal status
     * @param end       end time
     * @return this info, ended
     */
    public RunInfo ended(RunStatus newStatus, Instant end) {
        return new RunInfo(runId, experimentId, name, parentRunId, newStatus, startTime, end);
    }
}
