package org.mlops4j.core.tracking;

import org.mlops4j.core.StoreException;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.tracking.spi.RunWrite;
import org.mlops4j.core.tracking.spi.TrackingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The background writer behind {@link Tracker}: the only thread that writes to the store. Metric points
 * are queued by the calling thread (no I/O, no lock: a permit and a lock-free queue) and written in
 * order, grouped per run into batches of at most {@link RunBatch#MAX_METRICS}, many batches per store call.
 * Synchronous writes (params, tags, run ends) and barriers (flush) go through the same queue, so the store
 * sees everything in the order it was logged.
 *
 * <p>Failures: a store that is unavailable leaves the points queued in order (the writer stalls, retries
 * with back-off and at every flush, under the same write ids so nothing is applied twice); a write the
 * store refuses is dropped and reported at the next flush or close. Internal: not an API.
 */
final class BatchingWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingWriter.class);
    /** Points drained per store call at most. */
    private static final int MAX_DRAIN = 16 * RunBatch.MAX_METRICS;
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);

    private sealed interface Op permits Point, Sync, Barrier {
    }

    private record Point(String runId, String key, double value, long step, long millis) implements Op {
    }

    /** A write or run end whose caller waits for it. */
    private record Sync(String runId, RunBatch batch, RunStatus endStatus, Instant endTime,
                        CompletableFuture<Void> done) implements Op {
    }

    private record Barrier(CompletableFuture<Void> done) implements Op {
    }

    private final TrackingStore store;
    private final int capacity;
    private final OverflowPolicy policy;
    private final long intervalNanos;
    private final int wakeThreshold;
    private final ConcurrentLinkedQueue<Op> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore space;
    private final AtomicInteger urgent = new AtomicInteger();
    private final AtomicLong discarded = new AtomicLong();
    private final List<TrackingException> failures = new ArrayList<>();
    private final Thread thread;
    private volatile boolean idle;
    private volatile boolean closed;
    private volatile boolean warnedFull;

    // Writer-thread state.
    private final List<RunWrite> retained = new ArrayList<>();
    private int retainedPoints;
    private StoreUnavailableException stall;
    private long nextRetryNanos;
    private long backoffNanos;
    private long lastWriteNanos;

    BatchingWriter(TrackingStore store, int capacity, OverflowPolicy policy, long intervalNanos, ThreadFactory threads) {
        this.store = store;
        this.capacity = capacity;
        this.policy = policy;
        this.intervalNanos = intervalNanos;
        this.wakeThreshold = Math.min(RunBatch.MAX_METRICS, Math.max(1, capacity / 4));
        this.space = new Semaphore(capacity);
        this.thread = threads.newThread(this::loop);
        this.lastWriteNanos = System.nanoTime() - intervalNanos;
        thread.start();
    }

    // ---- calling threads ----

    /** Queues one point: no I/O; waits only when the buffer is full and the policy is BLOCK. */
    void point(String runId, String key, double value, long step, long millis) {
        if (closed) {
            throw new IllegalStateException("the tracker is closed; it accepts no more metrics");
        }
        if (!space.tryAcquire()) {
            if (!waitForSpace()) {
                return;
            }
        }
        queue.offer(new Point(runId, key, value, step, millis));
        if (idle && capacity - space.availablePermits() >= wakeThreshold) {
            LockSupport.unpark(thread);
        }
    }

    private boolean waitForSpace() {
        if (!warnedFull) {
            warnedFull = true;
            LOG.warn("the tracking buffer of {} points is full: the store is slower than the logging; policy {}", capacity, policy);
        }
        if (policy == OverflowPolicy.DISCARD) {
            discarded.incrementAndGet();
            return false;
        }
        LockSupport.unpark(thread);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (space.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (closed) {
                    throw new IllegalStateException("the tracker was closed while waiting for buffer space");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes a batch in order with everything queued before it, and waits for it. */
    void writeNow(String runId, RunBatch batch) {
        await(enqueueUrgent(new Sync(runId, batch, null, null, new CompletableFuture<>())).done());
    }

    /** Ends a run after everything queued before, and waits for it. */
    void endNow(String runId, RunStatus status, Instant endTime) {
        await(enqueueUrgent(new Sync(runId, null, status, endTime, new CompletableFuture<>())).done());
    }

    /**
     * Waits until everything queued before is written; then reports failures since the last report.
     *
     * @param report whether to throw collected failures and drops (flush, close) or not (reads)
     */
    void flush(boolean report) {
        if (closed && !thread.isAlive()) {
            if (report) {
                report();
            }
            return;
        }
        CompletableFuture<Void> done = enqueueUrgent(new Barrier(new CompletableFuture<>())).done();
        if (!report) {
            done.exceptionally(e -> null).join();
            return;
        }
        RuntimeException failure = null;
        try {
            await(done);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            report();
        } catch (StoreException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e); // both are told: the unwritten points and what was refused or dropped
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private <T extends Op> T enqueueUrgent(T op) {
        if (closed && !(op instanceof Barrier)) {
            throw new IllegalStateException("the tracker is closed; it accepts no more writes");
        }
        urgent.incrementAndGet();
        queue.offer(op);
        LockSupport.unpark(thread);
        return op;
    }

    private static void await(CompletableFuture<Void> done) {
        try {
            done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new TrackingException("tracking write failed: " + e.getCause(), e.getCause());
        }
    }

    private void report() {
        List<TrackingException> errors;
        synchronized (failures) {
            errors = List.copyOf(failures);
            failures.clear();
        }
        long dropped = discarded.getAndSet(0);
        if (errors.isEmpty() && dropped == 0) {
            return;
        }
        StringBuilder msg = new StringBuilder();
        if (dropped > 0) {
            msg.append(dropped).append(" metric points were discarded because the buffer of ").append(capacity)
                    .append(" points was full (OverflowPolicy.DISCARD)");
        }
        if (!errors.isEmpty()) {
            if (!msg.isEmpty()) {
                msg.append("; ");
            }
            msg.append(errors.get(0).getMessage());
            if (errors.size() > 1) {
                msg.append(" (and ").append(errors.size() - 1).append(" more tracking write failures, attached as suppressed)");
            }
        }
        TrackingException e = new TrackingException(msg.toString(), errors.isEmpty() ? null : errors.get(0));
        errors.stream().skip(1).forEach(e::addSuppressed);
        throw e;
    }

    /** Stops accepting, writes what is queued, stops the thread. */
    void close() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> done = enqueueUrgent(new Barrier(new CompletableFuture<>())).done();
        closed = true;
        LockSupport.unpark(thread);
        done.exceptionally(e -> null).join(); // a failure here is reported below as lost points
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        report();
    }

    /** @return points queued or kept and not yet written */
    int pending() {
        return capacity - space.availablePermits();
    }

    // ---- writer thread ----

    private void loop() {
        List<Op> ops = new ArrayList<>();
        while (true) {
            if (!due()) {
                idle = true;
                if (!due()) { // re-checked after publishing idle, so no wake-up is lost
                    LockSupport.parkNanos(this, parkNanos());
                }
                idle = false;
                continue;
            }
            Op op;
            int points = 0;
            while (points < MAX_DRAIN && (op = queue.poll()) != null) {
                ops.add(op);
                if (op instanceof Point) {
                    points++;
                }
            }
            try {
                process(ops);
            } catch (RuntimeException | Error e) {
                // process() handles store failures; this is a bug guard so waiting callers are never stuck.
                LOG.error("tracking writer failed unexpectedly", e);
                for (Op o : ops) {
                    if (o instanceof Sync s) {
                        s.done().completeExceptionally(e);
                    } else if (o instanceof Barrier b) {
                        b.done().completeExceptionally(e);
                    }
                }
            }
            ops.clear();
            if (closed && queue.isEmpty()) {
                if (!retained.isEmpty()) {
                    fail(new TrackingException(retainedPoints + " metric points could not be written before close and are lost: "
                            + stall.getMessage(), stall));
                    space.release(retainedPoints);
                    retained.clear();
                    retainedPoints = 0;
                }
                return;
            }
        }
    }

    private boolean due() {
        if (urgent.get() > 0 || closed) {
            return true;
        }
        long now = System.nanoTime();
        if (stall != null) {
            return now >= nextRetryNanos;
        }
        int queuedPoints = pending() - retainedPoints;
        return queuedPoints >= wakeThreshold || (queuedPoints > 0 && now - lastWriteNanos >= intervalNanos);
    }

    private long parkNanos() {
        long now = System.nanoTime();
        if (stall != null) {
            return Math.max(1, nextRetryNanos - now);
        }
        return pending() - retainedPoints > 0 ? Math.max(1, intervalNanos - (now - lastWriteNanos)) : intervalNanos;
    }

    private void process(List<Op> ops) {
        Map<String, List<Metric>> groups = new LinkedHashMap<>();
        int grouped = 0;
        for (Op op : ops) {
            if (op instanceof Point p) {
                List<Metric> g = groups.computeIfAbsent(p.runId(), k -> new ArrayList<>());
                g.add(new Metric(p.key(), p.value(), p.step(), Instant.ofEpochMilli(p.millis())));
                grouped++;
                if (g.size() == RunBatch.MAX_METRICS) {
                    retain(p.runId(), groups.remove(p.runId()));
                }
                continue;
            }
            urgent.decrementAndGet();
            flushGroups(groups);
            boolean clear = writeRetained(true);
            if (op instanceof Barrier b) {
                if (clear) {
                    b.done().complete(null);
                } else {
                    b.done().completeExceptionally(stalledError());
                }
            } else if (op instanceof Sync s) {
                if (!clear) {
                    s.done().completeExceptionally(stalledError());
                    continue;
                }
                try {
                    if (s.batch() != null) {
                        store.write(List.of(new RunWrite(RunWrite.newId(), s.runId(), s.batch())));
                    } else {
                        store.endRun(s.runId(), s.endStatus(), s.endTime());
                    }
                    s.done().complete(null);
                } catch (RuntimeException e) {
                    s.done().completeExceptionally(e);
                }
            }
        }
        if (grouped > 0 || !groups.isEmpty()) {
            flushGroups(groups);
        }
        writeRetained(false);
    }

    private void flushGroups(Map<String, List<Metric>> groups) {
        groups.forEach(this::retain);
        groups.clear();
    }

    private void retain(String runId, List<Metric> metrics) {
        if (metrics == null || metrics.isEmpty()) {
            return;
        }
        retained.add(new RunWrite(RunWrite.newId(), runId, new RunBatch(Map.of(), metrics, Map.of())));
        retainedPoints += metrics.size();
    }

    private StoreUnavailableException stalledError() {
        return new StoreUnavailableException(retainedPoints + " metric points are not written yet: " + stall.getMessage()
                + ". They are kept in order and written again at the next flush() or automatically", stall);
    }

    /**
     * Writes the kept points, unless stalled and not forced.
     *
     * @return whether nothing is kept any more
     */
    private boolean writeRetained(boolean force) {
        if (retained.isEmpty()) {
            return true;
        }
        if (stall != null && !force && System.nanoTime() < nextRetryNanos) {
            return false;
        }
        try {
            store.write(retained);
            written(retained.size());
        } catch (StoreUnavailableException e) {
            stalled(e);
            return false;
        } catch (RuntimeException e) {
            // Isolate the refused write(s): write one at a time; ids make the already-written ones no-ops.
            while (!retained.isEmpty()) {
                RunWrite w = retained.get(0);
                try {
                    store.write(List.of(w));
                } catch (StoreUnavailableException ue) {
                    stalled(ue);
                    return false;
                } catch (RuntimeException refused) {
                    fail(new TrackingException(w.points() + " metric points of run " + w.runId()
                            + " were refused by the store and dropped: " + refused.getMessage(), refused));
                }
                written(1);
            }
        }
        return true;
    }

    private void written(int writes) {
        int points = 0;
        for (int i = 0; i < writes; i++) {
            points += retained.get(i).points();
        }
        retained.subList(0, writes).clear();
        retainedPoints -= points;
        space.release(points);
        lastWriteNanos = System.nanoTime();
        if (stall != null && retained.isEmpty()) {
            LOG.info("tracking store reachable again; kept metric points written");
            stall = null;
            backoffNanos = 0;
        }
    }

    private void stalled(StoreUnavailableException e) {
        if (stall == null) {
            LOG.warn("tracking store unavailable, {} metric points kept for retry: {}", retainedPoints, e.getMessage());
        }
        stall = e;
        backoffNanos = backoffNanos == 0 ? TimeUnit.MILLISECONDS.toNanos(200) : Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        nextRetryNanos = System.nanoTime() + backoffNanos;
    }

    private void fail(TrackingException e) {
        synchronized (failures) {
            failures.add(e);
        }
    }
}
