package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.tracking.internal.MlflowJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * The MLflow-compatible HTTP server on Jetty 12 (core handlers, no servlets). Only this class touches
 * Jetty, so {@code mlops-tracking} works without Jetty unless a server is started. Every answer to client
 * input is MLflow's error JSON with a 4xx status; a 500 only reports a server fault, with an id to find it
 * in the log, never a stack trace.
 */
final class JettyHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JettyHttpServer.class);
    private static final String API = "/api/2.0/mlflow/";
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";

    private final Server server;
    private final ServerConnector connector;

    /**
     * Starts a server.
     *
     * @param tracker          the tracker behind the endpoints
     * @param host             interface to bind
     * @param port             port, 0 for any free one
     * @param token            bearer token every non-health request must carry, or null for none
     * @param maxRequestBytes  largest JSON body
     * @param maxArtifactBytes largest artifact upload
     * @param threads          most request threads
     */
    public JettyHttpServer(Tracker tracker, String host, int port, String token, long maxRequestBytes, long maxArtifactBytes,
                             int threads) {
        QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(4, threads));
        pool.setName("mlops-server");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(60_000);
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrorHandler());
        server.setHandler(new ApiHandler(new MlflowApi(tracker), token == null ? null : sha256(token), maxRequestBytes, maxArtifactBytes));
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
    }

    /** @return the bound port */
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

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(Response response, Callback callback, int status, JsonNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        Content.Sink.write(response, true, MlflowJson.write(body), callback);
    }

    private static void error(Response response, Callback callback, int status, String code, String message) {
        json(response, callback, status, MlflowJson.object().put("error_code", code).put("message", message));
    }

    /** Jetty's own errors (bad URIs, oversized headers) as MLflow error JSON without stack traces. */
    private static final class JsonErrorHandler extends ErrorHandler {
        JsonErrorHandler() {
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            String text = message == null || message.isBlank() ? "HTTP " + code : message;
            error(response, callback, code, code == 404 ? "ENDPOINT_NOT_FOUND" : code >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST", text);
        }
    }

    /** Thrown when a body exceeds its limit. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    /** Reads at most a limit; past it, fails with {@link TooLarge}. */
    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private final String what;
        private long read;

        LimitedInputStream(InputStream in, long limit, String what) {
            this.in = in;
            this.limit = limit;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                throw new TooLarge(what + " is larger than the limit of " + limit + " bytes");
            }
        }
    }

    private static final class ApiHandler extends Handler.Abstract {
        private final MlflowApi api;
        private final byte[] tokenHash;
        private final long maxRequestBytes;
        private final long maxArtifactBytes;

        ApiHandler(MlflowApi api, byte[] tokenHash, long maxRequestBytes, long maxArtifactBytes) {
            this.api = api;
            this.tokenHash = tokenHash;
            this.maxRequestBytes = maxRequestBytes;
            this.maxArtifactBytes = maxArtifactBytes;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            try {
                if (path.equals("/health") || path.equals("/version")) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                    Content.Sink.write(response, true, path.equals("/health") ? "OK" : org.mlops4j.core.tracking.RunEnvironment.libraryVersion(), callback);
                    return true;
                }
                if (!authorized(request)) {
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"mlops\"");
                    error(response, callback, 401, "UNAUTHENTICATED", "this server needs 'Authorization: Bearer <token>' (mlops server --token)");
                    return true;
                }
                if (path.startsWith(API)) {
                    JsonNode params = method.equals("GET") ? query(request) : MlflowJson.parse(body(request, maxRequestBytes, "the request body"));
                    json(response, callback, 200, api.call(method, path.substring(API.length()), params));
                } else if (path.equals(ARTIFACTS) || path.startsWith(ARTIFACTS + "/")) {
                    artifacts(request, response, callback, method, path.length() > ARTIFACTS.length() ? path.substring(ARTIFACTS.length() + 1) : "");
                } else {
                    error(response, callback, 404, "ENDPOINT_NOT_FOUND", "no endpoint " + path + "; MLflow's API is under " + API);
                }
            } catch (MlflowApi.ApiError e) {
                error(response, callback, e.status(), e.code(), e.getMessage());
            } catch (TooLarge e) {
                error(response, callback, 413, "REQUEST_LIMIT_EXCEEDED", e.getMessage());
            } catch (IllegalArgumentException e) {
                error(response, callback, 400, "INVALID_PARAMETER_VALUE", e.getMessage());
            } catch (TrackingNotFoundException e) {
                error(response, callback, 404, "RESOURCE_DOES_NOT_EXIST", e.getMessage());
            } catch (TrackingConflictException e) {
                error(response, callback, 400, "INVALID_PARAMETER_VALUE", e.getMessage());
            } catch (StoreUnavailableException e) {
                LOG.warn("store unavailable for {} {}: {}", method, path, e.getMessage());
                error(response, callback, 503, "TEMPORARILY_UNAVAILABLE", "the tracking store is unavailable; retry later");
            } catch (IllegalStateException e) {
                error(response, callback, 400, "INVALID_STATE", e.getMessage());
            } catch (IOException e) {
                LOG.debug("client I/O failed on {} {}", method, path, e);
                callback.failed(e);
            } catch (RuntimeException e) {
                String id = UUID.randomUUID().toString().substring(0, 8);
                LOG.error("internal error {} on {} {}", id, method, path, e);
                error(response, callback, 500, "INTERNAL_ERROR", "internal error " + id + "; the server log has the details");
            }
            return true;
        }

        private boolean authorized(Request request) {
            if (tokenHash == null) {
                return true;
            }
            String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return false;
            }
            return MessageDigest.isEqual(tokenHash, sha256(header.substring(7).strip()));
        }

        private static ObjectNode query(Request request) {
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

        private static byte[] body(Request request, long limit, String what) throws IOException {
            long declared = request.getLength();
            if (declared > limit) {
                throw new TooLarge(what + " of " + declared + " bytes is larger than the limit of " + limit + " bytes");
            }
            try (InputStream in = new LimitedInputStream(Content.Source.asInputStream(request), limit, what)) {
                return in.readAllBytes();
            }
        }

        private void artifacts(Request request, Response response, Callback callback, String method, String rest) throws IOException {
            switch (method) {
                case "PUT", "POST" -> {
                    long declared = request.getLength();
                    if (declared > maxArtifactBytes) {
                        throw new TooLarge("the artifact of " + declared + " bytes is larger than the limit of " + maxArtifactBytes + " bytes");
                    }
                    try (InputStream in = new LimitedInputStream(Content.Source.asInputStream(request), maxArtifactBytes, "the artifact")) {
                        json(response, callback, 200, api.upload(rest, in));
                    } catch (RuntimeException e) {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            if (t instanceof TooLarge tooLarge) {
                                throw tooLarge;
                            }
                        }
                        throw e;
                    }
                }
                case "GET" -> {
                    if (rest.isEmpty()) {
                        json(response, callback, 200, api.listProxy(query(request).path("path").asText("")));
                        return;
                    }
                    try (InputStream in = api.download(rest)) {
                        response.setStatus(200);
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                        OutputStream out = Content.Sink.asOutputStream(response);
                        in.transferTo(out);
                        out.close();
                        callback.succeeded();
                    }
                }
                case "DELETE" -> throw new MlflowApi.ApiError(501, "NOT_IMPLEMENTED", "mlops server does not delete artifacts");
                default -> throw new MlflowApi.ApiError(405, "BAD_REQUEST", ARTIFACTS + " accepts GET, PUT and POST, not " + method);
            }
        }
    }
}
