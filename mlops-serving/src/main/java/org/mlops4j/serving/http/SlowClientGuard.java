package org.mlops4j.serving.http;

import io.micrometer.core.instrument.Counter;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slow and greedy clients at the connection level, where no request exists yet (as the tracking server's guard):
 * a client may take at most {@code headerMillis} in total for the request line and headers of a request (Jetty
 * only bounds the time between bytes, so a client trickling one byte per idle period would keep its connection
 * for ever), and may hold at most {@code perClient} open connections (more are answered 503 with
 * {@code Retry-After: 1} and closed at once). Past the header deadline the client gets 408 and the connection is
 * closed. A sweep every quarter of the deadline (at most 250 ms) checks it. Thread-safe.
 */
final class SlowClientGuard implements Connection.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlowClientGuard.class);
    private final ServerConnector connector;
    private final long headerMillis;
    private final int perClient;
    private final Counter headerLate;
    private final Counter tooMany;
    private final ConcurrentHashMap<Connection, String> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    /** Per connection: {messages in when its current header phase was first seen, when}. */
    private final ConcurrentHashMap<EndPoint, long[]> headerPhase = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    SlowClientGuard(ServerConnector connector, long headerMillis, int perClient, Counter headerLate, Counter tooMany) {
        this.connector = connector;
        this.headerMillis = headerMillis;
        this.perClient = perClient;
        this.headerLate = headerLate;
        this.tooMany = tooMany;
    }

    void start() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlops-serving-header-deadline");
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
    public void onOpened(Connection connection) {
        String address = address(connection.getEndPoint());
        clients.put(connection, address);
        int n = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (n > perClient) {
            tooMany.increment();
            LOG.debug("closing a connection from {}: it has {} open, the limit is {}", address, n - 1, perClient);
            answerAndClose(connection.getEndPoint(), 503, "TEMPORARILY_UNAVAILABLE", "this client already has " + perClient
                    + " open connections (JettyTransport.withMaxConnectionsPerClient, mlops serve --max-connections-per-client);"
                    + " reuse one or retry shortly", true);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        headerPhase.remove(connection.getEndPoint());
        String address = clients.remove(connection);
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    private static String address(EndPoint endPoint) {
        SocketAddress remote = endPoint.getRemoteSocketAddress();
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return String.valueOf(remote);
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                if (!(endPoint.getConnection() instanceof org.eclipse.jetty.server.internal.HttpConnection http)) {
                    continue;
                }
                HttpParser parser = http.getParser();
                if (parser.isStart() || !parser.inHeaderState()) {
                    headerPhase.remove(endPoint);
                    continue;
                }
                long messages = http.getMessagesIn();
                long[] seen = headerPhase.compute(endPoint, (e, old) -> old != null && old[0] == messages ? old : new long[] {messages, now});
                if (now - seen[1] > TimeUnit.MILLISECONDS.toNanos(headerMillis)) {
                    headerPhase.remove(endPoint);
                    headerLate.increment();
                    LOG.debug("closing a connection from {}: its request headers took longer than {} ms", address(endPoint), headerMillis);
                    answerAndClose(endPoint, 408, "DEADLINE_EXCEEDED", "the request line and headers did not arrive within "
                            + headerMillis + " ms (JettyTransport.withHeaderTimeout, mlops serve --header-timeout)", false);
                }
            }
            headerPhase.keySet().removeIf(e -> !e.isOpen());
        } catch (RuntimeException e) {
            LOG.warn("the header-deadline sweep failed; it runs again shortly", e);
        }
    }

    /** Writes a whole HTTP/1.1 error response straight to the connection (no request exists), then closes it. */
    private static void answerAndClose(EndPoint endPoint, int status, String code, String message, boolean retry) {
        byte[] body = JettyTransport.errorBody(code, message);
        String head = "HTTP/1.1 " + status + (status == 408 ? " Request Timeout" : " Service Unavailable")
                + "\r\nContent-Type: application/json\r\n" + (retry ? "Retry-After: 1\r\n" : "")
                + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
        ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
        out.put(head.getBytes(StandardCharsets.ISO_8859_1)).put(body).flip();
        try {
            endPoint.write(Callback.from(endPoint::close, failed -> endPoint.close()), out);
        } catch (RuntimeException busy) {
            endPoint.close(); // a write under way or already closed: just close
        }
    }
}
