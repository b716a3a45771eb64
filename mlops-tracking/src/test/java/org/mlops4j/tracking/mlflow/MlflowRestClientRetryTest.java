package org.mlops4j.tracking.mlflow;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.tracking.internal.MlflowJson;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A busy server's 503/429 is retried after a pause; any other error, and a server that stays busy, is the answer.
 * The peer is a loopback HTTP server answering as {@code mlops server} does at its in-flight limit.
 */
class MlflowRestClientRetryTest {
    private HttpServer peer;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int busyAnswers;
    private volatile int busyStatus = 503;

    @BeforeEach
    void start() throws Exception {
        peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        peer.createContext("/", x -> {
            int n = calls.incrementAndGet();
            byte[] body;
            int status;
            if (x.getRequestURI().getPath().endsWith("/bad")) {
                status = 400;
                body = "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"no\"}".getBytes(StandardCharsets.UTF_8);
            } else if (n <= busyAnswers) {
                status = busyStatus;
                x.getResponseHeaders().add("Retry-After", "0");
                body = "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"at its limit\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            }
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        peer.start();
    }

    @AfterEach
    void stop() {
        peer.stop(0);
    }

    private MlflowRestClient client() {
        return new MlflowRestClient(URI.create("http://127.0.0.1:" + peer.getAddress().getPort()), null, Duration.ofSeconds(5));
    }

    @Test
    void aBusyAnswerIsRetriedUntilTheServerTakesTheCall() {
        busyAnswers = 3;
        assertThat(client().post("runs/create", MlflowJson.object()).path("ok").asBoolean()).isTrue();
        assertThat(calls.get()).isEqualTo(4);
        busyStatus = 429;
        calls.set(0);
        assertThat(client().get("runs/get", Map.of("run_id", "r")).path("ok").asBoolean()).isTrue();
        assertThat(calls.get()).isEqualTo(4);
    }

    @Test
    void aServerThatStaysBusyIsReportedUnavailableAfterTheLastAttempt() {
        busyAnswers = Integer.MAX_VALUE;
        assertThatThrownBy(() -> client().post("runs/create", MlflowJson.object()))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("HTTP 503").hasMessageContaining("at its limit");
        assertThat(calls.get()).isEqualTo(MlflowRestClient.ATTEMPTS);
    }

    @Test
    void aClientErrorIsNotRetried() {
        assertThatThrownBy(() -> client().post("bad", MlflowJson.object())).hasMessageContaining("HTTP 400");
        assertThat(calls.get()).isEqualTo(1);
    }
}
