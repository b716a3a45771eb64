package org.mlops4j.tracking.internal;

import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The time budget of the work on the current thread, so that work started by a server request stops when
 * the request's budget ends: the server sets it around each request ({@link #within}), and the stores
 * read it where the database can be told: SQLite's progress handler aborts a statement once
 * {@link #cancelled()}, PostgreSQL's transactions get a {@code statement_timeout} of
 * {@link #remainingMillis()}. Outside a budget (the embedded API) nothing changes. Thread-confined.
 * {@snippet :
 * String answer = Deadline.within(30_000, () -> tracker.searchRuns(query).toString());
 * }
 */
public final class Deadline {
    private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> SHIELDED = new ThreadLocal<>();

    private Deadline() {
    }

    /**
     * Runs work with a budget on this thread.
     *
     * @param millis the budget
     * @param work   the work
     * @param <T>    its result
     * @return its result
     */
    public static <T> T within(long millis, Supplier<T> work) {
        long[] before = CURRENT.get();
        CURRENT.set(new long[] {System.nanoTime() + millis * 1_000_000L});
        try {
            return work.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /** @return the milliseconds left of this thread's budget (at least 1), or empty outside a budget */
    public static OptionalLong remainingMillis() {
        long[] d = CURRENT.get();
        if (d == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (d[0] - System.nanoTime()) / 1_000_000L));
    }

    /** @return whether this thread's budget is spent */
    public static boolean expired() {
        long[] d = CURRENT.get();
        return d != null && System.nanoTime() - d[0] >= 0;
    }

    /**
     * @return whether work on this thread should stop now: it runs within a budget, that budget is spent or
     *         the thread was interrupted, and it is not inside {@link #shielded} work (a rollback). Outside a
     *         budget an interrupt cancels nothing, as before.
     */
    public static boolean cancelled() {
        return SHIELDED.get() == null && CURRENT.get() != null && (expired() || Thread.currentThread().isInterrupted());
    }

    /**
     * Runs work that must not be cancelled (a rollback that leaves a connection clean), keeping a pending
     * interrupt for after it.
     *
     * @param work the work
     * @param <T>  its result
     * @param <E>  what it throws
     * @return its result
     * @throws E from the work
     */
    public static <T, E extends Exception> T shielded(Shielded<T, E> work) throws E {
        boolean interrupted = Thread.interrupted();
        Boolean before = SHIELDED.get();
        SHIELDED.set(Boolean.TRUE);
        try {
            return work.run();
        } finally {
            if (before == null) {
                SHIELDED.remove();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Work for {@link #shielded}.
     *
     * @param <T> its result
     * @param <E> what it throws
     */
    @FunctionalInterface
    public interface Shielded<T, E extends Exception> {
        /**
         * @return the result
         * @throws E on failure
         */
        T run() throws E;
    }
}
