package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;

/**
 * One HTTP request and its answer as the server's handler sees them, so that only
 * {@link JettyHttpServer} touches Jetty. Each exchange is answered exactly once.
 */
interface Exchange {
    /** @return the HTTP method */
    String method();

    /** @return the decoded path, without the query */
    String path();

    /** @return the path as the client sent it (percent-encoded, unresolved, without the query); default: {@link #path()} */
    default String rawPath() {
        return path();
    }

    /**
     * @param name a header name
     * @return its value, or null
     */
    String header(String name);

    /**
     * @param name a header name
     * @return every value of it, in order (empty when absent)
     */
    java.util.List<String> headers(String name);

    /** @return the client's address (IP), for per-client limits */
    String remoteAddress();

    /** @return the query parameters as a JSON object; a repeated parameter becomes an array */
    ObjectNode query();

    /**
     * @return the whole body, at most the server's request limit
     * @throws LimitedInputStream.TooLarge when the body (or its declared length) exceeds it
     * @throws IOException                 when the client's connection fails
     */
    byte[] body() throws IOException;

    /**
     * @return the body as a stream, at most the server's artifact limit
     * @throws LimitedInputStream.TooLarge when the declared length exceeds it (the stream throws it past the limit)
     * @throws IOException                 when the client's connection fails
     */
    InputStream upload() throws IOException;

    /**
     * Answers with text.
     *
     * @param status HTTP status
     * @param text   the body, as {@code text/plain}
     */
    void text(int status, String text);

    /**
     * Answers with JSON.
     *
     * @param status HTTP status
     * @param json   the body
     */
    void json(int status, JsonNode json);

    /**
     * Answers 200 with bytes ({@code application/octet-stream}), streaming them.
     *
     * @param content read to the end; the caller closes it
     * @throws IOException when the client's connection fails
     */
    void stream(InputStream content) throws IOException;

    /**
     * @param name  a header of the answer
     * @param value its value
     */
    void setHeader(String name, String value);

    /**
     * Ends the exchange without an answer, because the client's connection failed.
     *
     * @param failure what failed
     */
    void abort(IOException failure);
}
