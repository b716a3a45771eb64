package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunBatch;
import org.mlops4j.core.tracking.RunInfo;
import org.mlops4j.core.tracking.RunPage;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.tracking.internal.MlflowJson;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MLflow REST 2.0 tracking endpoints over a {@link Tracker}, independent of the HTTP server: a request
 * is an endpoint name and its parameters as JSON, the answer is JSON or an {@link ApiError}. Every rule
 * (names, limits, param immutability) is the tracker's, so the server enforces exactly what the embedded
 * API does.
 */
final class MlflowApi {
    private static final Pattern EXPERIMENT_FILTER =
            Pattern.compile("(?i)^\\s*(?:attributes?\\.)?name\\s*(=|!=|like|ilike)\\s*'((?:[^']|'')*)'\\s*$");
    private static final int MAX_HISTORY_PAGE = 25_000;

    private final Tracker tracker;

    /**
     * @param tracker the tracker the endpoints read and write through
     */
    public MlflowApi(Tracker tracker) {
        this.tracker = tracker;
    }

    /**
     * An MLflow error answer: HTTP status, MLflow error code, message.
     */
    public static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;

        /**
         * @param status  HTTP status
         * @param code    MLflow error code
         * @param message what is wrong, naming the value
         */
        public ApiError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        /** @return the HTTP status */
        public int status() {
            return status;
        }

        /** @return the MLflow error code */
        public String code() {
            return code;
        }
    }

    /** Endpoints and the HTTP methods they accept. */
    private static final Map<String, Set<String>> METHODS = Map.ofEntries(
            Map.entry("experiments/create", Set.of("POST")),
            Map.entry("experiments/get", Set.of("GET")),
            Map.entry("experiments/get-by-name", Set.of("GET")),
            Map.entry("experiments/search", Set.of("GET", "POST")),
            Map.entry("experiments/list", Set.of("GET")),
            Map.entry("experiments/set-experiment-tag", Set.of("POST")),
            Map.entry("runs/create", Set.of("POST")),
            Map.entry("runs/update", Set.of("POST")),
            Map.entry("runs/get", Set.of("GET")),
            Map.entry("runs/log-metric", Set.of("POST")),
            Map.entry("runs/log-parameter", Set.of("POST")),
            Map.entry("runs/set-tag", Set.of("POST")),
            Map.entry("runs/log-batch", Set.of("POST")),
            Map.entry("runs/search", Set.of("POST")),
            Map.entry("metrics/get-history", Set.of("GET")),
            Map.entry("artifacts/list", Set.of("GET")));

    /** MLflow endpoints this server knows but does not implement (deletion, renaming, datasets, traces). */
    private static final Set<String> NOT_IMPLEMENTED = Set.of("experiments/delete", "experiments/restore", "experiments/update",
            "runs/delete", "runs/restore", "runs/delete-tag", "runs/log-inputs", "runs/log-model", "metrics/get-history-bulk-interval");

    /**
     * @param method   HTTP method
     * @param endpoint the path after {@code /api/2.0/mlflow/}
     * @param params   query parameters (GET) or the JSON body (POST)
     * @return the JSON answer
     * @throws ApiError                 for unknown endpoints and wrong methods
     * @throws IllegalArgumentException for invalid parameters (the caller answers INVALID_PARAMETER_VALUE)
     */
    public ObjectNode call(String method, String endpoint, JsonNode params) {
        Set<String> allowed = METHODS.get(endpoint);
        if (allowed == null) {
            if (NOT_IMPLEMENTED.contains(endpoint)) {
                throw new ApiError(501, "NOT_IMPLEMENTED", "mlops server does not implement " + endpoint);
            }
            throw new ApiError(404, "ENDPOINT_NOT_FOUND", "no MLflow endpoint /api/2.0/mlflow/" + endpoint);
        }
        if (!allowed.contains(method)) {
            throw new ApiError(405, "BAD_REQUEST", "/api/2.0/mlflow/" + endpoint + " accepts " + allowed + ", not " + method);
        }
        return switch (endpoint) {
            case "experiments/create" -> createExperiment(params);
            case "experiments/get" -> single("experiment", MlflowJson.experimentJson(experiment(MlflowJson.required(params, "experiment_id"))));
            case "experiments/get-by-name" -> getExperimentByName(params);
            case "experiments/search", "experiments/list" -> searchExperiments(params);
            case "experiments/set-experiment-tag" -> {
                tracker.setExperimentTag(experiment(MlflowJson.required(params, "experiment_id")).id(),
                        MlflowJson.required(params, "key"), valueOrEmpty(params));
                yield MlflowJson.object();
            }
            case "runs/create" -> createRun(params);
            case "runs/update" -> updateRun(params);
            case "runs/get" -> single("run", MlflowJson.runJson(run(runId(params))));
            case "runs/log-metric" -> logBatch(runId(params), new RunBatch(Map.of(), List.of(MlflowJson.metric(params)), Map.of()));
            case "runs/log-parameter" -> logBatch(runId(params),
                    new RunBatch(Map.of(MlflowJson.required(params, "key"), valueOrEmpty(params)), List.of(), Map.of()));
            case "runs/set-tag" -> logBatch(runId(params),
                    new RunBatch(Map.of(), List.of(), Map.of(MlflowJson.required(params, "key"), valueOrEmpty(params))));
            case "runs/log-batch" -> logBatchRequest(params);
            case "runs/search" -> searchRuns(params);
            case "metrics/get-history" -> history(params);
            case "artifacts/list" -> listArtifacts(params);
            default -> throw new IllegalStateException("unrouted endpoint " + endpoint);
        };
    }

    private static ObjectNode single(String field, ObjectNode value) {
        ObjectNode o = MlflowJson.object();
        o.set(field, value);
        return o;
    }

    private static String valueOrEmpty(JsonNode params) {
        String v = MlflowJson.text(params, "value");
        if (v == null) {
            throw new IllegalArgumentException("missing value for required parameter 'value'");
        }
        return v;
    }

    private Experiment experiment(String id) {
        return tracker.experimentById(id)
                .orElseThrow(() -> new TrackingNotFoundException("no experiment with id " + id));
    }

    private ObjectNode createExperiment(JsonNode params) {
        String name = MlflowJson.required(params, "name");
        try {
            Experiment e = tracker.createExperiment(name, MlflowJson.keyValues(params, "tags"));
            return MlflowJson.object().put("experiment_id", e.id());
        } catch (TrackingConflictException e) {
            throw new ApiError(400, "RESOURCE_ALREADY_EXISTS", "experiment '" + name + "' already exists");
        }
    }

    private ObjectNode getExperimentByName(JsonNode params) {
        String name = MlflowJson.required(params, "experiment_name");
        Experiment e = tracker.experimentByName(name)
                .orElseThrow(() -> new TrackingNotFoundException("no experiment named '" + name + "'"));
        return single("experiment", MlflowJson.experimentJson(e));
    }

    private ObjectNode searchExperiments(JsonNode params) {
        int max = maxResults(params, 1000, RunQuery.MAX_RESULTS);
        long offset = offset(MlflowJson.text(params, "page_token"));
        String filter = MlflowJson.text(params, "filter");
        List<Experiment> all = new ArrayList<>(tracker.experiments());
        if (filter != null && !filter.isBlank()) {
            Matcher m = EXPERIMENT_FILTER.matcher(filter);
            if (!m.matches()) {
                throw new IllegalArgumentException("invalid experiment filter '" + filter
                        + "': mlops server supports name = 'x', name != 'x', name LIKE 'x%' and name ILIKE 'x%'");
            }
            String op = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2).replace("''", "'");
            all.removeIf(e -> !switch (op) {
                case "=" -> e.name().equals(value);
                case "!=" -> !e.name().equals(value);
                case "like" -> org.mlops4j.core.tracking.spi.RunFilter.likePattern(value, false).matcher(e.name()).matches();
                default -> org.mlops4j.core.tracking.spi.RunFilter.likePattern(value, true).matcher(e.name()).matches();
            });
        }
        all.sort(Comparator.comparing(Experiment::createdAt).reversed().thenComparing(e -> Long.parseLong(e.id())));
        ObjectNode out = MlflowJson.object();
        ArrayNode list = out.putArray("experiments");
        int from = (int) Math.min(offset, all.size());
        int to = Math.min(all.size(), from + max);
        all.subList(from, to).forEach(e -> list.add(MlflowJson.experimentJson(e)));
        if (to < all.size()) {
            out.put("next_page_token", RunQuery.tokenForOffset(to));
        }
        return out;
    }

    private ObjectNode createRun(JsonNode params) {
        String experimentId = MlflowJson.text(params, "experiment_id");
        experiment(experimentId == null || experimentId.isEmpty() ? "0" : experimentId);
        Map<String, String> tags = MlflowJson.keyValues(params, "tags");
        String parent = tags.remove(MlflowJson.PARENT_TAG);
        String tagName = tags.remove(MlflowJson.RUN_NAME_TAG);
        String name = MlflowJson.text(params, "run_name");
        String user = MlflowJson.text(params, "user_id");
        if (user != null && !user.isEmpty()) {
            tags.putIfAbsent(MlflowJson.USER_TAG, user);
        }
        Long start = MlflowJson.longValue(params, "start_time");
        RunInfo info = tracker.more().createRun(experimentId == null || experimentId.isEmpty() ? "0" : experimentId,
                name == null || name.isEmpty() ? tagName : name, parent, start == null ? null : Instant.ofEpochMilli(start), tags);
        return single("run", MlflowJson.runJson(run(info.runId())));
    }

    private ObjectNode updateRun(JsonNode params) {
        String id = runId(params);
        Run run = run(id);
        String name = MlflowJson.text(params, "run_name");
        if (name != null && !name.isEmpty() && !name.equals(run.info().name())) {
            throw new ApiError(501, "NOT_IMPLEMENTED", "mlops server does not rename runs (run " + id + " is '" + run.info().name() + "')");
        }
        String status = MlflowJson.text(params, "status");
        if (status != null && !status.isEmpty()) {
            RunStatus s = status(status);
            if (s.isTerminal()) {
                Long end = MlflowJson.longValue(params, "end_time");
                tracker.more().endRun(id, s, end == null ? null : Instant.ofEpochMilli(end));
            } else if (run.info().status().isTerminal()) {
                throw new ApiError(400, "INVALID_STATE", "run " + id + " has ended (" + run.info().status() + ") and cannot run again");
            }
        }
        return single("run_info", MlflowJson.runInfoJson(run(id).info(), run.tags().get(MlflowJson.USER_TAG)));
    }

    private static RunStatus status(String s) {
        if (s.equals("SCHEDULED")) {
            return RunStatus.RUNNING;
        }
        try {
            return RunStatus.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status must be one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED but was '" + s + "'");
        }
    }

    private Run run(String id) {
        return tracker.run(id).orElseThrow(() -> new TrackingNotFoundException("no run with id " + id));
    }

    private static String runId(JsonNode params) {
        String id = MlflowJson.text(params, "run_id");
        if (id == null || id.isEmpty()) {
            id = MlflowJson.text(params, "run_uuid");
        }
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("missing value for required parameter 'run_id'");
        }
        return id;
    }

    private ObjectNode logBatch(String runId, RunBatch batch) {
        tracker.more().logBatch(runId, batch);
        return MlflowJson.object();
    }

    private ObjectNode logBatchRequest(JsonNode params) {
        String id = runId(params);
        List<Metric> metrics = new ArrayList<>();
        for (JsonNode m : MlflowJson.array(params, "metrics")) {
            metrics.add(MlflowJson.metric(m));
        }
        Map<String, String> p = MlflowJson.keyValues(params, "params");
        Map<String, String> t = MlflowJson.keyValues(params, "tags");
        int total = metrics.size() + p.size() + t.size();
        if (total > RunBatch.MAX_METRICS) {
            throw new IllegalArgumentException("a log-batch request holds at most " + RunBatch.MAX_METRICS
                    + " metrics, params and tags together but this one has " + total);
        }
        return logBatch(id, new RunBatch(p, metrics, t));
    }

    private ObjectNode searchRuns(JsonNode params) {
        List<String> experiments = new ArrayList<>();
        JsonNode ids = params.get("experiment_ids");
        if (ids != null && ids.isArray()) {
            ids.forEach(n -> experiments.add(n.asText()));
        } else if (ids != null && !ids.isNull()) {
            experiments.add(ids.asText());
        }
        if (experiments.isEmpty()) {
            throw new IllegalArgumentException("missing value for required parameter 'experiment_ids'");
        }
        List<String> orderBy = new ArrayList<>();
        JsonNode order = params.get("order_by");
        if (order != null && order.isArray()) {
            order.forEach(n -> orderBy.add(n.asText()));
        } else if (order != null && !order.isNull()) {
            orderBy.add(order.asText());
        }
        RunQuery q = RunQuery.experiments(experiments)
                .filter(MlflowJson.text(params, "filter"))
                .orderBy(orderBy)
                .maxResults(maxResults(params, RunQuery.DEFAULT_MAX_RESULTS, RunQuery.MAX_RESULTS))
                .pageToken(MlflowJson.text(params, "page_token"));
        q.offset(); // an invalid token fails here, as a bad parameter
        RunPage page = tracker.searchRuns(q);
        ObjectNode out = MlflowJson.object();
        ArrayNode runs = out.putArray("runs");
        page.runs().forEach(r -> runs.add(MlflowJson.runJson(r)));
        page.nextPageToken().ifPresent(t -> out.put("next_page_token", t));
        return out;
    }

    private static int maxResults(JsonNode params, int byDefault, int limit) {
        Long n = MlflowJson.longValue(params, "max_results");
        if (n == null) {
            return byDefault;
        }
        if (n < 1 || n > limit) {
            throw new IllegalArgumentException("max_results must be between 1 and " + limit + " but was " + n);
        }
        return n.intValue();
    }

    private static long offset(String token) {
        return RunQuery.experiments("0").pageToken(token).offset();
    }

    private ObjectNode history(JsonNode params) {
        String id = runId(params);
        String key = MlflowJson.required(params, "metric_key");
        int max = maxResults(params, MAX_HISTORY_PAGE, MAX_HISTORY_PAGE);
        long offset = offset(MlflowJson.text(params, "page_token"));
        List<Metric> all = tracker.metricHistory(id, key);
        int from = (int) Math.min(offset, all.size());
        int to = Math.min(all.size(), from + max);
        ObjectNode out = MlflowJson.object();
        ArrayNode metrics = out.putArray("metrics");
        all.subList(from, to).forEach(m -> metrics.add(MlflowJson.metricJson(m)));
        if (to < all.size()) {
            out.put("next_page_token", RunQuery.tokenForOffset(to));
        }
        return out;
    }

    private ObjectNode listArtifacts(JsonNode params) {
        Run run = run(runId(params));
        String dir = MlflowJson.text(params, "path");
        ObjectNode out = MlflowJson.object().put("root_uri", MlflowJson.artifactUri(run.info()));
        ArrayNode files = out.putArray("files");
        listDirectory(run, dir == null ? "" : dir, true).forEach(files::add);
        return out;
    }

    /**
     * The direct children of a directory of a run's artifacts, as MLflow FileInfo objects.
     *
     * @param run          the run
     * @param dir          directory relative to the run's root ("" for the root)
     * @param pathFromRoot whether paths are relative to the run's root (tracking API) or to the directory
     *                     (mlflow-artifacts API)
     * @return the FileInfo objects, sorted by path
     */
    public static List<ObjectNode> listDirectory(Run run, String dir, boolean pathFromRoot) {
        String prefix = dir.isEmpty() || dir.equals("/") ? "" : (dir.endsWith("/") ? dir : dir + "/");
        TreeMap<String, ObjectNode> children = new TreeMap<>();
        for (ArtifactInfo a : run.artifacts()) {
            if (!a.path().startsWith(prefix)) {
                continue;
            }
            String rest = a.path().substring(prefix.length());
            int slash = rest.indexOf('/');
            String child = slash < 0 ? rest : rest.substring(0, slash);
            String shown = pathFromRoot ? prefix + child : child;
            if (slash < 0) {
                children.put(child, MlflowJson.object().put("path", shown).put("is_dir", false).put("file_size", a.size()));
            } else {
                children.putIfAbsent(child, MlflowJson.object().put("path", shown).put("is_dir", true));
            }
        }
        return new ArrayList<>(children.values());
    }

    // ---- mlflow-artifacts proxy ----

    /**
     * Parses {@code <experiment>/<run>/artifacts[/<path>]} of the mlflow-artifacts proxy.
     *
     * @param rest the path after {@code /api/2.0/mlflow-artifacts/artifacts/}
     * @return {run id, artifact path ("" for the root)}
     */
    public String[] artifactLocation(String rest) {
        String[] parts = rest.split("/", 4);
        if (parts.length < 3 || !parts[2].equals("artifacts") || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "artifact locations are <experiment_id>/<run_id>/artifacts/<path> but was '"
                    + rest + "'");
        }
        Run run = run(parts[1]);
        if (!run.info().experimentId().equals(parts[0])) {
            throw new TrackingNotFoundException("run " + parts[1] + " is not in experiment " + parts[0]);
        }
        return new String[] {parts[1], parts.length == 4 ? parts[3] : ""};
    }

    /**
     * @param rest    location after the proxy prefix
     * @param content the upload
     * @return the empty answer MLflow gives
     */
    public ObjectNode upload(String rest, InputStream content) {
        String[] loc = artifactLocation(rest);
        if (loc[1].isEmpty()) {
            throw new IllegalArgumentException("an artifact upload needs a file path after 'artifacts/'");
        }
        tracker.more().logArtifact(loc[0], loc[1], content);
        return MlflowJson.object();
    }

    /**
     * @param rest location after the proxy prefix
     * @return the content of the file
     */
    public InputStream download(String rest) {
        String[] loc = artifactLocation(rest);
        return tracker.openArtifact(loc[0], loc[1]);
    }

    /**
     * @param path {@code <experiment>/<run>/artifacts[/<dir>]}, or empty
     * @return MLflow's ListArtifacts answer of the proxy
     */
    public ObjectNode listProxy(String path) {
        ObjectNode out = MlflowJson.object();
        ArrayNode files = out.putArray("files");
        if (path == null || path.isEmpty()) {
            return out;
        }
        String[] loc = artifactLocation(path);
        listDirectory(run(loc[0]), loc[1], false).forEach(files::add);
        return out;
    }
}
