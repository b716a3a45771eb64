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

    /**
     * @param status  HTTP status
     * @param code    MLflow error code
     * @param message what is wrong, naming the value
     */
    ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
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
