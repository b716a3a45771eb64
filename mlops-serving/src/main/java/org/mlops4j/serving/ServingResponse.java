package org.mlops4j.serving;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The serving core's answer: status, content type, body and extra headers ({@code Retry-After},
 * {@code X-Prediction-Id}). Immutable.
 * {@snippet :
 * ServingResponse res = core.handle(request);
 * res.status();       // 200
 * res.bodyText();     // {"model_name":"house-prices",...}
 * }
 *
 * @param status      HTTP status
 * @param contentType content type
 * @param body        body bytes
 * @param headers     extra headers
 */
public record ServingResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    /** JSON's content type. */
    public static final String JSON = "application/json";

    /** Copies the headers. */
    public ServingResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** @return the body as UTF-8 text */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
