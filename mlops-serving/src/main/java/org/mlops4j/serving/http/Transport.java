package org.mlops4j.serving.http;

import org.mlops4j.serving.ServingCore;

/**
 * Carries HTTP to a {@link ServingCore}: the one thing an HTTP server must do for serving. {@link JettyTransport}
 * is the default; another server (Netty, a servlet container) needs only this.
 * {@snippet :
 * Transport.Binding b = new JettyTransport().bind(core, "127.0.0.1", 8080);
 * b.port();
 * b.close();
 * }
 */
@FunctionalInterface
public interface Transport {

    /** A running server. */
    interface Binding extends AutoCloseable {
        /** @return the bound port */
        int port();

        /** Stops accepting and finishes requests in flight. */
        @Override
        void close();
    }

    /**
     * @param core answers every request
     * @param host interface to bind
     * @param port port, 0 for any free one
     * @return the running server
     */
    Binding bind(ServingCore core, String host, int port);
}
