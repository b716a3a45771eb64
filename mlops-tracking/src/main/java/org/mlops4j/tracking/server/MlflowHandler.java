package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.internal.BearerToken;
import org.mlops4j.core.internal.RequestPaths;
import org.mlops4j.core.tracking.RunEnvironment;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.tracking.internal.Deadline;
import org.mlops4j.tracking.internal.MlflowJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What the server does with a request, independent of the HTTP server, in two steps every route shares.
 * {@link #admit}: one spelling per path, checked on the path as sent ({@code ..}, {@code ;}, {@code //} … are
 * 400 before anything else, so the token and the route are decided on the same path), {@code CONNECT} and
 * transfer codings other than {@code chunked} refused (400); {@code /health} for anyone, always (it passes no
 * cap; GET and HEAD only); the caps on requests in flight
 * (503 + {@code Retry-After}); exactly one {@code Authorization} header carrying the token (400, 401);
 * {@code /version} behind the token. {@link #serve}: the route (MLflow's JSON API through the
 * {@link RouteTable}, the {@link ArtifactProxy}; HEAD is answered as GET, the HTTP layer drops the body; a JSON
 * body with a repeated key, trailing content, a NUL or an unpaired surrogate is 400) inside the request's time budget: past it the client gets
 * 504 {@code DEADLINE_EXCEEDED}, the thread doing the work is interrupted and its database statement
 * cancelled ({@link Deadline}). Every answer to client input is MLflow's error JSON with a 4xx status; a 500
 * only reports a server fault, with an id to find it in the log, never a stack trace. Thread-safe.
 */
final class MlflowHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowHandler.class);

    /**
     * The budgets and caps of every request.
     *
     * @param requestMillis  the time budget of a JSON request (after its body is read)
     * @param transferMillis the time budget of an artifact upload or download
     * @param maxInFlight    most requests in flight
     * @param perClient      most requests in flight from one address
     */
    record Limits(long requestMillis, long transferMillis, int maxInFlight, int perClient) {
    }

    /** A request let in by {@link #admit}; {@link #serve} or {@link #refuse} ends it. */
    static final class Admission {
        private final GuardedExchange exchange;
        private final String client;
        private boolean released;

        private Admission(GuardedExchange exchange, String client) {
            this.exchange = exchange;
            this.client = client;
        }

        /** @return the exchange to answer through */
        Exchange exchange() {
            return exchange;
        }
    }

    private final RouteTable api;
    private final ArtifactProxy artifacts;
    private final BearerToken token;
    private final Limits limits;
    private final ConcurrencyGate gate;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<GuardedExchange> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /**
     * @param api       MLflow's JSON routes
     * @param artifacts the artifact proxy
     * @param token     the token every request but health carries, or null for none
     * @param limits    budgets and caps
     */
    MlflowHandler(RouteTable api, ArtifactProxy artifacts, BearerToken token, Limits limits) {
        this.api = api;
        this.artifacts = artifacts;
        this.token = token;
        this.limits = limits;
        this.gate = new ConcurrencyGate(limits.maxInFlight(), limits.perClient());
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mlops-server-budget");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** @return the budgets and caps */
    Limits limits() {
        return limits;
    }

    /** @return the scheduler of budgets, for the HTTP server's body-read deadlines too */
    ScheduledThreadPoolExecutor timer() {
        return timer;
    }

    /**
     * The checks before any work (and before a body is read): health, caps, the token, version.
     *
     * @param raw the request
     * @return the admission, or null when the request has been answered
     */
    Admission admit(Exchange raw) {
        String path = raw.path();
        // one spelling per route, checked on the path as sent: the token decision and the route are taken on the same path
        String problem = RequestPaths.problem(raw.rawPath());
        if (problem != null) {
            error(raw, 400, "BAD_REQUEST", problem);
            return null;
        }
        if (raw.method().equals("CONNECT")) {
            raw.setHeader("Connection", "close"); // a refused tunnel: nothing more comes on this connection
            error(raw, 400, "BAD_REQUEST", "CONNECT asks for a tunnel; this server is not a proxy");
            return null;
        }
        for (String te : raw.headers("Transfer-Encoding")) {
            for (String coding : te.split(",")) {
                if (!coding.strip().equalsIgnoreCase("chunked")) {
                    raw.setHeader("Connection", "close");
                    error(raw, 400, "BAD_REQUEST", "Transfer-Encoding '" + shortMethod(te) + "' is not accepted; this server decodes only"
                            + " 'chunked' (send the body uncompressed)");
                    return null;
                }
            }
        }
        if (path.equals("/health")) {
            if (isGetOrHead(raw.method())) {
                raw.text(200, "OK");
            } else {
                raw.setHeader("Allow", "GET, HEAD");
                error(raw, 405, "BAD_REQUEST", "/health accepts GET, HEAD, not " + shortMethod(raw.method()));
            }
            return null;
        }
        if (stopping) {
            raw.setHeader("Retry-After", "1");
            error(raw, 503, "TEMPORARILY_UNAVAILABLE", "the server is stopping");
            return null;
        }
        String client = raw.remoteAddress() == null ? "?" : raw.remoteAddress();
        String full = gate.tryAcquire(client);
        if (full != null) {
            raw.setHeader("Retry-After", "1");
            error(raw, 503, "TEMPORARILY_UNAVAILABLE", full);
            return null;
        }
        Admission a = new Admission(new GuardedExchange(raw), client);
        inFlight.add(a.exchange);
        try {
            List<String> auth = raw.headers("Authorization");
            if (auth.size() > 1) {
                refuse(a, 400, "BAD_REQUEST", "a request carries at most one Authorization header but this one has " + auth.size());
                return null;
            }
            if (token != null && !token.accepts(auth.isEmpty() ? null : auth.get(0))) {
                a.exchange.setHeader("WWW-Authenticate", "Bearer realm=\"mlops\"");
                refuse(a, 401, "UNAUTHENTICATED", "this server needs 'Authorization: Bearer <token>' (mlops server --token)");
                return null;
            }
            if (path.equals("/version")) {
                if (isGetOrHead(raw.method())) {
                    a.exchange.text(200, RunEnvironment.libraryVersion());
                    release(a);
                } else {
                    a.exchange.setHeader("Allow", "GET, HEAD");
                    refuse(a, 405, "BAD_REQUEST", "/version accepts GET, HEAD, not " + shortMethod(raw.method()));
                }
                return null;
            }
            return a;
        } catch (RuntimeException e) {
            release(a);
            throw e;
        }
    }

    /**
     * @param x an admitted request
     * @return whether its route reads a JSON body (the HTTP server reads it, without a thread, first)
     */
    static boolean readsJsonBody(Exchange x) {
        return x.path().startsWith(RouteTable.API) && !isGetOrHead(x.method());
    }

    /** @return whether the method reads like GET: HEAD is GET without the body (RFC 9110 §9.3.2) */
    static boolean isGetOrHead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    private static String shortMethod(String method) {
        return method.length() <= 32 ? method : method.substring(0, 32) + "…";
    }

    /**
     * Answers an admitted request without serving it (its body could not be read) and releases it.
     *
     * @param a       the admission
     * @param status  HTTP status
     * @param code    MLflow error code
     * @param message what is wrong
     */
    void refuse(Admission a, int status, String code, String message) {
        try {
            error(a.exchange, status, code, message);
        } finally {
            release(a);
        }
    }

    /**
     * Serves an admitted request on the calling thread within its budget, then releases it.
     *
     * @param a the admission
     */
    void serve(Admission a) {
        GuardedExchange x = a.exchange;
        String path = x.path();
        boolean transfer = path.startsWith(ArtifactProxy.ROUTE + "/");
        long budget = transfer ? limits.transferMillis() : limits.requestMillis();
        if (stopping) {
            refuse(a, 503, "TEMPORARILY_UNAVAILABLE", "the server is stopping");
            return;
        }
        x.startWork();
        ScheduledFuture<?> cut;
        try {
            cut = schedule(x, path, transfer, budget);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            x.finishWork();
            refuse(a, 503, "TEMPORARILY_UNAVAILABLE", "the server is stopping");
            return;
        }
        try {
            Deadline.within(budget, () -> {
                route(x);
                return null;
            });
        } finally {
            cut.cancel(false);
            x.finishWork();
            release(a);
        }
    }

    private ScheduledFuture<?> schedule(GuardedExchange x, String path, boolean transfer, long budget) {
        return timer.schedule(() -> {
            if (x.cutOff(504, "DEADLINE_EXCEEDED", "the request did not finish within its budget of " + budget + " ms"
                    + (transfer ? " (MlflowServer.Builder.transferTimeout)" : " (MlflowServer.Builder.requestTimeout)")
                    + "; it was cancelled")) {
                LOG.warn("{} {} cut off after its budget of {} ms", x.method(), path, budget);
            }
        }, budget, TimeUnit.MILLISECONDS);
    }

    private void release(Admission a) {
        synchronized (a) {
            if (a.released) {
                return;
            }
            a.released = true;
        }
        inFlight.remove(a.exchange);
        gate.release(a.client);
    }

    /**
     * Stops admitting requests, answers those in flight 503 and interrupts their work, so a stopping server
     * stops within a second whatever its clients asked for.
     */
    void stop() {
        stopping = true;
        for (GuardedExchange x : inFlight) {
            x.cutOff(503, "TEMPORARILY_UNAVAILABLE", "the server is stopping");
        }
        timer.shutdownNow();
    }

    private void route(GuardedExchange x) {
        String path = x.path();
        String method = x.method();
        try {
            String proxy = ArtifactProxy.ROUTE;
            if (path.startsWith(RouteTable.API)) {
                // MLflow's protocol: a GET carries its parameters in the query, every other method in a JSON body.
                JsonNode params = MlflowJson.requireStorableText(isGetOrHead(method) ? x.query() : MlflowJson.parseRequest(x.body()));
                x.json(200, api.call(method, path.substring(RouteTable.API.length()), params));
            } else if (path.equals(proxy) || path.startsWith(proxy + "/")) {
                artifacts.serve(x, path.length() > proxy.length() ? path.substring(proxy.length() + 1) : "");
            } else {
                error(x, 404, "ENDPOINT_NOT_FOUND", "no endpoint " + path + "; MLflow's API is under " + RouteTable.API);
            }
        } catch (RuntimeException | IOException e) {
            if (x.answered()) {
                LOG.debug("{} {} failed after it was answered (cut off or stopped): {}", method, path, e.toString());
                if (e instanceof IOException io) {
                    x.abort(io);
                }
                return;
            }
            if (Deadline.expired()) { // the database cancelled the work at the deadline, a moment before the timer
                error(x, 504, "DEADLINE_EXCEEDED", "the request did not finish within its budget and was cancelled");
                return;
            }
            answerFailure(x, method, path, e);
        }
    }

    private static void answerFailure(Exchange x, String method, String path, Exception failure) {
        switch (failure) {
            case ApiError e -> {
                if (e.allow() != null) {
                    x.setHeader("Allow", e.allow());
                }
                error(x, e.status(), e.code(), e.getMessage());
            }
            case LimitedInputStream.TooLarge e -> error(x, 413, "REQUEST_LIMIT_EXCEEDED", e.getMessage());
            case IllegalArgumentException e -> error(x, 400, "INVALID_PARAMETER_VALUE", e.getMessage());
            case TrackingNotFoundException e -> error(x, 404, "RESOURCE_DOES_NOT_EXIST", e.getMessage());
            case TrackingConflictException e -> error(x, 400, "INVALID_PARAMETER_VALUE", e.getMessage());
            case StoreUnavailableException e -> {
                LOG.warn("store unavailable for {} {}: {}", method, path, e.getMessage());
                error(x, 503, "TEMPORARILY_UNAVAILABLE", "the tracking store is unavailable; retry later");
            }
            case IllegalStateException e -> error(x, 400, "INVALID_STATE", e.getMessage());
            case IOException e -> {
                LOG.debug("client I/O failed on {} {}", method, path, e);
                x.abort(e);
            }
            default -> {
                String id = UUID.randomUUID().toString().substring(0, 8);
                LOG.error("internal error {} on {} {}", id, method, path, failure);
                error(x, 500, "INTERNAL_ERROR", "internal error " + id + "; the server log has the details");
            }
        }
    }

    private static void error(Exchange x, int status, String code, String message) {
        x.json(status, ApiError.json(code, message));
    }
}
