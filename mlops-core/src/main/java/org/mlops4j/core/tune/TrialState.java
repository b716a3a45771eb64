package org.mlops4j.core.tune;

/**
 * Where a trial is.
 * {@snippet :
 * studyResult.trials().stream().filter(t -> t.state() == TrialState.PRUNED).count();
 * }
 */
public enum TrialState {
    /** Being evaluated (by this or another worker). */
    RUNNING,
    /** Evaluated to the end: its value is the objective. */
    COMPLETE,
    /** Stopped early by the pruner: its value is the last intermediate value. */
    PRUNED,
    /** Its trainer or evaluation failed; the error is recorded and the study went on. */
    FAILED
}
