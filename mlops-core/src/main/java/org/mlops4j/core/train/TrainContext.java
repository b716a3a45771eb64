package org.mlops4j.core.train;

import org.mlops4j.core.tracking.ActiveRun;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What a trainer may use besides the data: a clock (for provenance times; training never depends on it),
 * an executor for work that can overlap, a place to report intermediate values (a loss per epoch, a
 * score per ensemble size), a {@link Validator} that scores candidate trainers leak-free, and the tracked
 * run, when there is one, for trainers that record more (a search records each trial as a child run).
 * The pipeline records the final model's reports as the run's metric history. Immutable and thread-safe.
 * {@snippet :
 * TrainContext context = TrainContext.defaults().withReporter((metric, value, step) -> log(metric, value, step));
 * context.report("train_loss", 0.42, 3);
 * }
 *
 * @param clock    stamps provenance times
 * @param executor runs work that can overlap
 * @param reporter  receives intermediate values
 * @param validator scores candidate trainers on the rows being trained on
 * @param run       the tracked run, or null when untracked
 * @param chosen    hears which trainer a choosing trainer (a search) picked, for the run and bundle records
 */
public record TrainContext(Clock clock, Executor executor, Reporter reporter, Validator validator, ActiveRun run,
                           Consumer<Trainer> chosen) {

    /** Receives intermediate values of a fit. Must be thread-safe and must not block. */
    @FunctionalInterface
    public interface Reporter {
        /**
         * @param metric a metric key ({@code train_loss})
         * @param value  its value
         * @param step   the step (epoch, ensemble size)
         */
        void report(String metric, double value, long step);
    }

    /** Checks for nulls (the run may be null). */
    public TrainContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(chosen, "chosen");
    }

    /**
     * @param clock    stamps provenance times
     * @param executor runs work that can overlap
     * @param reporter receives intermediate values
     */
    public TrainContext(Clock clock, Executor executor, Reporter reporter) {
        this(clock, executor, reporter, Validator.onReadyRows(), null, t -> { });
    }

    /** @return the tracked run, when there is one */
    public Optional<ActiveRun> trackedRun() {
        return Optional.ofNullable(run);
    }

    /** @return the system UTC clock, the calling thread, and no reporter */
    public static TrainContext defaults() {
        return new TrainContext(Clock.systemUTC(), Runnable::run, (metric, value, step) -> { });
    }

    /**
     * @param metric a metric key
     * @param value  its value
     * @param step   the step
     */
    public void report(String metric, double value, long step) {
        reporter.report(metric, value, step);
    }

    /**
     * @param r where intermediate values go
     * @return this context with that reporter
     */
    public TrainContext withReporter(Reporter r) {
        return new TrainContext(clock, executor, r, validator, run, chosen);
    }

    /**
     * @param v the validator candidates are scored with
     * @return this context with that validator
     */
    public TrainContext withValidator(Validator v) {
        return new TrainContext(clock, executor, reporter, v, run, chosen);
    }

    /**
     * @param r the tracked run, or null
     * @return this context with that run
     */
    public TrainContext withRun(ActiveRun r) {
        return new TrainContext(clock, executor, reporter, validator, r, chosen);
    }

    /**
     * @param listener hears which trainer a choosing trainer picked
     * @return this context with that listener
     */
    public TrainContext withChosen(Consumer<Trainer> listener) {
        return new TrainContext(clock, executor, reporter, validator, run, listener);
    }

    /**
     * Says which trainer a choosing trainer (a search) picked, so the run and the bundle record its exact
     * hyperparameters.
     *
     * @param trainer the trainer whose model is returned
     */
    public void chose(Trainer trainer) {
        chosen.accept(trainer);
    }
}
