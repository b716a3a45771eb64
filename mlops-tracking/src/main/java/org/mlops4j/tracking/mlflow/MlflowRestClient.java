package org.mlops4j.tracking.mlflow;

import org.mlops4j.tracking.internal.MlflowJson;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlops4j.core.StoreException;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.core.tracking.TrackingException;
import org.mlops4j.core.tracking.TrackingNotFoundException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * A thin client of MLflow's REST API 2.0 on the JDK's HTTP client (no extra dependency): JSON in, JSON
 * out, MLflow error JSON mapped to the SPI's exceptions. It knows endpoints only by name, so the model
 * registry endpoints ({@code registered-models/...}, {@code model-versions/...}) use the same
 * {@link #get}/{@link #post} when the registry backend comes. Thread-safe.
 */
final class MlflowRestClient {
    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final String authorization;

    /**
     * @param base          server URI, e.g. {@code http://mlflow:5000}
     * @param authorization value of the Authorization header, or null
     * @param timeout       per-request timeout
     */
    public MlflowRestClient(URI base, String authorization, Duration timeout) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.authorization = authorization;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** @return the server's base URI */
    public URI base() {
        return base;
    }

    /**
     * @param endpoint e.g. {@code runs/get}
     * @param query    query parameters
     * @return the answer
     */
    public JsonNode get(String endpoint, Map<String, String> query) {
        StringJoiner q = new StringJoiner("&");
        query.forEach((k, v) -> q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        URI uri = URI.create(base + "/api/2.0/mlflow/" + endpoint + (q.length() == 0 ? "" : "?" + q));
        return json(sendRetrying(request(uri).GET().build(), endpoint));
    }

    /**
     * @param endpoint e.g. {@code runs/log-batch}
     * @param body     the JSON body
     * @return the answer
     */
    public JsonNode post(String endpoint, JsonNode body) {
        URI uri = URI.create(base + "/api/2.0/mlflow/" + endpoint);
        HttpRequest req = request(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MlflowJson.write(body), StandardCharsets.UTF_8)).build();
        return json(sendRetrying(req, endpoint));
    }

    /**
     * @param method   {@code PATCH} or {@code DELETE} (MLflow's DELETE routes read a JSON body)
     * @param endpoint e.g. {@code registered-models/update}
     * @param body     the JSON body
     * @return the answer
     */
    public JsonNode send(String method, String endpoint, JsonNode body) {
        URI uri = URI.create(base + "/api/2.0/mlflow/" + endpoint);
        HttpRequest req = request(uri).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(MlflowJson.write(body), StandardCharsets.UTF_8)).build();
        return json(sendRetrying(req, endpoint));
    }

    /**
     * Uploads through the mlflow-artifacts proxy, streaming.
     *
     * @param location {@code <experiment>/<run>/artifacts/<path>}, already percent-encoded
     * @param content  the bytes, read to the end
     */
    public void upload(String location, Supplier<InputStream> content) {
        URI uri = URI.create(base + "/api/2.0/mlflow-artifacts/artifacts/" + location);
        send(request(uri).header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofInputStream(content)).build(),
                "artifact upload " + location);
    }

    /**
     * Deletes an artifact through the mlflow-artifacts proxy (MLflow deletes; {@code mlops server} answers 501).
     *
     * @param location {@code <experiment>/<run>/artifacts/<path>}, already percent-encoded
     */
    public void deleteArtifact(String location) {
        URI uri = URI.create(base + "/api/2.0/mlflow-artifacts/artifacts/" + location);
        send(request(uri).DELETE().build(), "artifact delete " + location);
    }

    /**
     * @param location {@code <experiment>/<run>/artifacts/<path>}, already percent-encoded
     * @return the content, streaming; the caller closes it
     */
    public InputStream download(String location) {
        URI uri = URI.create(base + "/api/2.0/mlflow-artifacts/artifacts/" + location);
        HttpResponse<InputStream> r = exchange(request(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream(), "artifact " + location);
        if (r.statusCode() / 100 == 2) {
            return r.body();
        }
        String text;
        try (InputStream in = r.body()) {
            text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        throw failure(r.statusCode(), text, "artifact " + location);
    }

    /**
     * @param segmentPath a run-relative path
     * @return it with each segment percent-encoded for a URL path
     */
    public static String encodePath(String segmentPath) {
        StringJoiner j = new StringJoiner("/");
        for (String seg : segmentPath.split("/", -1)) {
            j.add(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return j.toString();
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "mlops4j");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    /** Attempts at a JSON call the server turned away at its door (429, 503) before the client gives up. */
    static final int ATTEMPTS = 6;

    /**
     * A JSON call that a busy server refused before doing any work (429, or 503 as {@code mlops server} answers
     * at its in-flight limit) is sent again after the server's {@code Retry-After} (at most 2 s) or a growing,
     * jittered pause, up to {@link #ATTEMPTS} times in all; what the server then says is the answer. Uploads
     * are not retried here: their body is a stream read once.
     */
    private String sendRetrying(HttpRequest req, String what) {
        long pause = 25;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r = exchange(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what);
            int status = r.statusCode();
            if (status / 100 == 2) {
                return r.body();
            }
            if ((status != 429 && status != 503) || attempt == ATTEMPTS) {
                throw failure(status, r.body(), what);
            }
            long wait = pause + java.util.concurrent.ThreadLocalRandom.current().nextLong(pause + 1);
            String after = r.headers().firstValue("Retry-After").orElse("");
            if (after.matches("\\d{1,4}")) {
                wait = Math.max(wait, Math.min(2_000L, Long.parseLong(after) * 1_000L));
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(status, r.body(), what);
            }
            pause = Math.min(pause * 2, 800);
        }
    }

    private String send(HttpRequest req, String what) {
        HttpResponse<String> r = exchange(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what);
        if (r.statusCode() / 100 != 2) {
            throw failure(r.statusCode(), r.body(), what);
        }
        return r.body();
    }

    private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler, String what) {
        try {
            return http.send(req, handler);
        } catch (IOException e) {
            throw new StoreUnavailableException("MLflow server " + base + " did not answer " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while calling " + what + " on " + base, e);
        }
    }

    private static JsonNode json(String body) {
        return MlflowJson.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Maps an MLflow error answer to the SPI's exceptions. */
    private StoreException failure(int status, String body, String what) {
        String code = "";
        String message = body == null ? "" : body.strip();
        try {
            JsonNode n = json(body == null ? "" : body);
            code = n.path("error_code").asText("");
            message = n.path("message").asText(message);
        } catch (IllegalArgumentException notJson) {
            // keep the raw body as the message
        }
        if (message.length() > 500) {
            message = message.substring(0, 500) + "...";
        }
        String text = "MLflow server " + base + " refused " + what + " (HTTP " + status + (code.isEmpty() ? "" : " " + code) + "): " + message;
        if (status == 404 || code.equals("RESOURCE_DOES_NOT_EXIST")) {
            return new TrackingNotFoundException(text);
        }
        if (code.equals("RESOURCE_ALREADY_EXISTS")
                || (code.equals("INVALID_PARAMETER_VALUE") && message.toLowerCase(java.util.Locale.ROOT).contains("param")
                && (message.contains("cannot change") || message.contains("Changing param")))) {
            return new TrackingConflictException(text);
        }
        if (status == 429 || status == 502 || status == 503 || status == 504 || code.equals("TEMPORARILY_UNAVAILABLE")) {
            return new StoreUnavailableException(text);
        }
        return new TrackingException(text);
    }
}
