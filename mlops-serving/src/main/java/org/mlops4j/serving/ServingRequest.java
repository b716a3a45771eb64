package org.mlops4j.serving;

import org.mlops4j.serving.protocol.RequestException;

/**
 * One HTTP request as the serving core sees it, whatever server carries it (the Jetty adapter, a Spring
 * controller, a test). Implementations need not be thread-safe: a request belongs to one thread.
 * {@snippet :
 * ServingRequest req = ServingRequest.of("POST", "/v2/models/house-prices/infer", Map.of("Content-Type", "application/json"), body);
 * ServingResponse res = core.handle(req);
 * }
 */
public interface ServingRequest {
    /** @return the method, upper case */
    String method();

    /** @return the path without the query, percent-decoded */
    String path();

    /**
     * The path as the client sent it, before any decoding or resolving, so the core can refuse a second spelling
     * of a route ({@code /v2/health/../../metrics}, {@code /metrics;x}, {@code //metrics}) before it decides on the
     * token: 400, never a route reached by a path other than its own.
     *
     * @return the request target's path as sent (percent-encoded, without the query); default: {@link #path()}
     */
    default String rawPath() {
        return path();
    }

    /**

     * @param name header name (any case)

     * @return its value, or null

     */
    String header(String name);

    /**
     * Every value of a header, so the core can refuse a request that repeats one that must be single
     * ({@code Authorization}, {@code Content-Type}, {@code Content-Encoding}).
     *
     * @param name header name (any case)
     * @return its values in order, empty when absent (default: the one {@link #header(String)} gives)
     */
    default java.util.List<String> headers(String name) {
        String v = header(name);
        return v == null ? java.util.List.of() : java.util.List.of(v);
    }

    /**
     * @param maxBytes the most the core accepts
     * @return the body
     * @throws RequestException (413) when it is longer than {@code maxBytes}; (400) when it cannot be read
     */
    byte[] body(long maxBytes);

    /**
     * @param method  method
     * @param path    path
     * @param headers headers (names matched case-insensitively)
     * @param body    body
     * @return a request held in memory
     */
    static ServingRequest of(String method, String path, java.util.Map<String, String> headers, byte[] body) {
        java.util.TreeMap<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        return new ServingRequest() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public String header(String name) {
                return h.get(name);
            }

            @Override
            public byte[] body(long maxBytes) {
                if (body.length > maxBytes) {
                    throw RequestException.tooLarge("body", "the request body has " + body.length + " bytes, more than the limit of " + maxBytes);
                }
                return body;
            }
        };
    }
}
