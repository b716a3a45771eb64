package org.mlops4j.serving.protocol;

import org.mlops4j.core.MlopsException;

import java.util.Objects;

/**
 * A request the server refuses, with the HTTP status it maps to and, for input errors, the field at fault.
 * Each protocol writes it in its own error body ({@code {"error": …}} for the Open Inference Protocol,
 * {@code {"error_code": …, "message": …}} for MLflow). The message names what is wrong and what was
 * expected; it never carries a stack trace or an internal path.
 * {@snippet :
 * throw RequestException.badRequest("inputs[0].shape", "shape [2, 13] needs 26 values but data has 25");
 * }
 */
public final class RequestException extends MlopsException {
    private final int status;
    private final String field;
    private final int retryAfterSeconds;
    private final String allow;

    private RequestException(int status, String field, String message, int retryAfterSeconds) {
        this(status, field, message, retryAfterSeconds, null);
    }

    private RequestException(int status, String field, String message, int retryAfterSeconds, String allow) {
        super(Objects.requireNonNull(message, "message"));
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
        this.allow = allow;
    }

    /**
     * @param field   the field at fault ({@code inputs[0].data}, a column name), or null
     * @param message what is wrong and what was expected
     * @return a 400
     */
    public static RequestException badRequest(String field, String message) {
        return new RequestException(400, field, message, 0);
    }

    /**

     * @param message why

     * @return a 401 (no token)

     */
    public static RequestException unauthorized(String message) {
        return new RequestException(401, null, message, 0);
    }

    /**

     * @param message why

     * @return a 403 (wrong token)

     */
    public static RequestException forbidden(String message) {
        return new RequestException(403, null, message, 0);
    }

    /**

     * @param message what is not there and what is

     * @return a 404

     */
    public static RequestException notFound(String message) {
        return new RequestException(404, null, message, 0);
    }

    /**

     * @param message which method is allowed

     * @return a 405

     */
    public static RequestException methodNotAllowed(String message) {
        return new RequestException(405, null, message, 0);
    }

    /**
     * @param message which method is allowed
     * @param allow   the methods the route takes, for the {@code Allow} header ({@code "GET, HEAD"})
     * @return a 405 with an {@code Allow} header
     */
    public static RequestException methodNotAllowed(String message, String allow) {
        return new RequestException(405, null, message, 0, Objects.requireNonNull(allow, "allow"));
    }

    /**
     * @param message what the client was too slow to send, and the limit
     * @return a 408 (the client was too slow; the connection is closed)
     */
    public static RequestException requestTimeout(String message) {
        return new RequestException(408, null, message, 0);
    }

    /**

     * @param field what is too large

     * @param message the limit

     * @return a 413

     */
    public static RequestException tooLarge(String field, String message) {
        return new RequestException(413, field, message, 0);
    }

    /**

     * @param message the content types accepted

     * @return a 415

     */
    public static RequestException unsupportedMediaType(String message) {
        return new RequestException(415, "Content-Type", message, 0);
    }

    /**
     * @param message           why (not ready, overloaded)
     * @param retryAfterSeconds the {@code Retry-After} to send
     * @return a 503
     */
    public static RequestException unavailable(String message, int retryAfterSeconds) {
        return new RequestException(503, null, message, Math.max(1, retryAfterSeconds));
    }

    /**

     * @param message the timeout

     * @return a 504

     */
    public static RequestException timeout(String message) {
        return new RequestException(504, null, message, 0);
    }

    /**

     * @param message what failed on the server's side (no detail of the failure)

     * @return a 500

     */
    public static RequestException internal(String message) {
        return new RequestException(500, null, message, 0);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the field at fault, or null */
    public String field() {
        return field;
    }

    /** @return the {@code Allow} header of a 405, or null */
    public String allow() {
        return allow;
    }

    /** @return seconds for {@code Retry-After} (503), else 0 */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** @return MLflow's error code for this status */
    public String mlflowErrorCode() {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "RESOURCE_DOES_NOT_EXIST";
            case 405 -> "ENDPOINT_NOT_FOUND";
            case 408 -> "DEADLINE_EXCEEDED";
            case 413 -> "REQUEST_LIMIT_EXCEEDED";
            case 415 -> "BAD_REQUEST";
            case 503 -> "TEMPORARILY_UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> "INTERNAL_ERROR";
        };
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // refused requests are routine: no stack to capture on the hot path
    }
}
