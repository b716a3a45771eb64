package org.mlops4j.core.tune;

import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.RunBatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where a study's trials are kept while it runs: in this JVM only ({@link Local}), or in a tracking store
 * shared with other JVMs ({@link StudyStorage}'s session). Calls come from the study's workers under one lock.
 */
interface Session extends AutoCloseable {

    /** @return every trial known, running ones included, by number */
    List<Trial> trials();

    /**
     * @param budget finished trials the study wants
     * @return the next trial number this worker may run, or empty when the budget is taken
     */
    OptionalInt claim(int budget);

    /**
     * @return every trial known right after the last successful {@link #claim}, for the sampler: the same as
     *         {@link #trials()}, but a shared session returns what it read to make the claim instead of querying
     *         the store a second time
     */
    default List<Trial> trialsAtClaim() {
        return trials();
    }

    /**
     * @return whether trials of other workers (other JVMs) are still running, so that the budget may yet free up
     *         (a trial abandoned by a killed JVM does not count) or the result may yet improve
     */
    default boolean othersRunning() {
        return false;
    }

    /**
     * Waits a little before {@link #othersRunning()} is asked again.
     *
     * @return false when interrupted
     */
    default boolean pause() {
        return false;
    }

    /** Gives back a claimed number that will not be run (the sampler had nothing left). */
    void release(int number);

    /**
     * @param number a claimed number
     * @param params its configuration
     * @return where the trial records what it does
     */
    Recorder start(int number, Map<String, Object> params);

    /**
     * @param recorder the trial's recorder
     * @param result   its outcome
     */
    void finish(Recorder recorder, Trial result);

    @Override
    void close();

    /** What a running trial records: its intermediate values. */
    interface Recorder {
        /**
         * @param step  1-based step
         * @param value the intermediate value
         */
        void intermediate(int step, double value);
    }

    /** Records a trial on a child run: its parameters, intermediate values, objective and state. */
    static void record(ActiveRun run, Trial t) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlops.trial.state", t.state().name());
        if (t.error() != null) {
            tags.put("mlops.trial.error", t.error().length() > 7000 ? t.error().substring(0, 7000) : t.error());
        }
        List<Metric> metrics = new ArrayList<>();
        if (t.value() != null && Double.isFinite(t.value())) {
            metrics.add(new Metric("objective", t.value(), t.intermediate().size(), Instant.now()));
        }
        run.logBatch(new RunBatch(Map.of(), metrics, tags));
    }

    /** A study held in this JVM; trials become child runs of the tracked run, when there is one. */
    final class Local implements Session {
        private final ActiveRun parent;
        private final Map<Integer, Trial> trials = new LinkedHashMap<>();
        private int next = 1;
        private int released;

        Local(ActiveRun parent) {
            this.parent = parent;
        }

        @Override
        public List<Trial> trials() {
            return List.copyOf(trials.values());
        }

        @Override
        public OptionalInt claim(int budget) {
            if (next - 1 - released >= budget) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(next++);
        }

        @Override
        public void release(int number) {
            released++;
        }

        @Override
        public Recorder start(int number, Map<String, Object> params) {
            trials.put(number, new Trial(number, params, TrialState.RUNNING, null, List.of(), null));
            if (parent == null) {
                return (step, value) -> { };
            }
            ActiveRun child = parent.startChild("trial-" + number);
            child.logParams(Params.strings(params));
            child.setTags(Map.of("mlops.trial.number", Integer.toString(number)));
            return new RunRecorder(child);
        }

        @Override
        public void finish(Recorder recorder, Trial result) {
            trials.put(result.number(), result);
            if (recorder instanceof RunRecorder r) {
                r.end(result);
            }
        }

        @Override
        public void close() {
        }
    }

    /** A recorder on a child run. */
    class RunRecorder implements Recorder {
        final ActiveRun run;

        RunRecorder(ActiveRun run) {
            this.run = run;
        }

        @Override
        public void intermediate(int step, double value) {
            if (Double.isFinite(value)) {
                run.logMetric("objective_step", value, step);
            }
        }

        void end(Trial t) {
            record(run, t);
            if (t.state() == TrialState.FAILED) {
                run.fail(new IllegalStateException(t.error()));
            } else {
                run.finish();
            }
        }
    }
}
