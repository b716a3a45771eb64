package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.mlops4j.tracking.tck.TraversalCorpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's answers to bad input over raw HTTP/1.1 on loopback: MLflow error JSON with a 4xx status,
 * never a 500, never a stack trace; oversized bodies get 413; the traversal corpus sent raw (and
 * percent-encoded) in artifact URLs never leaves the store.
 */
class MlflowServerHttpIT {
    private static final String TOKEN = "http-it-token-42";
    @TempDir
    static Path dir;
    private static Tracker tracker;
    private static MlflowServer server;
    private static String runId;
    private static String experimentId;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    @BeforeAll
    static void start() {
        tracker = Tracker.builder().store(SqliteTrackingStore.open(dir.resolve("store/mlops.db"))).build();
        server = MlflowServer.builder(tracker).port(0).token(TOKEN).maxRequestBytes(64 * 1024).maxArtifactBytes(1024 * 1024).start();
        try (ActiveRun run = tracker.startRun("http")) {
            runId = run.id();
            experimentId = run.info().experimentId();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        tracker.close();
    }

    /** Sends exactly these bytes of request line, headers and body. */
    static Answer raw(String method, String target, String body, boolean auth) throws IOException {
        return raw(method, target, body, auth, -1);
    }

    /**
     * @param declaredLength a Content-Length to declare instead of the body's (the body is then not sent: the
     *                       server must refuse on the header alone), or -1
     */
    static Answer raw(String method, String target, String body, boolean auth, long declaredLength) throws IOException {
        return raw(method, target, body, auth ? "Bearer " + TOKEN : null, declaredLength);
    }

    /** @param authorization the Authorization header to send, or null for none */
    static Answer raw(String method, String target, String body, String authorization, long declaredLength) throws IOException {
        byte[] b = body == null || declaredLength >= 0 ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        long length = declaredLength >= 0 ? declaredLength : b.length;
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (authorization != null ? "Authorization: " + authorization + "\r\n" : "")
                    + "Content-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            String payload = split < 0 ? "" : response.substring(split + 4);
            if (response.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                payload = dechunk(payload);
            }
            return new Answer(status, payload);
        }
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(s.substring(i, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(s, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    static void assertMlflowError(Answer a, int status, String code) throws IOException {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.json().path("error_code").asText()).as(a.body()).isEqualTo(code);
        assertThat(a.json().path("message").asText()).isNotBlank();
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at org.");
    }

    @Test
    void badRequestsGetMlflowErrorJsonWithout500() throws IOException {
        String api = "/api/2.0/mlflow/";
        assertMlflowError(raw("POST", api + "runs/log-batch", "{not json", true), 400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("POST", api + "runs/log-batch", "[1,2]", true), 400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("POST", api + "runs/log-batch", "{\"metrics\": []}", true), 400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("POST", api + "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": {\"a\": 1}}", true),
                400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("POST", api + "runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"m\", \"value\": \"abc\","
                + " \"timestamp\": 1}", true), 400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("POST", api + "runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"m\", \"value\": 1,"
                + " \"timestamp\": \"yesterday\"}", true), 400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("POST", api + "runs/log-parameter", "{\"run_id\": \"" + runId + "\", \"key\": \"../k\", \"value\": \"v\"}", true),
                400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("POST", api + "runs/log-parameter", "{\"run_id\": \"" + runId + "\", \"key\": \"k\", \"value\": \""
                + "x".repeat(6001) + "\"}", true), 400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("GET", api + "runs/get?run_id=0123456789abcdef0123456789abcdef", null, true), 404, "RESOURCE_DOES_NOT_EXIST");
        assertMlflowError(raw("GET", api + "experiments/get?experiment_id=not-a-number", null, true), 404, "RESOURCE_DOES_NOT_EXIST");
        assertMlflowError(raw("GET", api + "runs/get", null, true), 400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("POST", api + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"], \"filter\": \"metrics.rmse <\"}", true),
                400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("POST", api + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"], \"page_token\": \"garbage\"}", true),
                400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("POST", api + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"], \"max_results\": 50001}", true),
                400, "INVALID_PARAMETER_VALUE");
        assertMlflowError(raw("POST", api + "no/such-endpoint", "{}", true), 404, "ENDPOINT_NOT_FOUND");
        assertMlflowError(raw("GET", "/somewhere/else", null, true), 404, "ENDPOINT_NOT_FOUND");
        assertMlflowError(raw("DELETE", api + "runs/get", null, true), 405, "BAD_REQUEST");
        assertMlflowError(raw("POST", api + "runs/delete", "{\"run_id\": \"" + runId + "\"}", true), 501, "NOT_IMPLEMENTED");
        assertMlflowError(raw("POST", api + "runs/update", "{\"run_id\": \"" + runId + "\", \"status\": \"BROKEN\"}", true),
                400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void oversizedAndOverfullBatchesAreRefusedClearly() throws IOException {
        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            metrics.append(i == 0 ? "" : ",").append("{\"key\":\"m\",\"value\":").append(i).append(",\"timestamp\":1,\"step\":").append(i).append('}');
        }
        Answer overfull = raw("POST", "/api/2.0/mlflow/runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[" + metrics + "]}", true);
        assertMlflowError(overfull, 400, "INVALID_PARAMETER_VALUE");
        assertThat(overfull.json().path("message").asText()).contains("1000").contains("1001");
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            params.append(i == 0 ? "" : ",").append("{\"key\":\"p").append(i).append("\",\"value\":\"v\"}");
        }
        assertMlflowError(raw("POST", "/api/2.0/mlflow/runs/log-batch", "{\"run_id\":\"" + runId + "\",\"params\":[" + params + "]}", true),
                400, "INVALID_PARAMETER_VALUE");
        Answer huge = raw("POST", "/api/2.0/mlflow/runs/log-batch", "", true, 100_000);
        assertMlflowError(huge, 413, "REQUEST_LIMIT_EXCEEDED");
        assertThat(huge.json().path("message").asText()).contains("65536");
        Answer bigArtifact = raw("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/big.bin",
                "", true, 1024 * 1024 + 1);
        assertMlflowError(bigArtifact, 413, "REQUEST_LIMIT_EXCEEDED");
        assertThat(tracker.run(runId).orElseThrow().metrics()).doesNotContainKey("m");
        assertThat(tracker.run(runId).orElseThrow().params()).isEmpty();
    }

    @Test
    void theTokenGuardsEveryRouteButHealth() throws IOException {
        assertThat(raw("GET", "/health", null, false)).isEqualTo(new Answer(200, "OK"));
        assertMlflowError(raw("GET", "/api/2.0/mlflow/experiments/get?experiment_id=0", null, false), 401, "UNAUTHENTICATED");
        assertMlflowError(raw("GET", "/api/2.0/mlflow-artifacts/artifacts?path=x", null, false), 401, "UNAUTHENTICATED");
        assertThat(raw("GET", "/api/2.0/mlflow/experiments/get?experiment_id=0", null, true).status()).isEqualTo(200);
        String route = "/api/2.0/mlflow/experiments/get?experiment_id=0";
        assertMlflowError(raw("GET", route, null, "Bearer " + TOKEN + "x", -1), 401, "UNAUTHENTICATED");
        assertMlflowError(raw("GET", route, null, "Basic " + TOKEN, -1), 401, "UNAUTHENTICATED");
        assertMlflowError(raw("GET", route, null, "Bearer", -1), 401, "UNAUTHENTICATED");
        assertThat(raw("GET", route, null, "bearer  " + TOKEN + " ", -1).status()).as("scheme ignores case, token is stripped").isEqualTo(200);
    }

    @Test
    void theTraversalCorpusSentOverHttpNeverLeavesTheStore() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("escape.txt"), "SECRET");
        Set<Path> before = new HashSet<>(TraversalCorpus.files(dir));
        String base = "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/";
        int refused = 0;
        int stored = 0;
        int escapes = 0;
        int requests = 0;
        for (String path : TraversalCorpus.paths()) {
            for (String sent : new String[] {rawForm(path), percentEncoded(path)}) {
                if (sent == null) {
                    continue;
                }
                requests++;
                Answer put = raw("PUT", base + sent, "pwned", true);
                assertThat(put.status()).as("PUT %s -> %s", sent, put.body()).isNotEqualTo(500).isLessThan(500);
                assertThat(put.body()).doesNotContain("\tat ");
                if (put.status() == 200) {
                    stored++;
                    Answer get = raw("GET", base + sent, null, true);
                    if (get.status() == 200 && !get.body().equals("pwned")) {
                        escapes++;
                    }
                } else {
                    refused++;
                }
                Answer get = raw("GET", base + sent, null, true);
                if (get.body().contains("SECRET")) {
                    escapes++;
                }
            }
        }
        for (Path f : TraversalCorpus.files(dir)) {
            if (!before.contains(f) && !f.startsWith(dir.resolve("store"))) {
                escapes++;
            }
        }
        assertThat(escapes).isZero();
        System.out.printf(Locale.ROOT, "RELIABILITY traversal (HTTP): %d requests (raw and percent-encoded), %d refused with 4xx,"
                + " %d stored as literal names, %d escapes%n", requests, refused, stored, escapes);
    }

    /** The path as raw request-target characters, when it can be sent raw at all (no spaces, controls or non-ASCII). */
    private static String rawForm(String path) {
        for (char c : path.toCharArray()) {
            if (c <= 0x20 || c >= 0x7f || c == '#' || c == '?') {
                return null;
            }
        }
        return path;
    }

    private static String percentEncoded(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }
}
