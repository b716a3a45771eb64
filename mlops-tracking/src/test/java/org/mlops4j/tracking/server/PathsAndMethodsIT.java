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

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HEAD and {@code Allow} as RFC 9110 has them, and one spelling per route, against {@code mlops server} on loopback over
 * raw HTTP/1.1 (a client library resolves dot segments before it sends). Each test failed before its fix: HEAD was 405 on
 * every GET route of the API, 405s had no {@code Allow}, {@code /health} answered any method, and
 * {@code /health/../api/2.0/mlflow/...} and {@code ...;x} reached the API.
 */
class PathsAndMethodsIT {
    private static final String TOKEN = "paths-it-token-42";
    private static final String API = "/api/2.0/mlflow/";
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static Tracker tracker;
    private static MlflowServer server;
    private static String experimentId;
    private static String runId;

    @BeforeAll
    static void start() {
        tracker = Tracker.builder().store(SqliteTrackingStore.open(dir.resolve("store/mlops.db"))).build();
        server = MlflowServer.builder(tracker).registry(org.mlops4j.core.registry.ModelRegistry.inMemory()).port(0).token(TOKEN).start();
        try (ActiveRun run = tracker.startRun("paths")) {
            runId = run.id();
            experimentId = run.info().experimentId();
            run.logArtifact("notes/a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        tracker.close();
    }

    static String req(String method, String target, boolean token, boolean close) {
        return method + " " + target + " HTTP/1.1\r\nHost: x\r\n" + (token ? "Authorization: Bearer " + TOKEN + "\r\n" : "")
                + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    /** Everything the server sent until it closed. */
    static String exchange(String requests) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    static Map<String, String> head(String response) {
        String[] lines = response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n");
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":status", lines[0].split(" ")[1]);
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            h.put(lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
        }
        return h;
    }

    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private List<String> getRoutes() {
        String artifacts = "/api/2.0/mlflow-artifacts/artifacts";
        return List.of("/health", "/version", API + "experiments/get?experiment_id=" + experimentId, API + "experiments/search",
                API + "runs/get?run_id=" + runId, API + "artifacts/list?run_id=" + runId, API + "metrics/get-history?run_id=" + runId + "&metric_key=m",
                API + "registered-models/search", artifacts + "?path=" + experimentId + "/" + runId + "/artifacts",
                artifacts + "/" + experimentId + "/" + runId + "/artifacts/notes/a.txt");
    }

    @Test
    void headIsGetWithoutABodyOnEveryGetRoute() throws Exception {
        for (String target : getRoutes()) {
            // HEAD then GET on one connection: a body after the HEAD would be read as the GET's status line
            String both = exchange(req("HEAD", target, true, false) + req("GET", target, true, true));
            Map<String, String> head = head(both);
            String rest = both.substring(both.indexOf("\r\n\r\n") + 4);
            assertThat(rest).as("HEAD " + target + " sent no body").startsWith("HTTP/1.1 ");
            Map<String, String> get = head(rest);
            assertThat(head.get(":status")).as("HEAD " + target + ": " + rest).isEqualTo("200").isEqualTo(get.get(":status"));
            assertThat(head.get("content-type")).as(target).isEqualTo(get.get("content-type"));
            assertThat(head.get("content-disposition")).as(target).isEqualTo(get.get("content-disposition"));
            assertThat(head.get("x-content-type-options")).isEqualTo("nosniff");
            if (get.containsKey("content-length")) {
                assertThat(head.get("content-length")).as(target).isEqualTo(get.get("content-length"));
            }
        }
        // HEAD reads like GET: a missing artifact is 404 too, and HEAD needs the token as GET does
        String missing = exchange(req("HEAD", "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/none.txt", true, true));
        assertThat(head(missing).get(":status")).isEqualTo("404");
        assertThat(head(exchange(req("HEAD", API + "experiments/search", false, true))).get(":status")).isEqualTo("401");
    }

    @Test
    void allowListsWhatIsAllowed() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/health", "GET, HEAD");
        expected.put("/version", "GET, HEAD");
        expected.put(API + "runs/get", "GET, HEAD");
        expected.put(API + "runs/create", "POST");
        expected.put(API + "experiments/search", "GET, HEAD, POST");
        expected.put(API + "registered-models/update", "PATCH");
        expected.put(API + "registered-models/alias", "POST, DELETE, GET, HEAD");
        expected.put("/api/2.0/mlflow-artifacts/artifacts", "GET, HEAD, PUT, POST");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String response = exchange(req("BREW", e.getKey(), true, true));
            assertThat(head(response).get(":status")).as("BREW " + e.getKey() + ": " + response).isEqualTo("405");
            assertThat(head(response).get("allow")).as(e.getKey()).isEqualTo(e.getValue());
            JsonNode json = JSON.readTree(body(response));
            assertThat(json.path("error_code").asText()).isEqualTo("BAD_REQUEST");
            assertThat(json.path("message").asText()).contains("BREW").contains(e.getValue());
        }
        assertThat(head(exchange(req("HEAD", API + "runs/create", true, true))).get("allow")).isEqualTo("POST");
        String post = exchange("POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        assertThat(head(post).get(":status")).as("/health answered every method").isEqualTo("405");
    }

    @Test
    void aRouteHasOneSpellingAndTheTokenIsDecidedOnIt() throws Exception {
        String get = API + "experiments/get?experiment_id=" + experimentId;
        String file = "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/notes/a.txt";
        List<String> second = List.of(
                "/health/../api/2.0/mlflow/experiments/get?experiment_id=" + experimentId,
                "/health/../version", "/./health", "/health/.", "/api/2.0/mlflow/../mlflow/experiments/search", "/api/2.0/./mlflow/experiments/search",
                API + "experiments/get;x=1?experiment_id=" + experimentId, "/health;a", "/version;a", "/health/..;/version",
                API + "%2e%2e/mlflow/experiments/search", API + ".%2E/mlflow/experiments/search", "/health/%2e%2e/version",
                "//api/2.0/mlflow/experiments/search", "/api/2.0//mlflow/experiments/search", API + "experiments%2Fsearch", API + "experiments%2fsearch",
                API + "experiments%5Csearch", "/api\\2.0/mlflow/experiments/search", API + "experiments/search%00",
                file.replace("notes/a.txt", "notes/../notes/a.txt"), file.replace("notes/a.txt", "x/../../../../../etc/passwd"),
                file.replace("notes/a.txt", "notes%2Fa.txt"), file.replace("notes/a.txt", "notes;/a.txt"));
        for (String target : second) {
            for (boolean token : new boolean[] {false, true}) {
                String response = exchange(req("GET", target, token, true));
                assertThat(head(response).get(":status")).as("GET " + target + (token ? " with" : " without") + " the token: " + response)
                        .isEqualTo("400");
                JsonNode json = JSON.readTree(body(response));
                assertThat(json.path("error_code").asText()).isEqualTo("BAD_REQUEST");
                assertThat(json.path("message").asText()).isNotBlank();
                assertThat(body(response)).doesNotContain("hello").doesNotContain("Exception").doesNotContain("org.");
            }
        }
        assertThat(JSON.readTree(body(exchange(req("GET", second.get(0), false, true)))).path("message").asText()).contains("'..' segment");
        // the canonical spellings still answer, and the token is still asked for where it was
        assertThat(head(exchange(req("GET", get, false, true))).get(":status")).isEqualTo("401");
        assertThat(head(exchange(req("GET", get, true, true))).get(":status")).isEqualTo("200");
        assertThat(body(exchange(req("GET", file, true, true)))).isEqualTo("hello");
        assertThat(head(exchange(req("GET", "/health", false, true))).get(":status")).isEqualTo("200");
    }
}
