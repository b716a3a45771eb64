package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.tracking.internal.MlflowJson;

/**
 * An MLflow error answer an endpoint gives on purpose: HTTP status, MLflow error code, message. Other
 * failures are mapped to MLflow's codes by {@link MlflowHandler}.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final String allow;

    /**
     * @param status  HTTP status
     * @param code    MLflow error code
     * @param message what is wrong, naming the value
     */
    ApiError(int status, String code, String message) {
        this(status, code, message, null);
    }

    /**
     * @param status  HTTP status
     * @param code    MLflow error code
     * @param message what is wrong, naming the value
     * @param allow   for a 405, the methods the route takes ({@code Allow} header), else null
     */
    ApiError(int status, String code, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.allow = allow;
    }

    /**
     * @param route   the route, for the message
     * @param method  the method it was sent
     * @param allowed the methods it takes
     * @return a 405 naming them, with the {@code Allow} header: GET routes take HEAD too
     */
    static ApiError methodNotAllowed(String route, String method, java.util.List<String> allowed) {
        java.util.List<String> all = new java.util.ArrayList<>(allowed);
        if (all.contains("GET") && !all.contains("HEAD")) {
            all.add(all.indexOf("GET") + 1, "HEAD");
        }
        String allow = String.join(", ", all);
        String sent = method.length() <= 32 ? method : method.substring(0, 32) + "…";
        return new ApiError(405, "BAD_REQUEST", route + " accepts " + allow + ", not " + sent, allow);
    }

    /** @return the methods for the {@code Allow} header of a 405, or null */
    String allow() {
        return allow;
    }

    /** @return the HTTP status */
    int status() {
        return status;
    }

    /** @return the MLflow error code */
    String code() {
        return code;
    }

    /**
     * @param code    MLflow error code
     * @param message the message
     * @return MLflow's error JSON
     */
    static ObjectNode json(String code, String message) {
        return MlflowJson.object().put("error_code", code).put("message", message);
    }
}
