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
import org.mlops4j.tracking.internal.MlflowJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP server under {@link MlflowServer}: Jetty 12 core handlers (no servlets) passing every request
 * to the {@link MlflowHandler} as an {@link Exchange}. Only this class touches Jetty, so
 * {@code mlops-tracking} works without Jetty unless a server is started.
 */
final class JettyHttpServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    /**
     * Starts a server.
     *
     * @param handler          answers every request
     * @param host             interface to bind
     * @param port             port, 0 for any free one
     * @param maxRequestBytes  largest JSON body
     * @param maxArtifactBytes largest artifact upload
     * @param threads          most request threads
     */
    JettyHttpServer(MlflowHandler handler, String host, int port, long maxRequestBytes, long maxArtifactBytes, int threads) {
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
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                handler.serve(new JettyExchange(request, response, callback, maxRequestBytes, maxArtifactBytes));
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
    }

    /** @return the bound port */
    int port() {
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

    private static void json(Response response, Callback callback, int status, JsonNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        Content.Sink.write(response, true, MlflowJson.write(body), callback);
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
            json(response, callback, code, ApiError.json(code == 404 ? "ENDPOINT_NOT_FOUND" : code >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST", text));
        }
    }

    /** One Jetty request as an {@link Exchange}. */
    private record JettyExchange(Request request, Response response, Callback callback, long maxRequestBytes, long maxArtifactBytes)
            implements Exchange {

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
            String what = "the request body";
            LimitedInputStream.checkDeclared(request.getLength(), maxRequestBytes, what);
            try (InputStream in = new LimitedInputStream(Content.Source.asInputStream(request), maxRequestBytes, what)) {
                return in.readAllBytes();
            }
        }

        @Override
        public InputStream upload() throws IOException {
            String what = "the artifact";
            LimitedInputStream.checkDeclared(request.getLength(), maxArtifactBytes, what);
            return new LimitedInputStream(Content.Source.asInputStream(request), maxArtifactBytes, what);
        }

        @Override
        public void text(int status, String text) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            Content.Sink.write(response, true, text, callback);
        }

        @Override
        public void json(int status, JsonNode json) {
            JettyHttpServer.json(response, callback, status, json);
        }

        @Override
        public void stream(InputStream content) throws IOException {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
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
