package org.mlops4j.serving.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The Jetty 12 adapter: core {@code Handler}s (no servlets) on platform threads (short CPU-bound predictions
 * lose 18–50 % on virtual threads), every request handed to the {@link ServingCore}. Jetty's own refusals
 * (a malformed request line, oversized headers) are answered as JSON without stack traces. Thread-safe.
 * {@snippet :
 * try (Transport.Binding b = new JettyTransport().bind(core, "127.0.0.1", 0)) {
 *     int port = b.port();
 * }
 * }
 */
public final class JettyTransport implements Transport {
    private final int threads;

    /** A transport with a thread pool sized for the core's concurrency and queue. */
    public JettyTransport() {
        this(0);
    }

    /** @param threads most request threads (0: the core's concurrency plus its queue plus 8, for health checks under load) */
    public JettyTransport(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 but was " + threads);
        }
        this.threads = threads;
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
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(60_000);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrorHandler());
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                JettyRequest req = new JettyRequest(request, new boolean[1]);
                ServingResponse r = core.handle(req);
                if (!req.read()[0]) {
                    // refused before its body was read (401, 404, 415…): read what the client sends, so the connection
                    // stays usable and the client reads the answer instead of a reset
                    try (InputStream in = Content.Source.asInputStream(request)) {
                        JettyRequest.drain(in, 0);
                    } catch (IOException ignored) {
                        // the client went away
                    }
                }
                response.setStatus(r.status());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, r.contentType());
                for (Map.Entry<String, String> h : r.headers().entrySet()) {
                    response.getHeaders().put(h.getKey(), h.getValue());
                }
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, r.body().length);
                response.write(true, ByteBuffer.wrap(r.body()), callback);
                return true;
            }
        });
        server.setStopTimeout(5_000);
        try {
            server.start();
        } catch (Exception e) {
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
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IllegalStateException("stopping the server failed: " + e.getMessage(), e);
                }
            }
        };
    }

    private record JettyRequest(Request request, boolean[] read) implements ServingRequest {
        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return Request.getPathInContext(request);
        }

        @Override
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        @Override
        public byte[] body(long maxBytes) {
            read[0] = true;
            long declared = request.getLength();
            try (InputStream in = Content.Source.asInputStream(request)) {
                if (declared > maxBytes) {
                    drain(in, maxBytes);
                    throw RequestException.tooLarge("body", "the request body has " + declared + " bytes, more than the limit of " + maxBytes);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
                byte[] buf = new byte[8192];
                long total = 0;
                int r;
                while ((r = in.read(buf)) >= 0) {
                    total += r;
                    if (total > maxBytes) {
                        drain(in, maxBytes);
                        throw RequestException.tooLarge("body", "the request body is longer than the limit of " + maxBytes + " bytes");
                    }
                    out.write(buf, 0, r);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw RequestException.badRequest("body", "the request body could not be read: " + e.getClass().getSimpleName());
            }
        }

        /**
         * Reads and discards what the client is still sending (up to 4 times the limit, at least 16 MiB), so it can read
         * the 413 instead of seeing its upload reset; beyond that the connection is closed.
         */
        private static void drain(InputStream in, long maxBytes) {
            long cap = Math.max(16L << 20, 4 * maxBytes);
            byte[] buf = new byte[65_536];
            long total = 0;
            try {
                int r;
                while (total < cap && (r = in.read(buf)) >= 0) {
                    total += r;
                }
            } catch (IOException ignored) {
                // the client gave up: nothing to answer
            }
        }
    }

    /** Jetty's own errors as JSON without stack traces. */
    private static final class JsonErrorHandler extends ErrorHandler {
        JsonErrorHandler() {
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            String text = message == null || message.isBlank() ? "HTTP " + code : message.replace("\"", "'");
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, ServingResponse.JSON);
            Content.Sink.write(response, true, "{\"error\":\"" + text.replace("\\", "/") + "\"}", callback);
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
