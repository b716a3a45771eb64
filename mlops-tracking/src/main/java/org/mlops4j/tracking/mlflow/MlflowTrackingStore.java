package org.mlops4j.tracking.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunInfo;
import org.mlops4j.core.tracking.RunPage;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingException;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.core.tracking.spi.RunWrite;
import org.mlops4j.core.tracking.spi.TrackingStore;
import org.mlops4j.tracking.internal.MlflowJson;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TrackingStore} that logs to an MLflow tracking server over its REST API 2.0: experiments, runs,
 * batches, tags, metric history, search, and artifacts through the server's {@code mlflow-artifacts}
 * proxy (start MLflow with {@code --serve-artifacts}, the default since MLflow 2.0), so no Python is
 * needed. Works against MLflow itself and against {@code mlops server}.
 *
 * <p>Differences from the JDBC stores, all from MLflow's protocol: a write is one {@code log-batch} call
 * and carries no write id, so a retried write after a lost answer may be applied twice; artifact listings
 * have sizes but no digests ({@link ArtifactInfo#sha256()} is null there; uploads return it); runs from
 * {@link #searchRuns} list no artifacts (one more call per run; {@link #run} lists them). Thread-safe.
 * {@snippet :
 * Tracker tracker = Tracker.builder().store(MlflowTrackingStore.open(URI.create("http://mlflow:5000"))).build();
 * Tracker secured = Tracker.builder()
 *         .store(MlflowTrackingStore.builder(URI.create("https://mlflow.example.com")).token(System.getenv("MLFLOW_TRACKING_TOKEN")).open())
 *         .build();
 * }
 */
public final class MlflowTrackingStore implements TrackingStore {
    private static final int HISTORY_PAGE = 25_000;
    private final MlflowRestClient client;
    private final Map<String, String> artifactRoots = new ConcurrentHashMap<>();

    private MlflowTrackingStore(MlflowRestClient client) {
        this.client = client;
    }

    /**
     * @param server the tracking server, e.g. {@code http://mlflow:5000}
     * @return the store (no request is made until it is used)
     */
    public static MlflowTrackingStore open(URI server) {
        return builder(server).open();
    }

    /**
     * @param server the tracking server
     * @return a builder for credentials and timeouts
     */
    public static Builder builder(URI server) {
        return new Builder(server);
    }

    /** @return the server's base URI */
    public URI server() {
        return client.base();
    }

    /**
     * Options of an MLflow client store. Single-use; not thread-safe.
     * {@snippet :
     * MlflowTrackingStore store = MlflowTrackingStore.builder(URI.create("https://mlflow.example.com"))
     *         .basicAuth("ada", System.getenv("MLFLOW_TRACKING_PASSWORD")).timeout(Duration.ofSeconds(10))
     *         .open();
     * }
     */
    public static final class Builder {
        private final URI server;
        private String authorization;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(URI server) {
            Objects.requireNonNull(server, "server");
            if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
                throw new IllegalArgumentException("an MLflow server URI is http:// or https:// but was '" + server + "'");
            }
            this.server = server;
        }

        /**
         * @param token bearer token ({@code MLFLOW_TRACKING_TOKEN}, or {@code mlops server --token})
         * @return this builder
         */
        public Builder token(String token) {
            this.authorization = token == null ? null : "Bearer " + token;
            return this;
        }

        /**
         * @param user     user ({@code MLFLOW_TRACKING_USERNAME})
         * @param password password ({@code MLFLOW_TRACKING_PASSWORD}; never logged)
         * @return this builder
         */
        public Builder basicAuth(String user, String password) {
            this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /**
         * @param t connect and per-request timeout (default 30 s)
         * @return this builder
         */
        public Builder timeout(Duration t) {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("timeout must be positive but was " + t);
            }
            this.timeout = t;
            return this;
        }

        /** @return the store */
        public MlflowTrackingStore open() {
            return new MlflowTrackingStore(new MlflowRestClient(server, authorization, timeout));
        }

        /** @return the server's model registry, with the same credentials and timeout */
        public MlflowRegistryStore openRegistry() {
            return new MlflowRegistryStore(new MlflowRestClient(server, authorization, timeout));
        }
    }

    // ---- experiments ----

    @Override
    public Experiment createExperiment(String name, Map<String, String> tags, Instant createdAt) {
        ObjectNode body = MlflowJson.object().put("name", name);
        MlflowJson.putKeyValues(body.putArray("tags"), tags);
        String id = client.post("experiments/create", body).path("experiment_id").asText();
        return experimentById(id).orElseThrow(() -> new TrackingException("MLflow created experiment " + id + " but cannot read it back"));
    }

    @Override
    public Optional<Experiment> experimentByName(String name) {
        return getExperiment("experiments/get-by-name", "experiment_name", name);
    }

    @Override
    public Optional<Experiment> experimentById(String id) {
        return getExperiment("experiments/get", "experiment_id", id);
    }

    private Optional<Experiment> getExperiment(String endpoint, String parameter, String value) {
        try {
            return Optional.of(MlflowJson.experiment(client.get(endpoint, Map.of(parameter, value)).path("experiment")));
        } catch (TrackingNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Experiment> experiments() {
        List<Experiment> out = new ArrayList<>();
        String token = null;
        do {
            ObjectNode body = MlflowJson.object().put("max_results", 1000).put("view_type", "ACTIVE_ONLY");
            if (token != null) {
                body.put("page_token", token);
            }
            JsonNode page = client.post("experiments/search", body);
            MlflowJson.array(page, "experiments").forEach(e -> out.add(MlflowJson.experiment(e)));
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        out.sort(Comparator.comparing(Experiment::createdAt).thenComparing(e -> e.id().length()).thenComparing(Experiment::id));
        return out;
    }

    @Override
    public void setExperimentTag(String experimentId, String key, String value) {
        client.post("experiments/set-experiment-tag", MlflowJson.object().put("experiment_id", experimentId).put("key", key).put("value", value));
    }

    // ---- runs ----

    @Override
    public RunInfo createRun(String experimentId, String name, String parentRunId, Instant startTime, Map<String, String> tags) {
        Map<String, String> all = new LinkedHashMap<>(tags);
        if (parentRunId != null) {
            requireRun(parentRunId, "parent run");
            all.put(MlflowJson.PARENT_TAG, parentRunId);
        }
        ObjectNode body = MlflowJson.object().put("experiment_id", experimentId).put("run_name", name)
                .put("start_time", startTime.toEpochMilli());
        MlflowJson.putKeyValues(body.putArray("tags"), all);
        JsonNode run = client.post("runs/create", body).path("run");
        RunInfo info = MlflowJson.runInfo(run.path("info"), all);
        artifactRoots.put(info.runId(), run.path("info").path("artifact_uri").asText(""));
        return info;
    }

    @Override
    public void write(List<RunWrite> writes) {
        for (RunWrite w : writes) {
            ObjectNode body = MlflowJson.object().put("run_id", w.runId());
            ArrayNode metrics = body.putArray("metrics");
            w.batch().metrics().forEach(m -> metrics.add(MlflowJson.metricJson(m)));
            MlflowJson.putKeyValues(body.putArray("params"), w.batch().params());
            MlflowJson.putKeyValues(body.putArray("tags"), w.batch().tags());
            client.post("runs/log-batch", body);
        }
    }

    @Override
    public void endRun(String runId, RunStatus status, Instant endTime) {
        client.post("runs/update", MlflowJson.object().put("run_id", runId).put("status", status.name())
                .put("end_time", endTime.toEpochMilli()));
    }

    @Override
    public Optional<Run> run(String runId) {
        JsonNode run;
        try {
            run = client.get("runs/get", Map.of("run_id", runId)).path("run");
        } catch (TrackingNotFoundException e) {
            return Optional.empty();
        }
        Run r = toRun(run, true);
        return Optional.of(r);
    }

    /** Checks that a run exists with one request (no artifact listing). */
    private void requireRun(String runId, String what) {
        try {
            client.get("runs/get", Map.of("run_id", runId));
        } catch (TrackingNotFoundException e) {
            throw new TrackingNotFoundException("no " + what + " with id " + runId, e);
        }
    }

    private Run toRun(JsonNode run, boolean withArtifacts) {
        JsonNode data = run.path("data");
        Map<String, String> tags = MlflowJson.keyValues(data, "tags");
        RunInfo info = MlflowJson.runInfo(run.path("info"), tags);
        artifactRoots.put(info.runId(), run.path("info").path("artifact_uri").asText(""));
        Map<String, Metric> metrics = new LinkedHashMap<>();
        for (JsonNode m : MlflowJson.array(data, "metrics")) {
            Metric metric = MlflowJson.metric(m);
            metrics.put(metric.key(), metric);
        }
        List<ArtifactInfo> artifacts = withArtifacts ? listArtifacts(info.runId(), "") : List.of();
        return new Run(info, MlflowJson.keyValues(data, "params"), metrics, MlflowJson.withoutMirrors(tags), artifacts);
    }

    private List<ArtifactInfo> listArtifacts(String runId, String dir) {
        List<ArtifactInfo> out = new ArrayList<>();
        Map<String, String> q = dir.isEmpty() ? Map.of("run_id", runId) : Map.of("run_id", runId, "path", dir);
        for (JsonNode f : MlflowJson.array(client.get("artifacts/list", q), "files")) {
            String path = f.path("path").asText();
            if (f.path("is_dir").asBoolean(false)) {
                out.addAll(listArtifacts(runId, path));
            } else {
                out.add(new ArtifactInfo(path, f.path("file_size").asLong(0), null));
            }
        }
        out.sort(Comparator.comparing(ArtifactInfo::path));
        return out;
    }

    @Override
    public RunPage searchRuns(RunQuery query) {
        ObjectNode body = MlflowJson.object().put("filter", query.filter()).put("max_results", query.maxResults())
                .put("run_view_type", "ACTIVE_ONLY");
        ArrayNode ids = body.putArray("experiment_ids");
        query.experimentIds().forEach(ids::add);
        ArrayNode order = body.putArray("order_by");
        query.orderBy().forEach(order::add);
        if (query.pageToken() != null) {
            body.put("page_token", query.pageToken());
        }
        JsonNode page = client.post("runs/search", body);
        List<Run> runs = new ArrayList<>();
        MlflowJson.array(page, "runs").forEach(r -> runs.add(toRun(r, false)));
        return new RunPage(runs, page.path("next_page_token").asText(""));
    }

    @Override
    public List<Metric> metricHistory(String runId, String key) {
        requireRun(runId, "run");
        List<Metric> out = new ArrayList<>();
        String token = "";
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("run_id", runId);
            q.put("metric_key", key);
            q.put("max_results", Integer.toString(HISTORY_PAGE));
            if (!token.isEmpty()) {
                q.put("page_token", token);
            }
            JsonNode page = client.get("metrics/get-history", q);
            MlflowJson.array(page, "metrics").forEach(m -> out.add(MlflowJson.metric(m)));
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        return out;
    }

    // ---- artifacts ----

    private String proxyLocation(String runId, String path) {
        String root = artifactRoots.get(runId);
        if (root == null || root.isEmpty()) {
            try {
                root = client.get("runs/get", Map.of("run_id", runId)).path("run").path("info").path("artifact_uri").asText("");
            } catch (TrackingNotFoundException e) {
                throw new TrackingNotFoundException("no run with id " + runId, e);
            }
            artifactRoots.put(runId, root);
        }
        if (!root.startsWith("mlflow-artifacts:")) {
            throw new TrackingException("run " + runId + " keeps its artifacts at '" + root + "', which only MLflow's Python client"
                    + " can reach; start the MLflow server with --serve-artifacts so artifact URIs are mlflow-artifacts:/...");
        }
        String p = root.substring("mlflow-artifacts:".length());
        p = p.replaceFirst("^/+", "");
        int scheme = p.indexOf("://"); // mlflow-artifacts://host:port/path carries a host; the path follows it
        if (scheme >= 0) {
            p = p.substring(p.indexOf('/', scheme + 3) + 1);
        }
        return MlflowRestClient.encodePath(p) + "/" + MlflowRestClient.encodePath(path);
    }

    @Override
    public ArtifactInfo putArtifact(String runId, String path, InputStream content) {
        MessageDigest digest = Sha256.digest();
        long[] size = {0};
        InputStream counting = new DigestInputStream(content, digest) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                size[0] += b >= 0 ? 1 : 0;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                size[0] += Math.max(n, 0);
                return n;
            }

            @Override
            public void close() {
                // the caller owns the stream
            }
        };
        client.upload(proxyLocation(runId, path), () -> counting);
        return new ArtifactInfo(path, size[0], Sha256.hex(digest));
    }

    @Override
    public InputStream openArtifact(String runId, String path) {
        try {
            return client.download(proxyLocation(runId, path));
        } catch (TrackingNotFoundException e) {
            throw new TrackingNotFoundException("run " + runId + " has no artifact '" + path + "'", e);
        }
    }

    @Override
    public String toString() {
        return "MlflowTrackingStore[" + client.base() + "]";
    }
}
