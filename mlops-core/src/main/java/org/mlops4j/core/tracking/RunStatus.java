package org.mlops4j.core.tracking;

/**
 * Lifecycle state of a run; the same states as MLflow's.
 * {@snippet :
 * tracker.run(runId).orElseThrow().info().status(); // FINISHED
 * }
 */
public enum RunStatus {
    /** Started and not ended. */
    RUNNING,
    /** Ended normally. */
    FINISHED,
    /** Ended by an error; the error is in the run's {@code mlops.error} tags. */
    FAILED,
    /** Ended on request before completing. */
    KILLED;

    /** @return whether the run has ended */
    public boolean isTerminal() {
        return this != RUNNING;
    }
}
