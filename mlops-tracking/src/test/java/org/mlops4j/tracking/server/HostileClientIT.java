package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.internal.BearerToken;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.spi.RunFilter;
import org.mlops4j.tracking.internal.MlflowJson;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9's attack classes, each against a real server on loopback over raw HTTP/1.1: a request costs at
 * most a bad answer. Pattern matches run in linear time; a request past its budget is answered 504 and its
 * thread freed; slow clients get 408 and never starve {@code /health}; caps answer 503 with
 * {@code Retry-After}; oversized filters, sort lists and id lists get 400 naming the limit, never a 500 from
 * the database; ids are ASCII digits; every route but health needs the token, in exactly one header;
 * protocol errors are 400 in MLflow's shape; artifacts are served so no browser renders them.
 */
class HostileClientIT {
    private static final String TOKEN = "hostile-it-token-42";
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
        server = MlflowServer.builder(tracker).port(0).token(TOKEN).requestTimeout(Duration.ofSeconds(10))
                .idleTimeout(Duration.ofSeconds(1)).maxRequestsPerClient(8).start();
        try (ActiveRun run = tracker.startRun("hostile")) {
            runId = run.id();
            experimentId = run.info().experimentId();
            run.logParam("p", "a".repeat(5000));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        tracker.close();
    }

    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static Answer send(int port, String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return read(s.getInputStream());
        }
    }

    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String response = all.toString(StandardCharsets.UTF_8);
        int status = Integer.parseInt(response.substring(9, 12));
        int split = response.indexOf("\r\n\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : response.substring(0, split).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        String payload = response.substring(split + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            StringBuilder sb = new StringBuilder();
            int i = 0;
            while (true) {
                int eol = payload.indexOf("\r\n", i);
                int size = Integer.parseInt(payload.substring(i, eol).strip(), 16);
                if (size == 0) {
                    break;
                }
                sb.append(payload, eol + 2, eol + 2 + size);
                i = eol + 2 + size + 2;
            }
            payload = sb.toString();
        }
        return new Answer(status, headers, payload);
    }

    static Answer request(String method, String target, String body, String... extraHeaders) throws IOException {
        return request(server.port(), method, target, body, extraHeaders);
    }

    static Answer request(int port, String method, String target, String body, String... extraHeaders) throws IOException {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        boolean auth = false;
        for (String h : extraHeaders) {
            head.append(h).append("\r\n");
            auth |= h.toLowerCase(Locale.ROOT).startsWith("authorization:");
        }
        if (!auth) {
            head.append("Authorization: Bearer " + TOKEN + "\r\n");
        }
        head.append("Content-Type: application/json\r\nContent-Length: ").append(b.length).append("\r\n\r\n");
        return send(port, head.toString(), b);
    }

    static void assertError(Answer a, int status, String code) throws IOException {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.json().path("error_code").asText()).as(a.body()).isEqualTo(code);
        assertThat(a.json().path("message").asText()).isNotBlank();
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("SQLITE").doesNotContain("/tmp/");
    }

    // ---- patterns in linear time ----

    @Test
    void likePatternsThatWouldBacktrackAnswerAtOnce() throws IOException {
        for (int i = 0; i < 40; i++) {
            tracker.createExperiment("a".repeat(480) + "-" + i, Map.of());
        }
        // A backtracking regular expression takes O(n^k) for k wildcards on these names: hours.
        String filter = "name LIKE '%a%a%a%a%a%a%a%a%a%a%b'";
        long t0 = System.nanoTime();
        Answer a = request("POST", API + "experiments/search", "{\"filter\": \"" + filter + "\"}");
        System.out.println("RELIABILITY LIKE with 10 wildcards over 41 names of 480+ characters: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().path("experiments").size()).isZero();
        Answer i = request("POST", API + "experiments/search", "{\"filter\": \"name ILIKE '%A%A%A%A%A%A%A%A%A%-1_'\"}");
        assertThat(i.status()).isEqualTo(200);
        assertThat(i.json().path("experiments").size()).isEqualTo(10); // -10 to -19
        Answer runs = request("POST", API + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"],"
                + " \"filter\": \"params.p LIKE '%a%a%a%a%a%a%a%a%a%a%a%a%b'\"}");
        assertThat(runs.status()).as(runs.body()).isEqualTo(200);
        assertThat(runs.json().path("runs").size()).isZero();
    }

    // ---- limits before the store ----

    @Test
    void oversizedFiltersSortsAndIdListsAre400NamingTheLimit() throws IOException {
        for (int n : new int[] {101, 1_000, 5_000}) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                parts.add("metrics.m" + i + " > 0");
            }
            Answer a = request("POST", API + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"], \"filter\": \""
                    + String.join(" AND ", parts) + "\"}");
            assertError(a, 400, "INVALID_PARAMETER_VALUE");
            assertThat(a.json().path("message").asText()).containsAnyOf("RunFilter.MAX_CONDITIONS", "RunFilter.MAX_FILTER_CHARS");
        }
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            orders.add("\"metrics.m" + i + " DESC\"");
        }
        Answer o = request("POST", API + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"], \"order_by\": ["
                + String.join(",", orders) + "]}");
        assertError(o, 400, "INVALID_PARAMETER_VALUE");
        assertThat(o.json().path("message").asText()).contains("order_by").contains(String.valueOf(RunFilter.MAX_ORDER_BY));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            ids.add("\"" + i + "\"");
        }
        Answer e = request("POST", API + "runs/search", "{\"experiment_ids\": [" + String.join(",", ids) + "]}");
        assertError(e, 400, "INVALID_PARAMETER_VALUE");
        assertThat(e.json().path("message").asText()).contains("1000").contains("1001");
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 1_001; i++) {
            in.append(i == 0 ? "" : ",").append("'r").append(i).append('\'');
        }
        Answer inList = request("POST", API + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"],"
                + " \"filter\": \"attributes.run_id IN (" + in + ")\"}");
        assertError(inList, 400, "INVALID_PARAMETER_VALUE");
        assertThat(inList.json().path("message").asText()).contains(String.valueOf(RunFilter.MAX_IN_VALUES));
        String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
        Answer nested = request("POST", API + "runs/search", deep);
        assertError(nested, 400, "INVALID_PARAMETER_VALUE");
        assertThat(nested.json().path("message").asText()).contains(String.valueOf(MlflowJson.MAX_NESTING));
        // At the limit, the search runs.
        List<String> hundred = new ArrayList<>();
        for (int i = 0; i < RunFilter.MAX_CONDITIONS; i++) {
            hundred.add("params.p LIKE 'a%'");
        }
        Answer ok = request("POST", API + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"], \"filter\": \""
                + String.join(" AND ", hundred) + "\"}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().path("runs").size()).isEqualTo(1);
    }

    @Test
    void idsAreAsciiDigitsOnly() throws IOException {
        assertThat(request("GET", API + "experiments/get?experiment_id=" + experimentId, null).status()).isEqualTo(200);
        for (String id : List.of("\uFF10", "\u0660", "\uFF11", "\u0663", experimentId.replace("0", "\uFF10") + "\u0660")) {
            String q = java.net.URLEncoder.encode(id, StandardCharsets.UTF_8);
            assertError(request("GET", API + "experiments/get?experiment_id=" + q, null), 404, "RESOURCE_DOES_NOT_EXIST");
            Answer create = request("POST", API + "runs/create", "{\"experiment_id\": \"" + id + "\"}");
            assertError(create, 404, "RESOURCE_DOES_NOT_EXIST");
            Answer search = request("POST", API + "runs/search", "{\"experiment_ids\": [\"" + id + "\"]}");
            assertThat(search.status()).isEqualTo(200);
            assertThat(search.json().path("runs").size()).isZero();
        }
        assertError(request("POST", API + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"], \"max_results\": \"\uFF15\"}"),
                400, "INVALID_PARAMETER_VALUE");
    }

    // ---- auth ----

    @Test
    void everyRouteButHealthNeedsExactlyOneToken() throws IOException {
        Answer health = request("GET", "/health", null, "Authorization: Bearer wrong-token-x");
        assertThat(health.status()).isEqualTo(200);
        assertError(request("GET", "/version", null, "X-Nothing: 1", "Authorization: Bearer nope-nope-nope"), 401, "UNAUTHENTICATED");
        assertThat(request("GET", "/version", null).status()).isEqualTo(200);
        assertError(send(server.port(), "GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0]), 401, "UNAUTHENTICATED");
        String route = API + "experiments/get?experiment_id=" + experimentId;
        assertError(request("GET", route, null, "Authorization: Bearer " + TOKEN, "Authorization: Bearer " + TOKEN), 400, "BAD_REQUEST");
        assertError(request("GET", route, null, "Authorization: Bearer " + TOKEN, "Authorization: Bearer attacker-token"), 400, "BAD_REQUEST");
        assertError(request("GET", route, null, "Authorization: Bearer attacker-token", "Authorization: Bearer " + TOKEN), 400, "BAD_REQUEST");
    }

    @Test
    void bodiesHaveOneReadingAndTextTheStoresKeep() throws IOException {
        // a repeated key kept the last value and content after the JSON value was ignored: {"name":"a"}{"name":"b"} created "a"
        Answer dup = request("POST", API + "experiments/create", "{\"name\":\"dup-a\",\"name\":\"dup-b\"}");
        assertError(dup, 400, "INVALID_PARAMETER_VALUE");
        assertThat(dup.json().path("message").asText()).contains("Duplicate field 'name'");
        Answer trailing = request("POST", API + "experiments/create", "{\"name\":\"two-a\"}{\"name\":\"two-b\"}");
        assertError(trailing, 400, "INVALID_PARAMETER_VALUE");
        assertThat(trailing.json().path("message").asText()).contains("Trailing token").contains("line 1")
                .doesNotContain("`").doesNotContain("Source").doesNotContain("jackson");
        assertThat(tracker.experimentByName("dup-b")).isEmpty();
        assertThat(tracker.experimentByName("two-a")).isEmpty();
        Answer open = request("POST", API + "experiments/create", "{\"name\":[}");
        assertThat(open.json().path("message").asText()).doesNotContain("Source").doesNotContain("starting at");
        // NUL failed PostgreSQL's statement (500 INTERNAL_ERROR) and was stored on SQLite; a lone surrogate was stored as '?'
        for (String body : List.of("{\"name\":\"nul\\u0000x\"}", "{\"name\":\"half\\ud800\"}")) {
            Answer a = request("POST", API + "experiments/create", body);
            assertError(a, 400, "INVALID_PARAMETER_VALUE");
            assertThat(a.json().path("message").asText()).contains("field 'name'");
        }
        assertError(request("POST", API + "runs/log-parameter", "{\"run_id\":\"" + runId + "\",\"key\":\"k\",\"value\":\"a\\u0000\"}"),
                400, "INVALID_PARAMETER_VALUE");
        assertError(request("POST", API + "runs/log-batch", "{\"run_id\":\"" + runId + "\",\"tags\":[{\"key\":\"t\",\"value\":\"\\u0000\"}]}"),
                400, "INVALID_PARAMETER_VALUE");
        Answer query = request("GET", API + "experiments/get-by-name?experiment_name=a%00b", null);
        assertError(query, 400, "INVALID_PARAMETER_VALUE");
        assertThat(query.json().path("message").asText()).contains("experiment_name").contains("NUL");
        assertThat(tracker.run(runId).orElseThrow().params()).doesNotContainKey("k");
    }

    @Test
    void numbersInTextAndIntegerFieldsAreTakenExactlyOrRefused() throws IOException {
        // {"name":1e999} created an experiment named "Infinity"; a boolean or a fraction became its Java spelling
        for (String name : List.of("1e999", "0.1", "1e2", "NaN", "true", "[\"a\"]")) {
            Answer a = request("POST", API + "experiments/create", "{\"name\":" + name + "}");
            assertError(a, 400, "INVALID_PARAMETER_VALUE");
            assertThat(a.json().path("message").asText()).as(name).contains("field 'name'").contains("must be a string");
        }
        assertThat(tracker.experimentByName("Infinity")).isEmpty();
        assertThat(tracker.experimentByName("0.1")).isEmpty();
        assertThat(tracker.experimentByName("100.0")).isEmpty();
        assertThat(tracker.experimentByName("true")).isEmpty();
        // an integer sent unquoted is its digits, exactly, even past 2^64
        Answer digits = request("POST", API + "experiments/create", "{\"name\":123456789012345678901234567890}");
        assertThat(digits.status()).as(digits.body()).isEqualTo(200);
        assertThat(tracker.experimentByName("123456789012345678901234567890")).isPresent();
        // int64 fields: a whole number in any spelling is taken; past the range or with a fraction it is refused,
        // where 1e300 was clamped to Long.MAX_VALUE and 2^64 wrapped to 0
        String metric = "{\"run_id\":\"" + runId + "\",\"key\":\"m\",\"value\":1.5,\"timestamp\":%s,\"step\":%s}";
        for (String[] bad : List.<String[]>of(new String[] {"1e300", "0", "timestamp"}, new String[] {"18446744073709551616", "0", "timestamp"},
                new String[] {"1", "0.5", "step"}, new String[] {"1", "true", "step"}, new String[] {"Infinity", "0", "timestamp"})) {
            Answer a = request("POST", API + "runs/log-metric", metric.formatted(bad[0], bad[1]));
            assertError(a, 400, "INVALID_PARAMETER_VALUE");
            assertThat(a.json().path("message").asText()).as(String.join(",", bad)).contains("field '" + bad[2] + "'")
                    .contains("must be an integer");
        }
        assertThat(tracker.run(runId).orElseThrow().metrics()).doesNotContainKey("m");
        Answer whole = request("POST", API + "runs/log-metric", metric.formatted("1.7e12", "3.0"));
        assertThat(whole.status()).as(whole.body()).isEqualTo(200);
        assertThat(tracker.metricHistory(runId, "m")).singleElement().satisfies(m -> {
            assertThat(m.timestamp().toEpochMilli()).isEqualTo(1_700_000_000_000L);
            assertThat(m.step()).isEqualTo(3);
        });
    }

    @Test
    void transferCodingsOtherThanChunkedAndConnectAre400() throws IOException {
        // "Transfer-Encoding: gzip, chunked" was read as chunked and the gzip coding ignored
        String body = "{\"name\":\"te-gzip\"}";
        Answer te = send(server.port(), "POST " + API + "experiments/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n"
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n", new byte[0]);
        assertError(te, 400, "BAD_REQUEST");
        assertThat(te.json().path("message").asText()).contains("Transfer-Encoding 'gzip, chunked'");
        assertThat(tracker.experimentByName("te-gzip")).isEmpty();
        // CONNECT was answered 404 and the connection left open, as if a tunnel might follow
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            Answer a = read(s.getInputStream()); // reads to the end of the stream: returns only because the server closed
            assertError(a, 400, "BAD_REQUEST");
            assertThat(a.json().path("message").asText()).contains("not a proxy");
        }
    }

    // ---- protocol errors ----

    @Test
    void protocolErrorsAreClientErrorsInMlflowShape() throws IOException {
        for (String head : List.of("GET /health HTTP/3.0\r\nHost: x\r\n\r\n", "GET /health HTTP/2.0\r\nHost: x\r\n\r\n",
                "GET /api/2.0/mlflow/\r\n/x HTTP/1.1\r\nHost: x\r\n\r\n", "GET /a\rb HTTP/1.1\r\nHost: x\r\n\r\n",
                "BREW /health HTCPCP/1.0\r\n\r\n", "GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")) {
            Answer a = send(server.port(), head, new byte[0]);
            assertThat(a.status()).as(head + " -> " + a.body()).isBetween(400, 499);
            assertThat(a.json().path("error_code").asText()).as(head).isNotEqualTo("INTERNAL_ERROR").isNotBlank();
            assertThat(a.json().path("message").asText()).as(head).isNotBlank();
        }
    }

    // ---- artifacts ----

    @Test
    void artifactsAreDownloadsThatNoBrowserRenders() throws IOException {
        String location = "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/page.html";
        String html = "<html><script>alert(document.cookie)</script></html>";
        assertThat(request("PUT", location, html, "Content-Type: text/html").status()).isEqualTo(200);
        Answer a = request("GET", location, null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo(html);
        assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(a.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(a.header("Content-Disposition")).startsWith("attachment").contains("filename=\"page.html\"");
        assertThat(a.header("Content-Security-Policy")).isEqualTo("sandbox");
        assertThat(request("GET", API + "experiments/get?experiment_id=" + experimentId, null).header("X-Content-Type-Options"))
                .isEqualTo("nosniff");
    }

    // ---- slow clients and caps ----

    @Test
    void slowBodiesGet408AndNeverStarveHealthOrOtherClients() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setSoTimeout(20_000);
                s.getOutputStream().write(("POST " + API + "runs/search HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"exp").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                slow.add(s);
            }
            Thread.sleep(200);
            for (int i = 0; i < 5; i++) {
                assertThat(request("GET", "/health", null).status()).isEqualTo(200);
            }
            // 8 of them hold this client's slots: a ninth request from the same address is turned away, politely.
            Answer busy = request("GET", API + "experiments/get?experiment_id=" + experimentId, null);
            assertError(busy, 503, "TEMPORARILY_UNAVAILABLE");
            assertThat(busy.header("Retry-After")).isEqualTo("1");
            for (Socket s : slow) {
                Answer a = read(s.getInputStream());
                assertThat(a.status()).as(a.body()).isIn(408, 503);
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        // Once the slow clients are cut, this client is served again.
        assertThat(request("GET", API + "experiments/get?experiment_id=" + experimentId, null).status()).isEqualTo(200);
    }

    @Test
    void trickledHeadersAreClosedAtTheIdleTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long start = System.nanoTime();
            int b;
            try {
                b = s.getInputStream().read();
                while (b >= 0) {
                    b = s.getInputStream().read();
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a connection that sends nothing for 10 s open", e);
            } catch (IOException reset) {
                // closed: fine
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
    }

    // ---- budgets, with an endpoint that does not stop on its own ----

    @Test
    void aRequestPastItsBudgetIs504AndItsThreadIsFreed() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        CountDownLatch exited = new CountDownLatch(1);
        RouteTable routes = new RouteTable.Builder().post("test/spin", params -> {
            started.countDown();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Math.sqrt(System.nanoTime()); // CPU-bound work that only an interrupt ends
                }
                sawInterrupt.set(true);
                return MlflowJson.object();
            } finally {
                exited.countDown();
            }
        }).build();
        MlflowHandler handler = new MlflowHandler(routes, new ArtifactProxy(tracker), BearerToken.of(TOKEN),
                new MlflowHandler.Limits(500, 500, 8, 4));
        try (JettyHttpServer jetty = new JettyHttpServer(handler, "127.0.0.1", 0,
                new JettyHttpServer.Settings(1 << 16, 1 << 16, 16, 2_000, 2_000, 100, 20_000, 100))) {
            long t0 = System.nanoTime();
            Answer a = request(jetty.port(), "POST", API + "test/spin", "{}");
            System.out.println("RELIABILITY a CPU-bound request with a 500 ms budget answered 504 after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertError(a, 504, "DEADLINE_EXCEEDED");
            assertThat(a.json().path("message").asText()).contains("500 ms").contains("requestTimeout");
            assertThat(exited.await(5, TimeUnit.SECONDS)).as("the work stopped").isTrue();
            assertThat(sawInterrupt).isTrue();
            // the server's threads come back clean: the next requests are served
            for (int i = 0; i < 20; i++) {
                assertThat(request(jetty.port(), "GET", "/version", null).status()).isEqualTo(200);
            }
        } finally {
            handler.stop();
        }
    }

    @Test
    void aStoppingServerStopsWithinASecond() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        RouteTable routes = new RouteTable.Builder().post("test/spin", params -> {
            started.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                Math.sqrt(System.nanoTime());
            }
            return MlflowJson.object();
        }).build();
        MlflowHandler handler = new MlflowHandler(routes, new ArtifactProxy(tracker), null, new MlflowHandler.Limits(600_000, 600_000, 8, 8));
        JettyHttpServer jetty = new JettyHttpServer(handler, "127.0.0.1", 0, new JettyHttpServer.Settings(1 << 16, 1 << 16, 16, 60_000, 60_000, 100, 60_000, 100));
        List<Thread> clients = new ArrayList<>();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    statuses.add(request(jetty.port(), "POST", API + "test/spin", "{}").status());
                } catch (IOException e) {
                    statuses.add(-1);
                }
            });
            t.start();
            clients.add(t);
        }
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200);
        long t0 = System.nanoTime();
        handler.stop();
        jetty.close();
        System.out.println("RELIABILITY server with 4 endless requests in flight stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1_500));
        for (Thread t : clients) {
            t.join(5_000);
        }
        assertThat(statuses).hasSize(4).allMatch(s -> s == 503 || s == -1);
    }

    @Test
    void theTotalCapAnswers503WhileHealthAnswers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inside = new CountDownLatch(3);
        RouteTable routes = new RouteTable.Builder().post("test/wait", params -> {
            inside.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return MlflowJson.object();
        }).build();
        MlflowHandler handler = new MlflowHandler(routes, new ArtifactProxy(tracker), null, new MlflowHandler.Limits(30_000, 30_000, 3, 3));
        try (JettyHttpServer jetty = new JettyHttpServer(handler, "127.0.0.1", 0,
                new JettyHttpServer.Settings(1 << 16, 1 << 16, 8, 30_000, 30_000, 100, 30_000, 100))) {
            List<Thread> waiting = new ArrayList<>();
            List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 3; i++) {
                Thread t = new Thread(() -> {
                    try {
                        statuses.add(request(jetty.port(), "POST", API + "test/wait", "{}").status());
                    } catch (IOException e) {
                        statuses.add(-1);
                    }
                });
                t.start();
                waiting.add(t);
            }
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            Answer full = request(jetty.port(), "POST", API + "test/wait", "{}");
            assertError(full, 503, "TEMPORARILY_UNAVAILABLE");
            assertThat(full.header("Retry-After")).isEqualTo("1");
            assertThat(full.json().path("message").asText()).contains("maxConcurrentRequests");
            for (int i = 0; i < 10; i++) {
                assertThat(request(jetty.port(), "GET", "/health", null).body()).isEqualTo("OK");
            }
            release.countDown();
            for (Thread t : waiting) {
                t.join(10_000);
            }
            assertThat(statuses).containsExactly(200, 200, 200);
        } finally {
            handler.stop();
        }
    }

    // ---- connection-level limits (the hostile-client pass of 2026-12-02) ----

    /** Reads one response of a keep-alive connection (Content-Length framed). */
    static Answer readOne(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes of a response");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Answer(Integer.parseInt(text.substring(9, 12)), headers, new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void headersTrickledFasterThanTheIdleTimeoutAreCutAtTheHeaderDeadline() throws Exception {
        // Before the header deadline, a client sending one byte every 200 ms (well inside the 2 s idle timeout) kept
        // its connection for as long as it liked: Jetty bounds only the gap between bytes.
        try (MlflowServer s = MlflowServer.builder(tracker).port(0).token(TOKEN).idleTimeout(Duration.ofSeconds(2))
                .headerTimeout(Duration.ofSeconds(1)).start()) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Socket c = new Socket("127.0.0.1", s.port());
                    c.setSoTimeout(15_000);
                    slow.add(c);
                }
                byte[] trickle = ("GET " + API + "experiments/get?experiment_id=" + experimentId + " HTTP/1.1\r\nHost: x\r\nX-Slow: "
                        + "a".repeat(200)).getBytes(StandardCharsets.ISO_8859_1);
                long start = System.nanoTime();
                int sent = 0;
                java.util.Set<Socket> cut = new java.util.HashSet<>();
                while (sent < trickle.length && cut.size() < slow.size()) {
                    for (Socket c : slow) {
                        if (cut.contains(c)) {
                            continue;
                        }
                        try {
                            c.getOutputStream().write(trickle[sent]);
                            c.getOutputStream().flush();
                        } catch (IOException closed) {
                            cut.add(c);
                        }
                        if (c.getInputStream().available() > 0) {
                            cut.add(c);
                        }
                    }
                    sent++;
                    Thread.sleep(200);
                    if (sent % 5 == 0) {
                        assertThat(request(s.port(), "GET", "/health", null).body()).isEqualTo("OK");
                    }
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(cut).as("cut after %s, %d bytes each", took, sent).hasSize(slow.size());
                // 1 s deadline + a 250 ms sweep + a 200 ms byte gap + scheduling slack on a shared machine
                assertThat(took).isLessThan(Duration.ofSeconds(5));
                Answer a = read(slow.get(0).getInputStream());
                assertError(a, 408, "DEADLINE_EXCEEDED");
                assertThat(a.json().path("message").asText()).contains("headerTimeout").contains("1000 ms");
                assertThat(a.header("Connection")).isEqualTo("close");
                System.out.println("RELIABILITY header-deadline: " + slow.size() + " clients trickling a byte per 200 ms (idle timeout 2 s) cut "
                        + "after " + took.toMillis() + " ms with 408, /health answering throughout");
            } finally {
                for (Socket c : slow) {
                    c.close();
                }
            }
            // A client that is quick with each request keeps its keep-alive connection across many deadlines.
            try (Socket c = new Socket("127.0.0.1", s.port())) {
                c.setSoTimeout(10_000);
                for (int i = 0; i < 5; i++) {
                    c.getOutputStream().write(("GET " + API + "experiments/get?experiment_id=" + experimentId + " HTTP/1.1\r\nHost: x\r\n"
                            + "Authorization: Bearer " + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    c.getOutputStream().flush();
                    assertThat(readOne(c.getInputStream()).status()).isEqualTo(200);
                    Thread.sleep(600);
                }
            }
        }
    }

    @Test
    void oneAddressCannotTakeEveryConnection() throws Exception {
        // Before the per-client cap, one address could open maxConnections idle sockets and every other client waited
        // in the accept queue until the idle timeout: /health included.
        try (MlflowServer s = MlflowServer.builder(tracker).port(0).token(TOKEN).maxConnections(40).maxConnectionsPerClient(5)
                .idleTimeout(Duration.ofSeconds(20)).start()) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    idle.add(new Socket("127.0.0.1", s.port()));
                }
                Thread.sleep(100);
                try (Socket sixth = new Socket("127.0.0.1", s.port())) {
                    sixth.setSoTimeout(5_000);
                    Answer turned = read(sixth.getInputStream());
                    assertError(turned, 503, "TEMPORARILY_UNAVAILABLE");
                    assertThat(turned.header("Retry-After")).isEqualTo("1");
                    assertThat(turned.json().path("message").asText()).contains("maxConnectionsPerClient").contains("5");
                }
                // another address (127.0.0.2 is loopback too) is served while 127.0.0.1 is at its cap
                try (Socket other = new Socket()) {
                    other.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
                    other.connect(new java.net.InetSocketAddress("127.0.0.1", s.port()));
                    other.setSoTimeout(5_000);
                    other.getOutputStream().write(("GET " + API + "experiments/get?experiment_id=" + experimentId + " HTTP/1.1\r\nHost: x\r\n"
                            + "Authorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    assertThat(read(other.getInputStream()).status()).isEqualTo(200);
                }
            } finally {
                for (Socket c : idle) {
                    c.close();
                }
            }
            Thread.sleep(200);
            assertThat(request(s.port(), "GET", "/health", null).body()).isEqualTo("OK");
        }
    }
}
