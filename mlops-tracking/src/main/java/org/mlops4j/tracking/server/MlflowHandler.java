package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.internal.BearerToken;
import org.mlops4j.core.tracking.RunEnvironment;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.tracking.internal.MlflowJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.UUID;

/**
 * What the server does with a request, independent of the HTTP server: {@code /health} and
 * {@code /version} for anyone; the bearer token for everything else; MLflow's JSON API through the
 * {@link RouteTable}; the {@link ArtifactProxy}. Every answer to client input is MLflow's error JSON with a
 * 4xx status; a 500 only reports a server fault, with an id to find it in the log, never a stack trace.
 * Thread-safe.
 */
final class MlflowHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowHandler.class);

    private final RouteTable api;
    private final ArtifactProxy artifacts;
    private final BearerToken token;

    /**
     * @param api       MLflow's JSON routes
     * @param artifacts the artifact proxy
     * @param token     the token every request but health and version carries, or null for none
     */
    MlflowHandler(RouteTable api, ArtifactProxy artifacts, BearerToken token) {
        this.api = api;
        this.artifacts = artifacts;
        this.token = token;
    }

    /**
     * Answers one request (or aborts it when the client's connection fails).
     *
     * @param x the request and its answer
     */
    void serve(Exchange x) {
        String path = x.path();
        String method = x.method();
        try {
            if (path.equals("/health") || path.equals("/version")) {
                x.text(200, path.equals("/health") ? "OK" : RunEnvironment.libraryVersion());
                return;
            }
            if (token != null && !token.accepts(x.header("Authorization"))) {
                x.setHeader("WWW-Authenticate", "Bearer realm=\"mlops\"");
                error(x, 401, "UNAUTHENTICATED", "this server needs 'Authorization: Bearer <token>' (mlops server --token)");
                return;
            }
            String proxy = ArtifactProxy.ROUTE;
            if (path.startsWith(RouteTable.API)) {
                // MLflow's protocol: a GET carries its parameters in the query, every other method in a JSON body.
                JsonNode params = method.equals("GET") ? x.query() : MlflowJson.parse(x.body());
                x.json(200, api.call(method, path.substring(RouteTable.API.length()), params));
            } else if (path.equals(proxy) || path.startsWith(proxy + "/")) {
                artifacts.serve(x, path.length() > proxy.length() ? path.substring(proxy.length() + 1) : "");
            } else {
                error(x, 404, "ENDPOINT_NOT_FOUND", "no endpoint " + path + "; MLflow's API is under " + RouteTable.API);
            }
        } catch (ApiError e) {
            error(x, e.status(), e.code(), e.getMessage());
        } catch (LimitedInputStream.TooLarge e) {
            error(x, 413, "REQUEST_LIMIT_EXCEEDED", e.getMessage());
        } catch (IllegalArgumentException e) {
            error(x, 400, "INVALID_PARAMETER_VALUE", e.getMessage());
        } catch (TrackingNotFoundException e) {
            error(x, 404, "RESOURCE_DOES_NOT_EXIST", e.getMessage());
        } catch (TrackingConflictException e) {
            error(x, 400, "INVALID_PARAMETER_VALUE", e.getMessage());
        } catch (StoreUnavailableException e) {
            LOG.warn("store unavailable for {} {}: {}", method, path, e.getMessage());
            error(x, 503, "TEMPORARILY_UNAVAILABLE", "the tracking store is unavailable; retry later");
        } catch (IllegalStateException e) {
            error(x, 400, "INVALID_STATE", e.getMessage());
        } catch (IOException e) {
            LOG.debug("client I/O failed on {} {}", method, path, e);
            x.abort(e);
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("internal error {} on {} {}", id, method, path, e);
            error(x, 500, "INTERNAL_ERROR", "internal error " + id + "; the server log has the details");
        }
    }

    private static void error(Exchange x, int status, String code, String message) {
        x.json(status, ApiError.json(code, message));
    }
}
