package org.mlops4j.core.pipeline;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a pipeline runs, which never changes what it produces: the clock that stamps run, data and bundle
 * times; the executor for work that can overlap (cross-validation folds, serializing the model); the
 * directory where the host project's git commit is looked up.
 * {@snippet :
 * RunOptions sequential = RunOptions.defaults().executor(Runnable::run);
 * }
 *
 * @param clock            stamps times (tests inject a fixed one)
 * @param executor         runs overlapping work
 * @param workingDirectory where to look for the host project's git commit
 */
public record RunOptions(Clock clock, Executor executor, Path workingDirectory) {

    /** Default executor: one virtual thread per task, so concurrency is bounded by the carrier pool (one per core). */
    private static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("mlops4j-pipeline").start(task);

    /** Checks for nulls. */
    public RunOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
    }

    /** @return the system UTC clock, a virtual thread per task, and the process's working directory */
    public static RunOptions defaults() {
        return new RunOptions(Clock.systemUTC(), VIRTUAL_THREADS, Path.of(""));
    }

    /**
     * @param c the clock
     * @return these options with that clock
     */
    public RunOptions clock(Clock c) {
        return new RunOptions(c, executor, workingDirectory);
    }

    /**
     * @param e the executor ({@code Runnable::run} runs everything on the calling thread)
     * @return these options with that executor
     */
    public RunOptions executor(Executor e) {
        return new RunOptions(clock, e, workingDirectory);
    }

    /**
     * @param dir where to look for the host project's git commit
     * @return these options with that directory
     */
    public RunOptions workingDirectory(Path dir) {
        return new RunOptions(clock, executor, dir);
    }
}
