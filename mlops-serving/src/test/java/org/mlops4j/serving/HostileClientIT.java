package org.mlops4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlops4j.serving.http.JettyTransport;
import org.mlops4j.serving.protocol.Limits;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile client against {@code mlops serve}'s server on loopback, raw HTTP/1.1 where a client library would not
 * send the bytes: slow headers and bodies, many connections from one address, bad methods, framing and encodings,
 * lenient number and version parsing, metric cardinality. Each test failed before its fix (RELIABILITY.md).
 */
class HostileClientIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "hostile-token-0123456789";
    static final String GOOD = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[0.1,18,2.3,0,0.5,6.5,65,4,1,296,15,5]}]}";
    static final String HEADER = "CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT";
    /** A small pool, a 1 s header deadline, a 1 s body deadline and at most 60 connections per address, so the slow tests are short. */
    static ModelServer server;
    static int port;

    @BeforeAll
    static void start() {
        ServingCore core = ServingCore.builder(HousePrices.registry()).model("house-prices@champion").follow(null).warmRows(10)
                .token(TOKEN).limits(Limits.defaults().withMaxBodyBytes(1 << 20)).build();
        server = ModelServer.start(core, "127.0.0.1", 0, new JettyTransport(16).withHeaderTimeout(Duration.ofSeconds(1))
                .withBodyTimeout(Duration.ofSeconds(1)).withIdleTimeout(Duration.ofSeconds(5)).withMaxConnectionsPerClient(60));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String req(String method, String path, String headers, String body) {
        return method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n" + headers
                + (body == null ? "" : "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n") + "\r\n" + (body == null ? "" : body);
    }

    static JsonNode json(Raw.Res r) throws Exception {
        return JSON.readTree(r.body());
    }

    static void assertClean(Raw.Res r) {
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("org.mlops4j").doesNotContain("org.eclipse").doesNotContain("\tat ")
                .doesNotContain("/work/");
    }

    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        Raw.Res get = Raw.send(port, req("GET", "/v2/models/house-prices/infer", "", null));
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("POST");
        assertThat(json(get).path("error").asText()).contains("GET").contains("POST");
        Raw.Res delete = Raw.send(port, req("DELETE", "/invocations", "", null));
        assertThat(delete.status()).isEqualTo(405);
        assertThat(delete.header("Allow")).isEqualTo("POST");
        assertThat(json(delete).path("error_code").asText()).isEqualTo("ENDPOINT_NOT_FOUND");
        Raw.Res brew = Raw.send(port, req("BREW", "/metrics", "", null));
        assertThat(brew.status()).isEqualTo(405);
        assertThat(brew.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void versionsInThePathAreAsciiDigitsOnly() throws Exception {
        assertThat(Raw.send(port, req("GET", "/v2/models/house-prices/versions/1/ready", "", null)).status()).isEqualTo(200);
        // fullwidth 1, Arabic-Indic 1, a sign, a leading zero: Integer.parseInt read each as version 1
        for (String v : List.of("%EF%BC%91", "%D9%A1", "+1", "01", "1%20", "99999999999999999999")) {
            Raw.Res r = Raw.send(port, req("GET", "/v2/models/house-prices/versions/" + v + "/ready", "", null));
            assertThat(r.status()).as(v + ": " + r.body()).isEqualTo(404);
            assertThat(json(r).path("error").asText()).contains("ASCII digits");
        }
    }

    @Test
    void compressedBodiesAndForeignCharsetsAre415AndRepeatedHeaders400() throws Exception {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                g.write(zeros); // 100 MiB of zeros in about 100 KB
            }
        }
        byte[] bomb = bo.toByteArray();
        byte[] head = ("POST /invocations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n"
                + "Content-Encoding: gzip\r\nConnection: close\r\nContent-Length: " + bomb.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + bomb.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bomb, 0, all, head.length, bomb.length);
        Raw.Res gz = Raw.send(port, all);
        assertThat(gz.status()).as(gz.body()).isEqualTo(415);
        assertThat(json(gz).path("message").asText()).contains("Content-Encoding 'gzip'").contains("uncompressed");
        Raw.Res br = Raw.send(port, req("POST", "/v2/models/house-prices/infer", "Content-Type: application/json\r\nContent-Encoding: br\r\n", GOOD));
        assertThat(br.status()).isEqualTo(415);
        Raw.Res utf16 = Raw.send(port, req("POST", "/v2/models/house-prices/infer", "Content-Type: application/json; charset=utf-16\r\n", GOOD));
        assertThat(utf16.status()).isEqualTo(415);
        assertThat(json(utf16).path("error").asText()).contains("utf-16").contains("UTF-8");
        assertThat(Raw.send(port, req("POST", "/v2/models/house-prices/infer", "Content-Type: application/json; charset=UTF-8\r\n", GOOD)).status())
                .isEqualTo(200);
        Raw.Res twoTypes = Raw.send(port, req("POST", "/v2/models/house-prices/infer", "Content-Type: application/json\r\nContent-Type: text/csv\r\n", GOOD));
        assertThat(twoTypes.status()).isEqualTo(400);
        assertThat(json(twoTypes).path("error").asText()).contains("2 Content-Type headers");
        String twoAuth = "POST /v2/models/house-prices/infer HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong-token-000000\r\nAuthorization: Bearer "
                + TOKEN + "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + GOOD.length() + "\r\n\r\n" + GOOD;
        Raw.Res auth = Raw.send(port, twoAuth);
        assertThat(auth.status()).isEqualTo(400);
        assertThat(json(auth).path("error").asText()).contains("2 Authorization headers");
    }

    @Test
    void jettysOwnRefusalsAre4xxJsonWithoutInternals() throws Exception {
        List<String> bad = List.of(
                "GET /v2/health/live HTTP/3.0\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /v2/health/live HTTP/2.0\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /v2\r\n\r\n",
                "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /v2 HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n",
                "GET /v2/models/%2e%2e/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /v2/models/a%00b/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\nabcdef");
        for (String r : bad) {
            Raw.Res res = Raw.send(port, r);
            assertThat(res.status()).as(r.substring(0, Math.min(60, r.length())) + " -> " + res.raw()).isBetween(400, 499);
            JsonNode body = json(res);
            assertThat(body.path("error").asText()).isNotBlank();
            assertThat(body.path("error_code").asText()).isNotBlank();
            assertClean(res);
        }
        // a broken chunked body: 400 without the exception's class name (it was "…: HttpEofException")
        Raw.Res chunked = Raw.send(port, "POST /invocations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n");
        assertThat(chunked.status()).isEqualTo(400);
        assertThat(json(chunked).path("message").asText()).contains("chunked");
        assertClean(chunked);
    }

    @Test
    void numericTextIsDecimalOnly() throws Exception {
        String ones = ",1".repeat(12);
        for (String v : List.of("0x1p3", "1f", "1d", "NaN", "Infinity", "-Infinity", "1e400")) {
            Raw.Res csv = Raw.send(port, req("POST", "/invocations", "Content-Type: text/csv\r\n", HEADER + "\n" + v + ones + "\n"));
            assertThat(csv.status()).as(v + ": " + csv.body()).isEqualTo(400);
            assertThat(json(csv).path("message").asText()).contains("'CRIM'").contains("expected a number");
            String row = "{\"rows\":[{\"CRIM\":\"" + v + "\",\"ZN\":1,\"INDUS\":1,\"CHAS\":1,\"NOX\":1,\"RM\":1,\"AGE\":1,\"DIS\":1,\"RAD\":1,\"TAX\":1,"
                    + "\"PTRATIO\":1,\"B\":1,\"LSTAT\":1}]}";
            Raw.Res rows = Raw.send(port, req("POST", "/predict/house-prices", "Content-Type: application/json\r\n", row));
            assertThat(rows.status()).as(v + ": " + rows.body()).isEqualTo(400);
            assertThat(json(rows).path("error").asText()).contains("'CRIM'");
        }
        String rest = ",18,2.3,0,0.5,6.5,65,4,1,296,15,396,5\n";
        Raw.Res ok = Raw.send(port, req("POST", "/invocations", "Content-Type: text/csv\r\n", HEADER + "\n+1.5e-1" + rest + ".5" + rest
                + "0.1,18,2.3,-0,0.5,6.5,65,4,1,296,15,396,5\n"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).path("predictions").size()).isEqualTo(3);
    }

    @Test
    void aMillionRowsAre413WithAClearBodyInEveryFormat() throws Exception {
        String row = "1,1,1,1,1,1,1,1,1,1,1,1,1";
        // declared length, and chunked (no length: refused as the bytes arrive)
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 1_000_000; i++) {
            csv.append(row).append('\n');
        }
        Raw.Res declared = Raw.send(port, req("POST", "/invocations", "Content-Type: text/csv\r\n", csv.toString()));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(json(declared).path("error_code").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(json(declared).path("message").asText()).contains("limit of 1048576 bytes");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /invocations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: text/csv\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = csv.substring(0, 65_536).getBytes(StandardCharsets.ISO_8859_1);
            try {
                for (int i = 0; i < 400; i++) { // 25 MiB offered; the server stops reading past 16 MiB
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } catch (java.io.IOException closed) {
                // the server answered and closed once past its discard cap
            }
            Raw.Res r = Raw.read(s.getInputStream());
            assertThat(r.status()).isEqualTo(413);
            assertThat(json(r).path("message").asText()).contains("longer than the limit of 1048576 bytes");
        }
        // within the body limit, over the row limit: rows named
        StringBuilder inst = new StringBuilder("{\"instances\":[");
        for (int i = 0; i < 20_000; i++) {
            inst.append(i > 0 ? "," : "").append('[').append(row).append(']');
        }
        Raw.Res rows = Raw.send(port, req("POST", "/invocations", "Content-Type: application/json\r\n", inst.append("]}").toString()));
        assertThat(rows.status()).isEqualTo(413);
        assertThat(json(rows).path("message").asText()).contains("20000 rows").contains("limit of 10000");
    }

    @Test
    void slowHeadersAreCutAtTheHeaderDeadlineAndHealthAnswers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Raw.Res>> slow = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                slow.add(pool.submit(() -> {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        s.setSoTimeout(10_000);
                        OutputStream out = s.getOutputStream();
                        out.write("GET /v2/health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
                        try {
                            for (int k = 0; k < 40; k++) { // a byte every 200 ms: inside the 5 s idle timeout, for 8 s
                                out.write('a');
                                out.flush();
                                Thread.sleep(200);
                            }
                        } catch (java.io.IOException closed) {
                            // cut off: read the answer
                        }
                        return Raw.read(s.getInputStream());
                    }
                }));
            }
            Http anon = new Http(server.uri(), null);
            assertThat(anon.get("/v2/health/live").status()).isEqualTo(200);
            for (Future<Raw.Res> f : slow) {
                Raw.Res r = f.get();
                assertThat(r.status()).as(r.raw()).isEqualTo(408);
                assertThat(json(r).path("error").asText()).contains("headers did not arrive within 1000 ms");
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("cut at the 1 s deadline, not after 8 s of trickling").isLessThan(6_000);
            System.out.println("RELIABILITY serving slow headers: 20 clients trickling a header byte every 200 ms answered 408 after " + ms + " ms");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fiftySlowBodiesHoldNoThreadAndHealthStaysResponsive() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("POST /invocations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"instances\":").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                slow.add(s);
            }
            Thread.sleep(300);
            Http anon = new Http(server.uri(), null);
            long t0 = System.nanoTime();
            HttpResponse<String> health = anon.client.send(HttpRequest.newBuilder(server.uri().resolve("/v2/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            long healthMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(health.statusCode()).isEqualTo(200);
            Http authed = new Http(server.uri(), TOKEN);
            assertThat(authed.post("/v2/models/house-prices/infer", GOOD).status()).isEqualTo(200);
            for (Socket s : slow) {
                Raw.Res r = Raw.read(s.getInputStream());
                assertThat(r.status()).as(r.raw()).isEqualTo(408);
                assertThat(json(r).path("message").asText()).contains("did not arrive within 1000 ms");
            }
            System.out.println("RELIABILITY serving slow bodies: 50 clients holding a body on 16 threads; /v2/health/ready answered in " + healthMs
                    + " ms, each slow client 408 after the 1 s body deadline");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void oneAddressCannotTakeEveryConnection() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                held.add(new Socket("127.0.0.1", port));
            }
            Thread.sleep(200);
            try (Socket extra = new Socket("127.0.0.1", port)) {
                extra.setSoTimeout(5_000);
                Raw.Res r = Raw.read(extra.getInputStream());
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("Retry-After")).isEqualTo("1");
                assertThat(json(r).path("error").asText()).contains("60 open connections");
            }
            try (Socket other = new Socket()) {
                other.bind(new InetSocketAddress("127.0.0.2", 0));
                other.connect(new InetSocketAddress("127.0.0.1", port));
                other.setSoTimeout(5_000);
                other.getOutputStream().write("GET /v2/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = other.getInputStream();
                assertThat(Raw.read(in).status()).isEqualTo(200);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        Thread.sleep(200);
        assertThat(new Http(server.uri(), null).get("/v2/health/live").status()).isEqualTo(200);
    }

    @Test
    void bodiesStillArrivingShareABoundedBuffer() throws Exception {
        ServingCore core = ServingCore.builder(HousePrices.registry()).model("house-prices@champion").follow(null).warmRows(10)
                .limits(Limits.defaults().withMaxBodyBytes(1 << 20)).build();
        try (ModelServer small = ModelServer.start(core, "127.0.0.1", 0, new JettyTransport(16).withMaxBufferedBytes(2L << 20))) {
            List<Socket> uploads = new ArrayList<>();
            try {
                byte[] part = new byte[900 * 1024];
                java.util.Arrays.fill(part, (byte) ' ');
                Raw.Res refused = null;
                for (int i = 0; i < 3 && refused == null; i++) {
                    Socket s = new Socket("127.0.0.1", small.port());
                    s.setSoTimeout(3_000);
                    uploads.add(s);
                    s.getOutputStream().write(("POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                            + (1 << 20) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().write(part);
                    s.getOutputStream().flush();
                    Thread.sleep(300);
                    if (i == 2) {
                        refused = Raw.read(s.getInputStream());
                    }
                }
                assertThat(refused).isNotNull();
                assertThat(refused.status()).as(refused.raw()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isEqualTo("1");
                assertThat(json(refused).path("message").asText()).contains("MiB of request bodies");
            } finally {
                for (Socket s : uploads) {
                    s.close();
                }
            }
            Thread.sleep(300);
            assertThat(new Http(small.uri(), null).post("/v2/models/house-prices/infer", GOOD).status()).as("the budget is given back").isEqualTo(200);
            assertThat(core.metrics().scrape()).contains("reason=\"buffered_bytes\"");
        }
    }

    @Test
    void tenThousandBadNamesDoNotGrowTheMetrics() throws Exception {
        Http authed = new Http(server.uri(), TOKEN);
        // one of each kind first: each creates its bounded series (a status, a latency histogram for model "none")
        for (int i = 10_000; i < 10_004; i++) {
            bad(authed, i);
        }
        long before = series(server.core().metrics().scrape());
        for (int i = 0; i < 10_000; i++) {
            assertThat(bad(authed, i).status()).isBetween(400, 499);
        }
        String after = server.core().metrics().scrape();
        assertThat(after).doesNotContain("bad-9").doesNotContain("field-9").doesNotContain("10099");
        assertThat(series(after)).as("metric series after 10,000 requests with distinct bad names").isEqualTo(before);
        System.out.println("RELIABILITY serving metrics: series " + before + " before and " + series(after) + " after 10,000 distinct bad names");
    }

    @Test
    void parserMessagesNameWhatIsWrongNeverTheParsersClasses() throws Exception {
        // Jackson's own notes ("bound as `com.fasterxml.jackson.databind.JsonNode`", "[Source: REDACTED (`StreamReadFeature...`",
        // "from `StreamReadConstraints.getMaxNestingDepth()`") were passed through to the client
        for (String body : List.of(GOOD + GOOD, GOOD + "{}", "{\"inputs\":[}", "{", "[".repeat(100) + "]".repeat(100),
                "{\"id\":\"" + "a".repeat(5000) + "\"}", "{\"a\":1,\"a\":2}")) {
            for (String path : List.of("/v2/models/house-prices/infer", "/invocations", "/predict/house-prices")) {
                Raw.Res r = Raw.send(port, req("POST", path, "Content-Type: application/json\r\n", body));
                assertThat(r.status()).as(path + " " + body.substring(0, Math.min(30, body.length()))).isEqualTo(400);
                JsonNode j = json(r);
                String message = j.path("error").asText(j.path("message").asText());
                assertThat(message).isNotBlank().doesNotContain("`").doesNotContain("Source").doesNotContain("jackson")
                        .doesNotContain("StreamRead").doesNotContain("bound as").doesNotContain("starting at");
                assertClean(r);
            }
        }
        Raw.Res trailing = Raw.send(port, req("POST", "/v2/models/house-prices/infer", "Content-Type: application/json\r\n", GOOD + GOOD));
        assertThat(json(trailing).path("error").asText()).contains("Trailing token").contains("line 1");
        Raw.Res deep = Raw.send(port, req("POST", "/invocations", "Content-Type: application/json\r\n", "[".repeat(100) + "]".repeat(100)));
        assertThat(json(deep).path("message").asText()).contains("nesting depth").contains("(16)");
    }

    @Test
    void transferCodingsOtherThanChunkedAndConnectAre400() throws Exception {
        // "Transfer-Encoding: gzip, chunked" was read as chunked and the gzip coding ignored: the body parsed as if uncoded
        for (String path : List.of("/v2/models/house-prices/infer", "/invocations")) {
            Raw.Res r = Raw.send(port, "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(GOOD.length()) + "\r\n" + GOOD + "\r\n0\r\n\r\n");
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            JsonNode j = json(r);
            assertThat(j.path("error").asText(j.path("message").asText())).contains("Transfer-Encoding 'gzip, chunked'").contains("only 'chunked'");
        }
        // CONNECT was answered 404 "no route /" and the connection left open, as if a tunnel might follow
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            Raw.Res r = Raw.read(in);
            assertThat(r.status()).isEqualTo(400);
            assertThat(json(r).path("error").asText()).contains("not a proxy");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(in.read()).as("the connection is closed").isEqualTo(-1);
        }
    }

    private static Http.Res bad(Http authed, int i) {
        return switch (i % 4) {
                case 0 -> authed.post("/v2/models/bad-" + i + "/infer", GOOD);
                case 1 -> authed.get("/v2/models/house-prices/versions/" + (100 + i));
                case 2 -> authed.post("/v2/models/house-prices/infer", "{\"field-" + i + "\":1}");
            default -> authed.post("/predict/bad-" + i, "{}");
        };
    }

    private static long series(String scrape) {
        return scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
    }
}
