package org.mlops4j.core.tracking;

/**
 * What {@link ActiveRun#logMetric(String, double, long)} does when the tracker's buffer of unwritten metric
 * points is full, which happens only when the store is slower than the training loop for longer than the
 * buffer lasts (or is unreachable).
 * {@snippet :
 * Tracker t = Tracker.builder().store(store).bufferCapacity(100_000).overflow(OverflowPolicy.DISCARD).build();
 * }
 */
public enum OverflowPolicy {
    /** The calling thread waits until the writer has made room: nothing is lost, the loop slows down. The default. */
    BLOCK,
    /**
     * The point is dropped and counted; the loop never waits. The next {@link Tracker#flush()} or
     * {@link Tracker#close()} throws a {@link TrackingException} saying how many points were dropped.
     */
    DISCARD
}
