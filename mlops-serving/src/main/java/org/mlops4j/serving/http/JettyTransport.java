package org.mlops4j.serving.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.mlops4j.serving.ServingCore;
import org.mlops4j.serving.ServingRequest;
import org.mlops4j.serving.ServingResponse;
import org.mlops4j.serving.protocol.RequestException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Jetty 12 adapter: core {@code Handler}s (no servlets) on platform threads (short CPU-bound predictions
 * lose 18–50 % on virtual threads), every request handed to the {@link ServingCore}.
 *
 * <p>Slow and hostile clients cost no thread: a request body is read as Jetty delivers it (no thread waits for
 * a slow client), within a total body deadline and the idle timeout (408 past either, 413 past the core's body
 * limit), and only then does a thread answer the request. The request line and headers of each request must
 * arrive within a header deadline, however steadily a client trickles them (408), and one client address may
 * hold a bounded number of open connections (503 with {@code Retry-After} beyond, so one address cannot take
 * them all). Jetty's own refusals (a malformed request line, oversized headers or URI, an unsupported HTTP
 * version) are answered 4xx as JSON in the protocol's error shape, never with a stack trace. Thread-safe and
 * immutable; each {@code with…} returns a copy.
 * {@snippet :
 * Transport t = new JettyTransport().withHeaderTimeout(Duration.ofSeconds(10)).withMaxConnectionsPerClient(50);
 * try (Transport.Binding b = t.bind(core, "127.0.0.1", 0)) {
 *     int port = b.port();
 * }
 * }
 */
public final class JettyTransport implements Transport {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JettyTransport.class);
    private final int threads;
    private final Duration headerTimeout;
    private final Duration idleTimeout;
    private final Duration bodyTimeout;
    private final int maxConnectionsPerClient;
    private final int maxConnections;
    private final long maxBufferedBytes;

    /** A transport with a thread pool sized for the core's concurrency and queue, and the default limits. */
    public JettyTransport() {
        this(0);
    }

    /** @param threads most request threads (0: the core's concurrency plus its queue plus 8, for health checks under load) */
    public JettyTransport(int threads) {
        this(threads, Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(30), 100, 1_000, 0);
    }

    private JettyTransport(int threads, Duration headerTimeout, Duration idleTimeout, Duration bodyTimeout, int maxConnectionsPerClient,
                           int maxConnections, long maxBufferedBytes) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 but was " + threads);
        }
        positive("headerTimeout", headerTimeout);
        positive("idleTimeout", idleTimeout);
        positive("bodyTimeout", bodyTimeout);
        if (maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("maxConnectionsPerClient must be >= 1 but was " + maxConnectionsPerClient);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1 but was " + maxConnections);
        }
        this.threads = threads;
        this.headerTimeout = headerTimeout;
        this.idleTimeout = idleTimeout;
        this.bodyTimeout = bodyTimeout;
        this.maxConnectionsPerClient = maxConnectionsPerClient;
        this.maxConnections = maxConnections;
        if (maxBufferedBytes < 0) {
            throw new IllegalArgumentException("maxBufferedBytes must be >= 0 but was " + maxBufferedBytes);
        }
        this.maxBufferedBytes = maxBufferedBytes;
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive but was " + d);
        }
    }

    /**
     * @param d longest the request line and headers of one request may take to arrive, in total (default 20 s; 408 beyond)
     * @return a copy
     */
    public JettyTransport withHeaderTimeout(Duration d) {
        return new JettyTransport(threads, d, idleTimeout, bodyTimeout, maxConnectionsPerClient, maxConnections, maxBufferedBytes);
    }

    /**
     * @param d longest a connection may send nothing, between requests or within one (default 30 s; 408 within a request)
     * @return a copy
     */
    public JettyTransport withIdleTimeout(Duration d) {
        return new JettyTransport(threads, headerTimeout, d, bodyTimeout, maxConnectionsPerClient, maxConnections, maxBufferedBytes);
    }

    /**
     * @param d longest the whole request body may take to arrive (default 30 s; 408 beyond)
     * @return a copy
     */
    public JettyTransport withBodyTimeout(Duration d) {
        return new JettyTransport(threads, headerTimeout, idleTimeout, d, maxConnectionsPerClient, maxConnections, maxBufferedBytes);
    }

    /**
     * @param n most open connections from one client address (default 100; the next is answered 503 and closed).
     *          Behind a reverse proxy every client shares its address: raise it there.
     * @return a copy
     */
    public JettyTransport withMaxConnectionsPerClient(int n) {
        return new JettyTransport(threads, headerTimeout, idleTimeout, bodyTimeout, n, maxConnections, maxBufferedBytes);
    }

    /**
     * @param n most open connections in total (default 1,000; more wait to be accepted)
     * @return a copy
     */
    public JettyTransport withMaxConnections(int n) {
        return new JettyTransport(threads, headerTimeout, idleTimeout, bodyTimeout, maxConnectionsPerClient, n, maxBufferedBytes);
    }

    /**
     * @param bytes most request-body bytes held at once across all connections while they arrive (default 0: a quarter
     *              of the heap, at least 64 MiB); a body that would pass it is answered 503 with {@code Retry-After}.
     *              Bodies are read without a thread, so without this bound a thousand slow uploads could fill the heap.
     * @return a copy
     */
    public JettyTransport withMaxBufferedBytes(long bytes) {
        return new JettyTransport(threads, headerTimeout, idleTimeout, bodyTimeout, maxConnectionsPerClient, maxConnections, bytes);
    }

    @Override
    public Binding bind(ServingCore core, String host, int port) {
        int n = threads > 0 ? threads : Math.max(16, Runtime.getRuntime().availableProcessors() * 2 + Math.min(core.limits().maxQueued(), 256) + 8);
        QueuedThreadPool pool = new QueuedThreadPool(n, Math.min(8, n));
        pool.setName("mlops-serving");
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(false);
        http.setRequestHeaderSize(16 * 1024);
        http.setIdleTimeout(idleTimeout.toMillis());
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(maxConnections, connector));
        Counter.Builder refused = Counter.builder("mlops.serving.http.refused").description("Requests and connections refused by the HTTP layer, by reason");
        var registry = core.metrics().registry();
        Counter headerLate = refused.tags("reason", "header_timeout").register(registry);
        Counter perClient = refused.tags("reason", "connections_per_client").register(registry);
        Counter malformed = refused.tags("reason", "malformed_http").register(registry);
        SlowClientGuard guard = new SlowClientGuard(connector, headerTimeout.toMillis(), maxConnectionsPerClient, headerLate, perClient);
        connector.addEventListener(guard);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlops-serving-body-deadline");
            t.setDaemon(true);
            return t;
        });
        server.setErrorHandler(new JsonErrorHandler(malformed));
        long maxBody = core.limits().maxBodyBytes();
        long budget = maxBufferedBytes > 0 ? maxBufferedBytes : Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);
        java.util.concurrent.atomic.AtomicLong buffered = new java.util.concurrent.atomic.AtomicLong();
        Counter overBudget = refused.tags("reason", "buffered_bytes").register(registry);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                long declared = request.getLength();
                boolean hasBody = declared > 0 || (declared < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
                if (!hasBody) {
                    answer(core, new JettyRequest(request, new byte[0], null), response, callback, false);
                    return true;
                }
                if (declared > maxBody && request.getHeaders().contains(HttpHeader.EXPECT)) {
                    // the client waits for 100 Continue before sending: refuse at once, nothing is sent
                    answer(core, new JettyRequest(request, null, RequestException.tooLarge("body", "the request body has " + declared
                            + " bytes, more than the limit of " + maxBody + " bytes")), response, callback, true);
                    return true;
                }
                new BodyReader(core, request, response, callback, maxBody, bodyTimeout.toMillis(), timer, pool, buffered, budget, overBudget).start();
                return true;
            }
        });
        server.setStopTimeout(5_000);
        try {
            server.start();
            guard.start();
        } catch (Exception e) {
            guard.close();
            timer.shutdownNow();
            try {
                server.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("cannot start the server on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new Binding() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void close() {
                guard.close();
                timer.shutdownNow();
                try {
                    server.stop();
                } catch (TimeoutException e) {
                    LOG.debug("graceful stop outlasted {} ms; connections closed", server.getStopTimeout());
                } catch (Exception e) {
                    throw new IllegalStateException("stopping the server failed: " + e.getMessage(), e);
                }
            }
        };
    }

    private static void answer(ServingCore core, JettyRequest req, Response response, Callback callback, boolean close) {
        ServingResponse r = core.handle(req);
        response.setStatus(r.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, r.contentType());
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            response.getHeaders().put(h.getKey(), h.getValue());
        }
        if (close || "CONNECT".equals(req.method())) { // a refused tunnel: nothing more comes on this connection
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, r.body().length);
        response.write(true, ByteBuffer.wrap(r.body()), callback);
    }

    /**
     * Reads a body as Jetty delivers it (no thread waits for the client), then answers on a pool thread. Past the
     * core's body limit it keeps reading and discarding (up to 4 times the limit, at least 16 MiB) so the client
     * reads the 413 instead of a reset; past the body deadline or the idle timeout it answers 408. Every refusal
     * closes the connection.
     */
    private static final class BodyReader implements Runnable {
        private final ServingCore core;
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final long maxBody;
        private final long bodyMillis;
        private final ScheduledExecutorService timer;
        private final QueuedThreadPool pool;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final AtomicBoolean settled = new AtomicBoolean();
        private final java.util.concurrent.atomic.AtomicLong buffered;
        private final long budget;
        private final Counter overBudget;
        /** Bytes of the shared budget this body holds. */
        private final java.util.concurrent.atomic.AtomicLong reserved = new java.util.concurrent.atomic.AtomicLong();
        private long total;
        private RequestException tooLarge;
        private ScheduledFuture<?> deadline;

        BodyReader(ServingCore core, Request request, Response response, Callback callback, long maxBody, long bodyMillis,
                   ScheduledExecutorService timer, QueuedThreadPool pool, java.util.concurrent.atomic.AtomicLong buffered, long budget,
                   Counter overBudget) {
            this.bodyMillis = bodyMillis;
            this.buffered = buffered;
            this.budget = budget;
            this.overBudget = overBudget;
            this.core = core;
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.maxBody = maxBody;
            this.timer = timer;
            this.pool = pool;
            long declared = request.getLength();
            if (declared > maxBody) {
                tooLarge = RequestException.tooLarge("body", "the request body has " + declared + " bytes, more than the limit of " + maxBody + " bytes");
            }
        }

        void start() {
            long millis = bodyMillis;
            try {
                deadline = timer.schedule(() -> settleOnPool(RequestException.requestTimeout("the request body did not arrive within "
                        + millis + " ms (JettyTransport.withBodyTimeout)")), millis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                settle(null, RequestException.unavailable("the server is stopping", 1));
                return;
            }
            run();
        }

        @Override
        public void run() {
            while (!settled.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable t = chunk.getFailure();
                    settle(null, t instanceof TimeoutException
                            ? RequestException.requestTimeout("the client sent nothing for " + request.getConnectionMetaData().getConnector().getIdleTimeout()
                            + " ms while sending the request body (JettyTransport.withIdleTimeout)")
                            : RequestException.badRequest("body", "the request body could not be read: it ended early or its chunked framing is invalid"));
                    return;
                }
                ByteBuffer buf = chunk.getByteBuffer();
                int r = buf.remaining();
                total += r;
                if (tooLarge == null && total > maxBody) {
                    tooLarge = RequestException.tooLarge("body", "the request body is longer than the limit of " + maxBody + " bytes");
                    bytes.reset();
                }
                if (tooLarge == null) {
                    if (buffered.addAndGet(r) > budget) {
                        buffered.addAndGet(-r);
                        chunk.release();
                        overBudget.increment();
                        settle(null, RequestException.unavailable("the server holds " + (budget >> 20) + " MiB of request bodies that are still"
                                + " arriving (JettyTransport.withMaxBufferedBytes); retry shortly", 1));
                        return;
                    }
                    reserved.addAndGet(r);
                    if (settled.get()) { // answered meanwhile (the body deadline): give the bytes back
                        buffered.addAndGet(-reserved.getAndSet(0));
                        chunk.release();
                        return;
                    }
                    byte[] part = new byte[r];
                    buf.get(part);
                    bytes.write(part, 0, r);
                }
                boolean last = chunk.isLast();
                chunk.release();
                if (tooLarge != null && total > Math.max(16L << 20, 4 * maxBody)) {
                    settle(null, tooLarge);
                    return;
                }
                if (last) {
                    if (tooLarge != null) {
                        settle(null, tooLarge);
                    } else {
                        settle(bytes.toByteArray(), null);
                    }
                    return;
                }
            }
        }

        private void settleOnPool(RequestException e) {
            try {
                pool.execute(() -> settle(null, e));
            } catch (RejectedExecutionException full) {
                settle(null, e);
            }
        }

        private void settle(byte[] body, RequestException failure) {
            if (settled.compareAndSet(false, true)) {
                if (deadline != null) {
                    deadline.cancel(false);
                }
                try {
                    answer(core, new JettyRequest(request, body, failure), response, callback, failure != null);
                } finally {
                    buffered.addAndGet(-reserved.getAndSet(0));
                }
            }
        }
    }

    /** A request whose body is already read (or refused). */
    private record JettyRequest(Request request, byte[] body, RequestException failure) implements ServingRequest {
        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return Request.getPathInContext(request);
        }

        @Override
        public String rawPath() {
            return request.getHttpURI().getPath();
        }

        @Override
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        @Override
        public List<String> headers(String name) {
            return request.getHeaders().getValuesList(name);
        }

        @Override
        public byte[] body(long maxBytes) {
            if (failure != null) {
                throw failure;
            }
            if (body.length > maxBytes) {
                throw RequestException.tooLarge("body", "the request body has " + body.length + " bytes, more than the limit of " + maxBytes + " bytes");
            }
            return body;
        }
    }

    /** The error body for a refusal outside any route: both protocols' fields, so either kind of client reads it. */
    static byte[] errorBody(String code, String message) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("error", message);
        o.put("error_code", code);
        o.put("message", message);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Jetty's own errors (bad request lines, unsupported HTTP versions, oversized headers or URI, ambiguous paths) as
     * JSON without stack traces, always a client-error status: they answer what a client sent.
     */
    private static final class JsonErrorHandler extends ErrorHandler {
        private final Counter malformed;

        JsonErrorHandler(Counter malformed) {
            this.malformed = malformed;
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            malformed.increment();
            String text = message == null || message.isBlank() ? "HTTP " + code : message;
            int status = code;
            String error;
            if (code == 413 || code == 414 || code == 431) {
                error = "REQUEST_LIMIT_EXCEEDED";
                text = text + (code == 431 ? " (at most 16 KiB of request headers)" : code == 414 ? " (the request line is limited with the headers to 16 KiB)" : "");
            } else if (code == 408) {
                error = "DEADLINE_EXCEEDED";
            } else if (code >= 500 || code == 426) {
                status = 400; // 505, 426 and the like: what the client sent is not HTTP this server speaks
                error = "MALFORMED_REQUEST";
                text = "malformed request: " + text + " (this server speaks HTTP/1.1 and HTTP/1.0)";
            } else {
                error = "BAD_REQUEST";
                text = "malformed request: " + text;
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, ServingResponse.JSON);
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.write(true, ByteBuffer.wrap(errorBody(error, text)), callback);
        }
    }
}
