package org.mlops4j.serving.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * What one request may be and how long it may take; all checked before a model sees anything. The
 * defaults suit a tabular model behind a public port: 4 MiB bodies, JSON nested 16 deep at most, numbers of
 * at most 64 characters, strings of at most 4,096, 10,000 rows, 64 requests waiting for a worker beyond
 * those running, and 5 seconds per request.
 * {@snippet :
 * Limits limits = Limits.defaults().withMaxRows(1_000).withTimeout(Duration.ofSeconds(2));
 * }
 *
 * @param maxBodyBytes    largest request body (413 above)
 * @param maxDepth        deepest JSON nesting (400 above)
 * @param maxNumberLength longest JSON number literal (400 above)
 * @param maxStringLength longest JSON string (400 above)
 * @param maxRows         most rows per request (413 above)
 * @param maxQueued       requests that may wait for a prediction slot (503 with Retry-After beyond)
 * @param timeout         longest a request may wait and predict (504 beyond)
 */
public record Limits(long maxBodyBytes, int maxDepth, int maxNumberLength, int maxStringLength, int maxRows, int maxQueued,
                     Duration timeout) {

    /** Validates. */
    public Limits {
        positive("maxBodyBytes", maxBodyBytes);
        positive("maxDepth", maxDepth);
        positive("maxNumberLength", maxNumberLength);
        positive("maxStringLength", maxStringLength);
        positive("maxRows", maxRows);
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must be >= 0 but was " + maxQueued);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
    }

    private static void positive(String name, long v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1 but was " + v);
        }
    }

    /** @return the defaults */
    public static Limits defaults() {
        return new Limits(4L << 20, 16, 64, 4096, 10_000, 64, Duration.ofSeconds(5));
    }

    /**

     * @param v largest body in bytes

     * @return a copy

     */
    public Limits withMaxBodyBytes(long v) {
        return new Limits(v, maxDepth, maxNumberLength, maxStringLength, maxRows, maxQueued, timeout);
    }

    /**

     * @param v deepest nesting

     * @return a copy

     */
    public Limits withMaxDepth(int v) {
        return new Limits(maxBodyBytes, v, maxNumberLength, maxStringLength, maxRows, maxQueued, timeout);
    }

    /**

     * @param v longest number literal

     * @return a copy

     */
    public Limits withMaxNumberLength(int v) {
        return new Limits(maxBodyBytes, maxDepth, v, maxStringLength, maxRows, maxQueued, timeout);
    }

    /**

     * @param v longest string

     * @return a copy

     */
    public Limits withMaxStringLength(int v) {
        return new Limits(maxBodyBytes, maxDepth, maxNumberLength, v, maxRows, maxQueued, timeout);
    }

    /**

     * @param v most rows per request

     * @return a copy

     */
    public Limits withMaxRows(int v) {
        return new Limits(maxBodyBytes, maxDepth, maxNumberLength, maxStringLength, v, maxQueued, timeout);
    }

    /**

     * @param v most waiting requests

     * @return a copy

     */
    public Limits withMaxQueued(int v) {
        return new Limits(maxBodyBytes, maxDepth, maxNumberLength, maxStringLength, maxRows, v, timeout);
    }

    /**

     * @param v per-request timeout

     * @return a copy

     */
    public Limits withTimeout(Duration v) {
        return new Limits(maxBodyBytes, maxDepth, maxNumberLength, maxStringLength, maxRows, maxQueued, v);
    }
}
