package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Tracker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * MLflow's JSON API as a table: each route (the path after {@code /api/2.0/mlflow/}) names the HTTP methods
 * it accepts and the endpoint that answers it. {@link #mlflow(Tracker)} lists every route this server
 * knows; a new group of routes (the model registry's {@code registered-models/...},
 * {@code model-versions/...}) is new endpoint classes and new rows here, nothing else. Immutable once built.
 */
final class RouteTable {
    /** Where MLflow's JSON API lives. */
    static final String API = "/api/2.0/mlflow/";

    /**
     * One row.
     *
     * @param methods  the HTTP methods it accepts, in the order error messages list them; empty for any
     * @param endpoint what answers it
     */
    record Route(List<String> methods, JsonEndpoint endpoint, boolean passMethod) {
        Route(List<String> methods, JsonEndpoint endpoint) {
            this(methods, endpoint, false);
        }
    }

    /** Where a route answering several methods finds the request's method (overwritten, so a client cannot set it). */
    static final String METHOD_FIELD = "__mlops_http_method";

    private final Map<String, Route> routes;

    private RouteTable(Map<String, Route> routes) {
        this.routes = Map.copyOf(routes);
    }

    /**
     * @param tracker the tracker behind every endpoint
     * @return the routes of MLflow's tracking API
     */
    static RouteTable mlflow(Tracker tracker) {
        return mlflow(tracker, null);
    }

    /**
     * @param tracker  the tracker behind the tracking endpoints
     * @param registry the model registry's routes, or null to leave them out
     * @return the routes of MLflow's tracking API and, when given, its model registry API
     */
    static RouteTable mlflow(Tracker tracker, RegistryRoutes registry) {
        GetExperiment getExperiment = new GetExperiment(tracker);
        SearchExperiments searchExperiments = new SearchExperiments(tracker);
        LogToRun log = new LogToRun(tracker);
        Builder b = new Builder();
        if (registry != null) {
            registry.addTo(b);
        }
        return b
                .post("experiments/create", new CreateExperiment(tracker))
                .get("experiments/get", getExperiment::byId)
                .get("experiments/get-by-name", getExperiment::byName)
                .route("experiments/search", List.of("GET", "POST"), searchExperiments)
                .get("experiments/list", searchExperiments)
                .post("experiments/set-experiment-tag", new SetExperimentTag(tracker))
                .post("runs/create", new CreateRun(tracker))
                .post("runs/update", new UpdateRun(tracker))
                .get("runs/get", new GetRun(tracker))
                .post("runs/log-metric", log::metric)
                .post("runs/log-parameter", log::param)
                .post("runs/set-tag", log::tag)
                .post("runs/log-batch", log::batch)
                .post("runs/search", new SearchRuns(tracker))
                .get("metrics/get-history", new GetMetricHistory(tracker))
                .get("artifacts/list", new ListArtifacts(tracker))
                // MLflow routes this server knows but does not implement (deletion, renaming, datasets, traces).
                .notImplemented("experiments/delete", "experiments/restore", "experiments/update", "runs/delete", "runs/restore",
                        "runs/delete-tag", "runs/log-inputs", "runs/log-model", "metrics/get-history-bulk-interval")
                .build();
    }

    /**
     * Answers one request.
     *
     * @param method HTTP method
     * @param name   the path after {@link #API}
     * @param params the query parameters (GET) or the JSON body (other methods)
     * @return the answer
     * @throws ApiError for unknown routes (404), routes not implemented (501) and wrong methods (405, with the methods
     *                  for the {@code Allow} header; a GET route takes HEAD as GET)
     */
    ObjectNode call(String method, String name, JsonNode params) {
        Route route = routes.get(name);
        if (route == null) {
            throw new ApiError(404, "ENDPOINT_NOT_FOUND", "no MLflow endpoint " + API + name);
        }
        // HEAD is GET without a body (RFC 9110 §9.3.2): a route that answers GET answers HEAD, the HTTP layer drops the body
        String as = method.equals("HEAD") && route.methods().contains("GET") ? "GET" : method;
        if (!route.methods().isEmpty() && !route.methods().contains(as)) {
            throw ApiError.methodNotAllowed(API + name, method, route.methods());
        }
        if (route.passMethod() && params instanceof ObjectNode o) {
            o.put(METHOD_FIELD, as);
        }
        return route.endpoint().call(params);
    }

    /** Collects rows; a route is added once. */
    static final class Builder {
        private final Map<String, Route> routes = new LinkedHashMap<>();

        /**
         * @param name     the route
         * @param methods  the methods it accepts (empty: any)
         * @param endpoint what answers it
         * @return this builder
         */
        Builder route(String name, List<String> methods, JsonEndpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (routes.putIfAbsent(name, new Route(List.copyOf(methods), endpoint)) != null) {
                throw new IllegalStateException("route " + API + name + " is in the table twice");
            }
            return this;
        }

        /**
         * A route that answers several methods differently: the endpoint finds the method in {@link #METHOD_FIELD}.
         *
         * @param name     the route
         * @param methods  the methods it accepts
         * @param endpoint what answers it
         * @return this builder
         */
        Builder routeWithMethod(String name, List<String> methods, JsonEndpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (routes.putIfAbsent(name, new Route(List.copyOf(methods), endpoint, true)) != null) {
                throw new IllegalStateException("route " + API + name + " is in the table twice");
            }
            return this;
        }

        Builder get(String name, JsonEndpoint endpoint) {
            return route(name, List.of("GET"), endpoint);
        }

        Builder post(String name, JsonEndpoint endpoint) {
            return route(name, List.of("POST"), endpoint);
        }

        /**
         * @param names routes answered 501 NOT_IMPLEMENTED, whatever the method
         * @return this builder
         */
        Builder notImplemented(String... names) {
            for (String name : names) {
                route(name, List.of(), params -> {
                    throw new ApiError(501, "NOT_IMPLEMENTED", "mlops server does not implement " + name);
                });
            }
            return this;
        }

        RouteTable build() {
            return new RouteTable(routes);
        }
    }
}
