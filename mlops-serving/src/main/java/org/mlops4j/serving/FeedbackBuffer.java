package org.mlops4j.serving;

import org.mlops4j.serving.routing.ServedVersion;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** The last N predictions by id, so ground truth sent later can be scored against the version that predicted. */
final class FeedbackBuffer {
    record Kept(ServedVersion version, double[] values, String[] labels) {
    }

    private final int capacity;
    private final ConcurrentHashMap<String, Kept> byId;
    private final AtomicReferenceArray<String> ring;
    private final AtomicLong next = new AtomicLong();

    FeedbackBuffer(int capacity) {
        this.capacity = capacity;
        this.byId = new ConcurrentHashMap<>(Math.max(16, Math.min(capacity, 1 << 16)));
        this.ring = new AtomicReferenceArray<>(Math.max(1, capacity));
    }

    boolean enabled() {
        return capacity > 0;
    }

    void keep(String id, Kept kept) {
        if (capacity == 0) {
            return;
        }
        int slot = (int) (next.getAndIncrement() % capacity);
        String old = ring.getAndSet(slot, id);
        if (old != null) {
            byId.remove(old);
        }
        byId.put(id, kept);
    }

    Kept take(String id) {
        return byId.remove(id);
    }
}
