package org.mlops4j.tracking.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the requests in flight, in total and per client address, so a few clients (slow, or many at once)
 * cannot take every server thread: past a cap the request is answered 503 with {@code Retry-After}, and
 * {@code /health}, which never passes the gate, keeps answering. Thread-safe.
 */
final class ConcurrencyGate {
    private final int total;
    private final int perClient;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> byClient = new ConcurrentHashMap<>();

    /**
     * @param total     most requests in flight
     * @param perClient most requests in flight from one address
     */
    ConcurrencyGate(int total, int perClient) {
        this.total = total;
        this.perClient = perClient;
    }

    /**
     * @param client the client's address
     * @return null when admitted (release it with {@link #release}), else why not
     */
    String tryAcquire(String client) {
        if (inFlight.incrementAndGet() > total) {
            inFlight.decrementAndGet();
            return "the server is at its limit of " + total + " requests in flight (MlflowServer.Builder.maxConcurrentRequests); retry shortly";
        }
        AtomicInteger mine = byClient.compute(client, (k, v) -> {
            AtomicInteger n = v == null ? new AtomicInteger() : v;
            n.incrementAndGet();
            return n;
        });
        if (mine.get() > perClient) {
            release(client);
            return "this client already has " + perClient + " requests in flight (MlflowServer.Builder.maxRequestsPerClient); retry shortly";
        }
        return null;
    }

    /**
     * @param client the address given to a successful {@link #tryAcquire}
     */
    void release(String client) {
        byClient.computeIfPresent(client, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
        inFlight.decrementAndGet();
    }

    /** @return the requests in flight */
    int inFlight() {
        return inFlight.get();
    }
}
