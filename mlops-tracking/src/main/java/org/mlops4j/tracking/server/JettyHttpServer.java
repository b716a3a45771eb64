package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.mlops4j.tracking.internal.MlflowJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP server under {@link MlflowServer}: Jetty 12 core handlers (no servlets) passing every request
 * to the {@link MlflowHandler} as an {@link Exchange}. Only this class touches Jetty, so
 * {@code mlops-tracking} works without Jetty unless a server is started.
 *
 * <p>Slow clients hold no thread: a JSON body is read without blocking (Jetty calls back as bytes arrive)
 * within a total body deadline and the connection's idle timeout (408 past either), and only then does a
 * thread serve the request. Connections are capped in total.
 */
final class JettyHttpServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final SlowClientGuard guard;

    /**
     * Limits of the HTTP layer.
     *
     * @param maxRequestBytes  largest JSON body
     * @param maxArtifactBytes largest artifact upload
     * @param threads          most request threads
     * @param idleMillis       how long a connection may send nothing (headers, body) before it is closed
     * @param bodyMillis       how long reading a whole JSON body may take
     * @param maxConnections   most open connections
     * @param headerMillis     how long the request line and headers of one request may take to arrive, in total
     * @param maxConnectionsPerClient most open connections from one client address
     */
    record Settings(long maxRequestBytes, long maxArtifactBytes, int threads, long idleMillis, long bodyMillis, int maxConnections,
                    long headerMillis, int maxConnectionsPerClient) {
    }

    /**
     * Starts a server.
     *
     * @param handler  answers every request
     * @param host     interface to bind
     * @param port     port, 0 for any free one
     * @param settings limits of the HTTP layer
     */
    JettyHttpServer(MlflowHandler handler, String host, int port, Settings settings) {
        QueuedThreadPool pool = new QueuedThreadPool(settings.threads(), Math.min(4, settings.threads()));
        pool.setName("mlops-server");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setIdleTimeout(settings.idleMillis());
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(settings.idleMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
        guard = new SlowClientGuard(connector, settings.headerMillis(), settings.maxConnectionsPerClient());
        connector.addEventListener(guard);
        server.setErrorHandler(new JsonErrorHandler());
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                JettyExchange x = new JettyExchange(request, response, callback, settings);
                MlflowHandler.Admission a = handler.admit(x);
                if (a == null) {
                    return true;
                }
                if (!MlflowHandler.readsJsonBody(x)) {
                    handler.serve(a);
                    return true;
                }
                if (request.getLength() > settings.maxRequestBytes()) {
                    handler.refuse(a, 413, "REQUEST_LIMIT_EXCEEDED", "the request body of " + request.getLength()
                            + " bytes is larger than the limit of " + settings.maxRequestBytes() + " bytes");
                    return true;
                }
                new BodyReader(request, x, a, handler, settings).start();
                return true;
            }
        });
        server.setStopTimeout(1_000);
        try {
            server.start();
            guard.start();
        } catch (Exception e) {
            guard.close();
            try {
                server.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("cannot start the server on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** @return the bound port */
    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        guard.close();
        try {
            server.stop();
        } catch (TimeoutException e) {
            // Jetty stops everything anyway and reports afterwards that the graceful part (in-flight exchanges, a
            // client's half-closed keep-alive connection) outlasted the stop timeout: stopped, not a failure.
            org.slf4j.LoggerFactory.getLogger(JettyHttpServer.class).debug("graceful stop outlasted {} ms; connections closed",
                    server.getStopTimeout());
        } catch (Exception e) {
            throw new IllegalStateException("stopping the server failed: " + e.getMessage(), e);
        }
    }

    private static void json(Response response, Callback callback, int status, JsonNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        Content.Sink.write(response, true, MlflowJson.write(body), callback);
    }

    /**
     * Reads a JSON body as Jetty delivers it, holding no thread while the client is slow; then serves the
     * request. Past the body deadline, the idle timeout or the size limit the request is answered (408, 413)
     * and the connection closed.
     */
    private static final class BodyReader implements Runnable {
        private final Request request;
        private final JettyExchange x;
        private final MlflowHandler.Admission admission;
        private final MlflowHandler handler;
        private final Settings settings;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final AtomicBoolean settled = new AtomicBoolean();
        private ScheduledFuture<?> deadline;

        BodyReader(Request request, JettyExchange x, MlflowHandler.Admission admission, MlflowHandler handler, Settings settings) {
            this.request = request;
            this.x = x;
            this.admission = admission;
            this.handler = handler;
            this.settings = settings;
        }

        void start() {
            try {
                deadline = handler.timer().schedule(() -> fail(408, "DEADLINE_EXCEEDED", "the request body did not arrive within "
                        + settings.bodyMillis() + " ms (MlflowServer.Builder.idleTimeout)"), settings.bodyMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                fail(503, "TEMPORARILY_UNAVAILABLE", "the server is stopping");
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
                    if (t instanceof TimeoutException) {
                        fail(408, "DEADLINE_EXCEEDED", "the client sent nothing for " + settings.idleMillis()
                                + " ms while sending the request body (MlflowServer.Builder.idleTimeout)");
                    } else {
                        fail(400, "BAD_REQUEST", "the request body could not be read: " + t.getMessage());
                    }
                    return;
                }
                ByteBuffer buf = chunk.getByteBuffer();
                if (bytes.size() + (long) buf.remaining() > settings.maxRequestBytes()) {
                    chunk.release();
                    fail(413, "REQUEST_LIMIT_EXCEEDED", "the request body is larger than the limit of "
                            + settings.maxRequestBytes() + " bytes");
                    return;
                }
                byte[] part = new byte[buf.remaining()];
                buf.get(part);
                bytes.write(part, 0, part.length);
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    if (settled.compareAndSet(false, true)) {
                        deadline.cancel(false);
                        x.body = bytes.toByteArray();
                        handler.serve(admission);
                    }
                    return;
                }
            }
        }

        private void fail(int status, String code, String message) {
            if (settled.compareAndSet(false, true)) {
                if (deadline != null) {
                    deadline.cancel(false);
                }
                admission.exchange().setHeader("Connection", "close");
                handler.refuse(admission, status, code, message);
            }
        }
    }

    /**
     * Slow and greedy clients at the connection level, where no request exists yet: a client may take at most
     * {@code headerMillis} in total for the request line and headers of a request (a client trickling one byte
     * per idle period would otherwise keep its connection for ever; Jetty only bounds the time between bytes),
     * and may hold at most {@code perClient} open connections (more are answered 503 and closed at once, so one
     * address cannot take the whole connection limit). Past the header deadline the client gets 408 in
     * MLflow's error shape and the connection is closed. Checked by a sweep every quarter of the deadline
     * (at most 250 ms), so a deadline is kept to within that.
     */
    private static final class SlowClientGuard implements org.eclipse.jetty.io.Connection.Listener, AutoCloseable {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SlowClientGuard.class);
        private final ServerConnector connector;
        private final long headerMillis;
        private final int perClient;
        private final java.util.concurrent.ConcurrentHashMap<org.eclipse.jetty.io.Connection, String> clients =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> perAddress =
                new java.util.concurrent.ConcurrentHashMap<>();
        /** Per connection: {messages in when its current header phase was first seen, when}. */
        private final java.util.concurrent.ConcurrentHashMap<org.eclipse.jetty.io.EndPoint, long[]> headerPhase =
                new java.util.concurrent.ConcurrentHashMap<>();
        private java.util.concurrent.ScheduledExecutorService sweeper;

        SlowClientGuard(ServerConnector connector, long headerMillis, int perClient) {
            this.connector = connector;
            this.headerMillis = headerMillis;
            this.perClient = perClient;
        }

        void start() {
            sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mlops-server-header-deadline");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(10, Math.min(250, headerMillis / 4));
            sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            if (sweeper != null) {
                sweeper.shutdownNow();
            }
        }

        @Override
        public void onOpened(org.eclipse.jetty.io.Connection connection) {
            String address = address(connection.getEndPoint());
            clients.put(connection, address);
            int n = perAddress.computeIfAbsent(address, a -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            if (n > perClient) {
                LOG.debug("closing a connection from {}: it has {} open, the limit is {}", address, n - 1, perClient);
                answerAndClose(connection.getEndPoint(), 503, "TEMPORARILY_UNAVAILABLE", "this client already has " + perClient
                        + " open connections (MlflowServer.Builder.maxConnectionsPerClient); reuse one or retry shortly", true);
            }
        }

        @Override
        public void onClosed(org.eclipse.jetty.io.Connection connection) {
            headerPhase.remove(connection.getEndPoint());
            String address = clients.remove(connection);
            if (address != null) {
                perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        }

        private static String address(org.eclipse.jetty.io.EndPoint endPoint) {
            java.net.SocketAddress remote = endPoint.getRemoteSocketAddress();
            if (remote instanceof java.net.InetSocketAddress inet) {
                return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            }
            return String.valueOf(remote);
        }

        private void sweep() {
            try {
                long now = System.nanoTime();
                for (org.eclipse.jetty.io.EndPoint endPoint : connector.getConnectedEndPoints()) {
                    if (!(endPoint.getConnection() instanceof org.eclipse.jetty.server.internal.HttpConnection http)) {
                        continue;
                    }
                    org.eclipse.jetty.http.HttpParser parser = http.getParser();
                    if (parser.isStart() || !parser.inHeaderState()) {
                        headerPhase.remove(endPoint);
                        continue;
                    }
                    long messages = http.getMessagesIn();
                    long[] seen = headerPhase.compute(endPoint, (e, old) -> old != null && old[0] == messages ? old : new long[] {messages, now});
                    if (now - seen[1] > TimeUnit.MILLISECONDS.toNanos(headerMillis)) {
                        headerPhase.remove(endPoint);
                        LOG.debug("closing a connection from {}: its request headers took longer than {} ms", address(endPoint), headerMillis);
                        answerAndClose(endPoint, 408, "DEADLINE_EXCEEDED", "the request line and headers did not arrive within "
                                + headerMillis + " ms (MlflowServer.Builder.headerTimeout)", false);
                    }
                }
                headerPhase.keySet().removeIf(e -> !e.isOpen());
            } catch (RuntimeException e) {
                LOG.warn("the header-deadline sweep failed; it runs again shortly", e);
            }
        }

        /** Writes a whole HTTP/1.1 error response straight to the connection (no request exists), then closes it. */
        private static void answerAndClose(org.eclipse.jetty.io.EndPoint endPoint, int status, String code, String message, boolean retry) {
            byte[] body = MlflowJson.write(ApiError.json(code, message)).getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + (status == 408 ? " Request Timeout" : " Service Unavailable")
                    + "\r\nContent-Type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n"
                    + (retry ? "Retry-After: 1\r\n" : "") + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
            ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
            out.put(head.getBytes(StandardCharsets.ISO_8859_1)).put(body).flip();
            try {
                endPoint.write(Callback.from(endPoint::close, failed -> endPoint.close()), out);
            } catch (RuntimeException busy) {
                endPoint.close(); // a write under way (WritePendingException) or already closed: just close
            }
        }
    }

    /**
     * Jetty's own errors (bad request lines, unsupported HTTP versions, oversized headers) as MLflow error
     * JSON without stack traces, always with a client-error status: they answer what a client sent.
     */
    private static final class JsonErrorHandler extends ErrorHandler {
        JsonErrorHandler() {
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            String text = message == null || message.isBlank() ? "HTTP " + code : message;
            int status = code;
            String error;
            if (code == 404) {
                error = "ENDPOINT_NOT_FOUND";
            } else if (code == 413 || code == 414 || code == 431) {
                error = "REQUEST_LIMIT_EXCEEDED";
            } else if (code == 408) {
                error = "DEADLINE_EXCEEDED";
            } else if (code == 500 && cause != null && !(cause instanceof org.eclipse.jetty.http.BadMessageException)) {
                error = "INTERNAL_ERROR"; // a fault of this server; the handler itself never lets one out
            } else if (code >= 500) {
                status = 400; // 505 and the like: what the client sent is not HTTP this server speaks
                error = "MALFORMED_REQUEST";
                text = "malformed request: " + text + " (this server speaks HTTP/1.1 and HTTP/1.0)";
            } else {
                error = "BAD_REQUEST";
            }
            json(response, callback, status, ApiError.json(error, text));
        }
    }

    /** One Jetty request as an {@link Exchange}. */
    private static final class JettyExchange implements Exchange {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Settings settings;
        /** The JSON body, once {@link BodyReader} has read it. */
        private volatile byte[] body;
        /** Whether a handler took the request body (read it, or streams it as an upload). */
        private volatile boolean bodyTaken;

        JettyExchange(Request request, Response response, Callback callback, Settings settings) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.settings = settings;
        }

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
        public String remoteAddress() {
            return Request.getRemoteAddr(request);
        }

        @Override
        public ObjectNode query() {
            ObjectNode o = MlflowJson.object();
            Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            for (Fields.Field f : fields) {
                if (f.getValues().size() == 1) {
                    o.put(f.getName(), f.getValue());
                } else {
                    f.getValues().forEach(o.withArray(f.getName())::add);
                }
            }
            return o;
        }

        @Override
        public byte[] body() throws IOException {
            if (body != null) {
                return body;
            }
            String what = "the request body";
            LimitedInputStream.checkDeclared(request.getLength(), settings.maxRequestBytes(), what);
            bodyTaken = true;
            try (InputStream in = new LimitedInputStream(Content.Source.asInputStream(request), settings.maxRequestBytes(), what)) {
                return in.readAllBytes();
            }
        }

        /**
         * An answer sent before the request body was read (401, 413, 503 …) tells the client that this
         * connection closes: Jetty drops a connection whose body is left unread, and a keep-alive client
         * that did not hear so would send its next request into a closed socket.
         */
        private void closeIfBodyUnread() {
            if (body != null || bodyTaken) {
                return;
            }
            long length = request.getLength();
            if (length > 0 || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING))) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
        }

        @Override
        public InputStream upload() throws IOException {
            String what = "the artifact";
            bodyTaken = true;
            LimitedInputStream.checkDeclared(request.getLength(), settings.maxArtifactBytes(), what);
            return new LimitedInputStream(Content.Source.asInputStream(request), settings.maxArtifactBytes(), what);
        }

        @Override
        public void text(int status, String text) {
            closeIfBodyUnread();
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            Content.Sink.write(response, true, text, callback);
        }

        @Override
        public void json(int status, JsonNode json) {
            closeIfBodyUnread();
            JettyHttpServer.json(response, callback, status, json);
        }

        @Override
        public void stream(InputStream content) throws IOException {
            response.setStatus(200);
            // Bytes a client uploaded are never rendered by a browser that opens the link: no sniffing, a type
            // that renders nothing, and a download rather than a page.
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            if (!response.getHeaders().contains(HttpHeader.CONTENT_DISPOSITION)) {
                response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment");
            }
            response.getHeaders().put("Content-Security-Policy", "sandbox");
            OutputStream out = Content.Sink.asOutputStream(response);
            content.transferTo(out);
            out.close();
            callback.succeeded();
        }

        @Override
        public void setHeader(String name, String value) {
            response.getHeaders().put(name, value);
        }

        @Override
        public void abort(IOException failure) {
            callback.failed(failure);
        }
    }
}
