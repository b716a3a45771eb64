package org.mlops4j.tracking.server;

import org.mlops4j.core.internal.BearerToken;
import org.mlops4j.core.internal.OptionalLibraries;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * An MLflow-compatible tracking server ({@code /api/2.0/mlflow/...} and the {@code mlflow-artifacts} proxy)
 * over any mlops4j store, so MLflow's official clients (Java, Python, R) can log into mlops4j. The
 * {@code mlops server} command runs one; applications may embed one.
 *
 * <p>Where it lives, and why: here in {@code mlops-tracking}, but its HTTP server (Jetty 12) is an
 * optional dependency, so embedding the tracking API never pulls in a web server; applications that start
 * a server add {@code org.eclipse.jetty:jetty-server} (the CLI does). Binds {@code 127.0.0.1} by default;
 * with a token, every route except {@code /health} needs {@code Authorization: Bearer <token>} (exactly one
 * such header). Errors use MLflow's JSON shape ({@code {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": ...}}).
 *
 * <p>Hostile or careless clients cost at most a bad answer: every request has a time budget
 * ({@link Builder#requestTimeout}; 504 past it, its work interrupted and its database statement cancelled);
 * request bodies are read without holding a thread, within {@link Builder#idleTimeout} (408); requests in
 * flight are capped in total and per client ({@link Builder#maxConcurrentRequests},
 * {@link Builder#maxRequestsPerClient}; 503 with {@code Retry-After} past either) while {@code /health} keeps
 * answering; filters, sort clauses and id lists are bounded before the store sees them (400 naming the
 * limit). RELIABILITY.md lists every limit.
 * Thread-safe; close it to stop (the tracker stays open).
 * {@snippet :
 * try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.openDefault()).build();
 *      ModelRegistry registry = TrackingStores.registry("sqlite:./mlruns/mlops.db");
 *      MlflowServer server = MlflowServer.builder(tracker).registry(registry).port(5000).token("s3cret-token").start()) {
 *     // new org.mlflow.tracking.MlflowClient(server.uri().toString()) ...
 * }
 * }
 */
public final class MlflowServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowServer.class);

    private final JettyHttpServer jetty;
    private final MlflowHandler handler;
    private final URI uri;

    private MlflowServer(JettyHttpServer jetty, MlflowHandler handler, URI uri) {
        this.jetty = jetty;
        this.handler = handler;
        this.uri = uri;
    }

    /**
     * @param tracker the tracker whose store the server exposes
     * @return a builder
     */
    public static Builder builder(Tracker tracker) {
        return new Builder(tracker);
    }

    /** @return the base URI, such as {@code http://127.0.0.1:5000} */
    public URI uri() {
        return uri;
    }

    /** @return the bound port */
    public int port() {
        return jetty.port();
    }

    /**
     * Stops serving within about a second: requests in flight are answered 503 and their work interrupted
     * (database statements cancelled), whatever they asked for.
     */
    @Override
    public void close() {
        handler.stop();
        jetty.close();
        LOG.info("MLflow-compatible server on {} stopped", uri);
    }

    /**
     * Options of a server, each checked when set. Single-use; not thread-safe.
     * {@snippet :
     * MlflowServer server = MlflowServer.builder(tracker)
     *         .host("0.0.0.0").port(5000).token(System.getenv("MLOPS_SERVER_TOKEN"))
     *         .maxRequestBytes(4L << 20).maxArtifactBytes(1L << 30).threads(16)
     *         .start();
     * }
     */
    public static final class Builder {
        private final Tracker tracker;
        private ModelRegistry registry;
        private String host = "127.0.0.1";
        private int port = 5000;
        private String token;
        private long maxRequestBytes = 16L << 20;
        private long maxArtifactBytes = 2L << 30;
        private int threads = 32;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration transferTimeout = Duration.ofMinutes(15);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxConcurrent = -1;
        private int perClient = 8;
        private int maxConnections = 1_000;
        private Duration headerTimeout = Duration.ofSeconds(20);
        private int maxConnectionsPerClient = 100;

        private Builder(Tracker tracker) {
            this.tracker = Objects.requireNonNull(tracker, "tracker");
        }

        /**
         * @param r the model registry served on MLflow's 21 registry routes (and whose files the artifact proxy serves
         *          under {@code model-registry/}); without one those routes answer 404
         * @return this builder
         */
        public Builder registry(ModelRegistry r) {
            this.registry = Objects.requireNonNull(r, "registry");
            return this;
        }

        /**
         * @param h interface to bind (default {@code 127.0.0.1}: this machine only)
         * @return this builder
         */
        public Builder host(String h) {
            if (h == null || h.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = h;
            return this;
        }

        /**
         * @param p port, 0 for any free one (default 5000, MLflow's)
         * @return this builder
         */
        public Builder port(int p) {
            if (p < 0 || p > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535 but was " + p);
            }
            this.port = p;
            return this;
        }

        /**
         * @param t bearer token required on every route but {@code /health}, or null for none
         * @return this builder
         */
        public Builder token(String t) {
            if (t != null && (t.isBlank() || t.length() < 8)) {
                throw new IllegalArgumentException("token must be at least 8 characters (it guards the server) but has "
                        + t.strip().length());
            }
            this.token = t;
            return this;
        }

        /**
         * @param bytes largest JSON request body (default 16 MiB); larger ones get 413
         * @return this builder
         */
        public Builder maxRequestBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxRequestBytes must be >= 1024 but was " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /**
         * @param bytes largest artifact upload (default 2 GiB); larger ones get 413
         * @return this builder
         */
        public Builder maxArtifactBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxArtifactBytes must be >= 1 but was " + bytes);
            }
            this.maxArtifactBytes = bytes;
            return this;
        }

        /**
         * @param n most request threads (default 32); see {@link #maxConcurrentRequests}
         * @return this builder
         */
        public Builder threads(int n) {
            if (n < 4) {
                throw new IllegalArgumentException("threads must be >= 4 but was " + n);
            }
            this.threads = n;
            return this;
        }

        /**
         * @param d the time budget of one API request once its body is in (default 30 s); past it the client
         *          gets 504 {@code DEADLINE_EXCEEDED} and the work is interrupted, its database statement cancelled
         * @return this builder
         */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        /**
         * @param d the time budget of one artifact upload or download (default 15 min)
         * @return this builder
         */
        public Builder transferTimeout(Duration d) {
            this.transferTimeout = positive(d, "transferTimeout");
            return this;
        }

        /**
         * @param d how long a client may send nothing (while sending headers or a body), and how long a whole
         *          JSON body may take to arrive (default 30 s); past it the client gets 408 and the connection closes
         * @return this builder
         */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        /**
         * @param n most requests in flight at once (default: half the threads); more get 503 with
         *          {@code Retry-After}; {@code /health} is never counted
         * @return this builder
         */
        public Builder maxConcurrentRequests(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConcurrentRequests must be >= 1 but was " + n);
            }
            this.maxConcurrent = n;
            return this;
        }

        /**
         * @param n most requests in flight from one client address (default 8); more get 503 with {@code Retry-After}
         * @return this builder
         */
        public Builder maxRequestsPerClient(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxRequestsPerClient must be >= 1 but was " + n);
            }
            this.perClient = n;
            return this;
        }

        /**
         * @param n most open connections (default 1,000); more wait to be accepted
         * @return this builder
         */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1 but was " + n);
            }
            this.maxConnections = n;
            return this;
        }

        /**
         * @param d how long the request line and headers of one request may take to arrive in total, however
         *          steadily they trickle (default 20 s); past it the client gets 408 and the connection closes
         * @return this builder
         */
        public Builder headerTimeout(Duration d) {
            this.headerTimeout = positive(d, "headerTimeout");
            return this;
        }

        /**
         * @param n most open connections from one client address (default 100); more are answered 503 with
         *          {@code Retry-After} and closed at once, so one address cannot take all of {@link #maxConnections}
         * @return this builder
         */
        public Builder maxConnectionsPerClient(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnectionsPerClient must be >= 1 but was " + n);
            }
            this.maxConnectionsPerClient = n;
            return this;
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive but was " + d);
            }
            return d;
        }

        /**
         * @return the started server
         * @throws IllegalStateException when Jetty is not on the class path (naming the artifact) or the port is taken
         */
        public MlflowServer start() {
            if (!OptionalLibraries.present("org.eclipse.jetty.server.Server")) {
                throw new IllegalStateException("the MLflow-compatible server needs Jetty, an optional dependency of mlops-tracking:"
                        + " add " + OptionalLibraries.jettyArtifact() + " to your build (the mlops CLI has it)");
            }
            int inFlight = maxConcurrent > 0 ? maxConcurrent : Math.max(1, threads / 2);
            if (inFlight > threads - 4) {
                throw new IllegalArgumentException("maxConcurrentRequests (" + inFlight + ") must leave at least 4 of the "
                        + threads + " threads free, so /health and the server's own work always have one");
            }
            RegistryRoutes models = registry == null ? null : new RegistryRoutes(registry, tracker, maxArtifactBytes);
            MlflowHandler handler = new MlflowHandler(RouteTable.mlflow(tracker, models), new ArtifactProxy(tracker, models),
                    token == null ? null : BearerToken.of(token), new MlflowHandler.Limits(requestTimeout.toMillis(),
                    transferTimeout.toMillis(), inFlight, Math.min(perClient, inFlight)));
            JettyHttpServer jetty;
            try {
                jetty = new JettyHttpServer(handler, host, port, new JettyHttpServer.Settings(maxRequestBytes, maxArtifactBytes,
                        threads, idleTimeout.toMillis(), idleTimeout.toMillis(), maxConnections, headerTimeout.toMillis(),
                        Math.min(maxConnectionsPerClient, maxConnections)));
            } catch (RuntimeException e) {
                handler.stop();
                throw e;
            }
            String shown = host.contains(":") ? "[" + host + "]" : host;
            URI uri = URI.create("http://" + shown + ":" + jetty.port());
            if (token == null && !isLoopback(host)) {
                LOG.warn("MLflow-compatible server on {} is OPEN: reachable from other machines WITHOUT a token; pass a token", uri);
            }
            LOG.info("MLflow-compatible server on {} ({}), store {}", uri, token == null ? "no token" : "bearer token required",
                    tracker);
            return new MlflowServer(jetty, handler, uri);
        }

        private static boolean isLoopback(String host) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }
}
