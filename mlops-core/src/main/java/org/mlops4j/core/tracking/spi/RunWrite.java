package org.mlops4j.core.tracking.spi;

import org.mlops4j.core.tracking.RunBatch;

import java.util.Objects;

/**
 * One atomic write into one run, as {@link org.mlops4j.core.tracking.Tracker} hands it to
 * {@link TrackingStore#write(java.util.List)}. The id makes retries idempotent: a store that has committed a
 * write with this id before must skip it, so a write retried after a lost acknowledgement (a connection
 * dropped after the commit) is not applied twice.
 * {@snippet :
 * store.write(List.of(new RunWrite(RunWrite.newId(), runId, batch)));
 * }
 *
 * @param writeId unique id of this write (at most 64 characters)
 * @param runId   the run written into
 * @param batch   validated content
 */
public record RunWrite(String writeId, String runId, RunBatch batch) {

    /** Validates. */
    public RunWrite {
        Objects.requireNonNull(writeId, "writeId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(batch, "batch");
        if (writeId.isEmpty() || writeId.length() > 64) {
            throw new IllegalArgumentException("writeId must be 1-64 characters but was '" + writeId + "'");
        }
    }

    /** @return a fresh random id */
    public static String newId() {
        return java.util.UUID.randomUUID().toString().replace("-", "");
    }

    /** @return how many metric points the write holds */
    public int points() {
        return batch.metrics().size();
    }
}
