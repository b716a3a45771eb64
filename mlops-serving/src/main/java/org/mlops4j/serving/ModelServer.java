package org.mlops4j.serving;

import org.mlops4j.core.internal.OptionalLibraries;
import org.mlops4j.serving.http.JettyTransport;
import org.mlops4j.serving.http.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Objects;

/**
 * A {@link ServingCore} on an HTTP port: {@code mlops serve} and applications that want a standalone server.
 * Binds 127.0.0.1 unless told otherwise. Closing stops the port (requests in flight finish), then the core.
 * {@snippet :
 * ServingCore core = ServingCore.builder(registry).model("house-prices@champion").token(System.getenv("MLOPS_SERVE_TOKEN")).build();
 * try (ModelServer server = ModelServer.start(core, "127.0.0.1", 8080)) {
 *     server.uri();   // http://127.0.0.1:8080
 * }
 * }
 */
public final class ModelServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
    private final ServingCore core;
    private final Transport.Binding binding;
    private final String host;

    private ModelServer(ServingCore core, Transport.Binding binding, String host) {
        this.core = core;
        this.binding = binding;
        this.host = host;
    }

    /**
     * @param core the core (closed with the server)
     * @param host interface to bind
     * @param port port, 0 for any free one
     * @return the running server on Jetty
     * @throws IllegalStateException when Jetty is not on the class path (it is an optional dependency of
     *     mlops-serving); the message names the artifact to add
     */
    public static ModelServer start(ServingCore core, String host, int port) {
        // asked before JettyTransport is loaded: linking that class fails without Jetty's types
        if (!OptionalLibraries.present("org.eclipse.jetty.server.Server")) {
            throw new IllegalStateException("serving over HTTP needs Jetty, an optional dependency of mlops-serving: add "
                    + OptionalLibraries.jettyArtifact() + " to your build (the mlops CLI has it), or pass a Transport of your"
                    + " own to ModelServer.start(core, host, port, transport); in-process, core.handle(request) needs no server");
        }
        return start(core, host, port, new JettyTransport());
    }

    /**
     * @param core      the core (closed with the server)
     * @param host      interface to bind
     * @param port      port, 0 for any free one
     * @param transport the HTTP server to use
     * @return the running server
     */
    public static ModelServer start(ServingCore core, String host, int port, Transport transport) {
        Objects.requireNonNull(core, "core");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535] but was " + port);
        }
        Transport.Binding b = transport.bind(core, host, port);
        ModelServer s = new ModelServer(core, b, host);
        if (!core.requiresToken() && !isLoopback(host)) {
            LOG.warn("serving on {} without a token: anyone who can reach this port can predict and read metrics; give a token", s.uri());
        }
        LOG.info("serving {} on {}", core.router().names(), s.uri());
        return s;
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }

    /** @return {@code http://host:port} */
    public URI uri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : h) + ":" + binding.port());
    }

    /** @return the bound port */
    public int port() {
        return binding.port();
    }

    /** @return the core */
    public ServingCore core() {
        return core;
    }

    @Override
    public void close() {
        try {
            binding.close();
        } finally {
            core.close();
        }
    }
}
