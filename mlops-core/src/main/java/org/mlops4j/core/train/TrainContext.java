package org.mlops4j.core.train;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a trainer may use besides the data: a clock (for provenance times; training never depends on it),
 * an executor for work that can overlap, and a place to report intermediate values (a loss per epoch, a
 * score per ensemble size). The pipeline records the final model's reports as the run's metric history;
 * a search can prune on them. Immutable and thread-safe.
 * {@snippet :
 * TrainContext context = TrainContext.defaults().withReporter((metric, value, step) -> log(metric, value, step));
 * context.report("train_loss", 0.42, 3);
 * }
 *
 * @param clock    stamps provenance times
 * @param executor runs work that can overlap
 * @param reporter receives intermediate values
 */
public record TrainContext(Clock clock, Executor executor, Reporter reporter) {

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

    /** Checks for nulls. */
    public TrainContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(reporter, "reporter");
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
        return new TrainContext(clock, executor, r);
    }
}
