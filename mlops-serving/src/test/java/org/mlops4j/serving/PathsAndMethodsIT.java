package org.mlops4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlops4j.serving.http.JettyTransport;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HEAD and {@code Allow} as RFC 9110 has them, and one spelling per route, against {@code mlops serve}'s server on
 * loopback over raw HTTP/1.1 (a client library resolves dot segments before it sends). Each test failed before its fix:
 * HEAD was 405 on every GET route, and {@code /v2/health/live/../../../metrics}, {@code /metrics;x} and
 * {@code /./metrics} reached {@code /metrics}.
 */
class PathsAndMethodsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "paths-token-0123456789";
    static ModelServer server;
    static int port;

    /** Every GET route of the server. */
    static final List<String> GET_ROUTES = List.of("/v2", "/v2/health/live", "/v2/health/ready", "/v2/models", "/v2/models/house-prices",
            "/v2/models/house-prices/ready", "/v2/models/house-prices/versions/1", "/v2/models/house-prices/versions/1/ready",
            "/v2/models/house-prices/drift", "/v2/models/house-prices/drift.html", "/ping", "/health", "/version", "/metrics");

    @BeforeAll
    static void start() {
        ServingCore core = ServingCore.builder(HousePrices.registry()).model("house-prices@champion").follow(null).warmRows(10).token(TOKEN).build();
        server = ModelServer.start(core, "127.0.0.1", 0, new JettyTransport(16));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String req(String method, String path, boolean token, boolean close) {
        return method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + (token ? "Authorization: Bearer " + TOKEN + "\r\n" : "")
                + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    /** The status line and headers of one response, nothing more. */
    static Map<String, String> readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int b;
        while (state < 4 && (b = in.read()) >= 0) {
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : b == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":status", lines[0].split(" ")[1]);
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            h.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
        }
        return h;
    }

    @Test
    void headIsGetWithoutABodyOnEveryGetRoute() throws Exception {
        for (String path : GET_ROUTES) {
            // HEAD then GET on one keep-alive connection: a body after the HEAD would be read as the GET's status line
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write((req("HEAD", path, true, false) + req("GET", path, true, true)).getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                Map<String, String> head = readHead(in);
                Raw.Res get = Raw.read(in);
                assertThat(head.get(":status")).as("HEAD " + path).isEqualTo(Integer.toString(get.status()));
                assertThat(get.status()).as("GET " + path + ": " + get.body()).isEqualTo(200);
                assertThat(head.get("content-type")).as(path).isEqualTo(get.header("Content-Type"));
                if (!path.equals("/metrics")) { // the scrape grows by the HEAD itself
                    assertThat(head.get("content-length")).as(path).isEqualTo(get.header("Content-Length"));
                } else {
                    assertThat(Long.parseLong(head.get("content-length"))).isPositive();
                }
            }
        }
    }

    @Test
    void allowListsWhatIsAllowed() throws Exception {
        for (String path : GET_ROUTES) {
            for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW")) {
                Raw.Res r = Raw.send(port, req(method, path, true, true));
                assertThat(r.status()).as(method + " " + path).isEqualTo(405);
                assertThat(r.header("Allow")).as(method + " " + path).isEqualTo("GET, HEAD");
                JsonNode body = JSON.readTree(r.body());
                assertThat(body.has("error") || body.has("message")).isTrue();
            }
        }
        for (String path : List.of("/v2/models/house-prices/infer", "/v2/models/house-prices/versions/1/infer", "/v2/models/house-prices/feedback",
                "/invocations", "/predict/house-prices")) {
            for (String method : List.of("HEAD", "GET", "PUT", "OPTIONS")) {
                Raw.Res r = Raw.send(port, req(method, path, true, true));
                assertThat(r.status()).as(method + " " + path).isEqualTo(405);
                assertThat(r.header("Allow")).as(method + " " + path).isEqualTo("POST");
            }
        }
    }

    @Test
    void aRouteHasOneSpellingAndTheTokenIsDecidedOnIt() throws Exception {
        List<String> second = List.of(
                "/v2/models/../../metrics", "/v2/health/live/../../../metrics", "/v2/health/../../metrics", "/./metrics", "/v2/./health/live",
                "/v2/models/house-prices/./ready", "/v2/models/house-prices/versions/1/..", "/metrics;x=1", "/v2/health/live;x",
                "/v2/models/house-prices;v=1/ready", "/v2/health/live/..;/../../metrics", "/invocations;a", "/ping;a",
                "/v2/models/%2e%2e/%2e%2e/metrics", "/v2/models/.%2E/metrics", "/v2/health/live/%2e%2e/%2e%2e/%2e%2e/metrics", "//metrics",
                "/v2//models/house-prices", "/v2/models/house-prices%2Fready", "/v2/models/house-prices%2fready", "/v2/models/a%5Cb/ready",
                "/v2\\models\\house-prices", "/v2/models/a%00b/ready", "/v2/models/a%0d%0aX-Injected:%201/ready");
        for (String path : second) {
            for (boolean token : new boolean[] {false, true}) {
                Raw.Res r = Raw.send(port, req("GET", path, token, true));
                assertThat(r.status()).as("GET " + path + (token ? " with" : " without") + " the token: " + r.raw()).isEqualTo(400);
                JsonNode body = JSON.readTree(r.body());
                String message = body.path("error").asText(body.path("message").asText());
                assertThat(message).as(path).isNotBlank();
                assertThat(r.body()).doesNotContain("mlops_serving").doesNotContain("Exception").doesNotContain("org.");
                assertThat(r.header("X-Injected")).isNull();
            }
        }
        Raw.Res dots = Raw.send(port, req("GET", "/v2/health/live/../../../metrics", false, true));
        assertThat(JSON.readTree(dots.body()).path("error").asText()).contains("'..' segment");
        Raw.Res params = Raw.send(port, req("POST", "/invocations;a", false, true));
        assertThat(JSON.readTree(params.body()).path("error_code").asText()).as("MLflow's shape on an MLflow route").isEqualTo("BAD_REQUEST");
        assertThat(JSON.readTree(params.body()).path("message").asText()).contains("';'");
        // the canonical spellings still answer, and the token is still asked for where it was
        assertThat(Raw.send(port, req("GET", "/metrics", false, true)).status()).isEqualTo(401);
        assertThat(Raw.send(port, req("GET", "/metrics", true, true)).status()).isEqualTo(200);
        assertThat(Raw.send(port, req("GET", "/v2/health/live", false, true)).status()).isEqualTo(200);
        assertThat(Raw.send(port, req("GET", "/v2/models/house-prices/", true, true)).status()).as("a trailing slash is left to the route").isEqualTo(200);
        // the core refuses a second spelling from any transport, not only Jetty
        ServingResponse inProcess = server.core().handle(ServingRequest.of("GET", "/v2/health/live/../../../metrics", Map.of(), new byte[0]));
        assertThat(inProcess.status()).isEqualTo(400);
    }
}
