package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.internal.Names;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.registry.ModelNotFoundException;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.RegisteredModel;
import org.mlops4j.core.registry.RegistryConflictException;
import org.mlops4j.core.registry.RegistryPage;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.internal.MlflowJson;
import org.mlops4j.tracking.internal.RegistryTags;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The 21 routes of MLflow's model registry ({@code model_registry.proto}) over a {@link ModelRegistry}:
 * MLflow's verbs (PATCH for updates, DELETE with a JSON body, GET and POST for {@code get-latest-versions}),
 * snake_case fields, versions as strings, MLflow's error codes. A version's files come from its
 * {@code source}, which must be a run artifact of this server ({@code runs:/<run>/<path>} or
 * {@code mlflow-artifacts:/<experiment>/<run>/artifacts/<path>}); anything else is outside the artifact root
 * and refused. Deleting a version or model an alias points at needs {@code "force": true} (an mlops4j
 * extension; the error names the alias). Thread-safe.
 */
final class RegistryRoutes {
    /** Where the artifact proxy serves the files of versions registered without a run source. */
    static final String FILES_PREFIX = "model-registry/";
    private static final String STAGE_TAG = "mlops.stage";
    private static final List<String> STAGES = List.of("None", "Staging", "Production", "Archived");
    private static final int MAX_SOURCE_FILES = 10_000;

    private final ModelRegistry registry;
    private final Tracker tracker;
    private final long maxSourceBytes;
    private final Clock clock = Clock.systemUTC();

    /**
     * @param registry       the registry behind the routes
     * @param tracker        where version sources (run artifacts) are read from
     * @param maxSourceBytes most bytes a version's source may hold
     */
    RegistryRoutes(ModelRegistry registry, Tracker tracker, long maxSourceBytes) {
        this.registry = registry;
        this.tracker = tracker;
        this.maxSourceBytes = maxSourceBytes;
    }

    /**
     * @param b the route table to add the 21 routes to
     * @return it
     */
    RouteTable.Builder addTo(RouteTable.Builder b) {
        return b.post("registered-models/create", guard(this::createModel))
                .post("registered-models/rename", guard(this::renameModel))
                .route("registered-models/update", List.of("PATCH"), guard(this::updateModel))
                .route("registered-models/delete", List.of("DELETE"), guard(this::deleteModel))
                .get("registered-models/get", guard(this::getModel))
                .get("registered-models/search", guard(this::searchModels))
                .route("registered-models/get-latest-versions", List.of("POST", "GET"), guard(this::latestVersions))
                .post("registered-models/set-tag", guard(this::setModelTag))
                .route("registered-models/delete-tag", List.of("DELETE"), guard(this::deleteModelTag))
                .routeWithMethod("registered-models/alias", List.of("POST", "DELETE", "GET"), guard(this::alias))
                .post("model-versions/create", guard(this::createVersion))
                .route("model-versions/update", List.of("PATCH"), guard(this::updateVersion))
                .post("model-versions/transition-stage", guard(this::transitionStage))
                .route("model-versions/delete", List.of("DELETE"), guard(this::deleteVersion))
                .get("model-versions/get", guard(this::getVersion))
                .get("model-versions/search", guard(this::searchVersions))
                .get("model-versions/get-download-uri", guard(this::downloadUri))
                .post("model-versions/set-tag", guard(this::setVersionTag))
                .route("model-versions/delete-tag", List.of("DELETE"), guard(this::deleteVersionTag));
    }

    /** The alias route answers three methods; the route table hands the method over in this field. */
    static final String METHOD_FIELD = RouteTable.METHOD_FIELD;

    /** Translates the registry's exceptions into MLflow's error codes. */
    private static JsonEndpoint guard(JsonEndpoint e) {
        return params -> {
            try {
                return e.call(params);
            } catch (ModelNotFoundException nf) {
                throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", nf.getMessage());
            } catch (RegistryConflictException c) {
                throw new ApiError(400, c.getMessage().contains("already exists") ? "RESOURCE_ALREADY_EXISTS" : "INVALID_PARAMETER_VALUE",
                        c.getMessage());
            } catch (BundleIntegrityException bad) {
                throw new ApiError(400, "INVALID_PARAMETER_VALUE", bad.getMessage());
            }
        };
    }

    // ---- reading parameters ----

    private static String name(JsonNode p, String field) {
        return Names.model(field, MlflowJson.required(p, field));
    }

    private static int version(JsonNode p) {
        String v = MlflowJson.required(p, "version");
        if (v.length() > 9 || !v.chars().allMatch(Character::isDigit) || Integer.parseInt(v) < 1) {
            throw new IllegalArgumentException("version must be a whole number >= 1 (as a string) but was '" + v + "'");
        }
        return Integer.parseInt(v);
    }

    private static String key(JsonNode p) {
        return Names.key("tag", MlflowJson.required(p, "key"));
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else {
            out.add(n.asText());
        }
        return out;
    }

    private static int maxResults(JsonNode p, int byDefault, int limit) {
        return Requests.maxResults(p, byDefault, limit);
    }

    private static Map<String, String> tags(JsonNode p) {
        Map<String, String> tags = MlflowJson.keyValues(p, "tags");
        tags.forEach((k, v) -> {
            Names.key("tag", k);
            Names.tagValue(k, v);
        });
        return tags;
    }

    // ---- JSON ----

    private ObjectNode modelJson(RegisteredModel m) {
        ObjectNode o = MlflowJson.object().put("name", m.name()).put("creation_timestamp", m.createdAt().toEpochMilli())
                .put("last_updated_timestamp", m.updatedAt().toEpochMilli()).put("description", m.description());
        ArrayNode latest = o.putArray("latest_versions");
        latestPerStage(m.name(), List.of()).forEach(v -> latest.add(versionJson(v)));
        MlflowJson.putKeyValues(o.putArray("tags"), m.tags());
        ArrayNode aliases = o.putArray("aliases");
        m.aliases().forEach((a, v) -> aliases.addObject().put("alias", a).put("version", Integer.toString(v)));
        return o;
    }

    private static String stage(ModelVersion v) {
        return v.tags().getOrDefault(STAGE_TAG, "None");
    }

    static ObjectNode versionJson(ModelVersion v) {
        ObjectNode o = MlflowJson.object().put("name", v.name()).put("version", Integer.toString(v.version()))
                .put("creation_timestamp", v.createdAt().toEpochMilli()).put("last_updated_timestamp", v.createdAt().toEpochMilli())
                .put("current_stage", stage(v)).put("description", v.description()).put("source", source(v))
                .put("run_id", v.lineage().runId() == null ? "" : v.lineage().runId()).put("status", "READY");
        Map<String, String> tags = new TreeMap<>(v.tags());
        tags.remove(STAGE_TAG);
        tags.putAll(RegistryTags.encode(v.createdAt(), v.lineage(), v.metrics(), v.manifestSha256(), List.of()));
        MlflowJson.putKeyValues(o.putArray("tags"), tags);
        ArrayNode aliases = o.putArray("aliases");
        v.aliases().forEach(aliases::add);
        return o;
    }

    /** @return the version's source, or where the artifact proxy serves its files */
    static String source(ModelVersion v) {
        return v.source() != null && !v.source().isEmpty() ? v.source() : "mlflow-artifacts:/" + FILES_PREFIX + v.name() + "/" + v.version();
    }

    private static ObjectNode single(String field, ObjectNode value) {
        return Requests.single(field, value);
    }

    // ---- registered models ----

    private ObjectNode createModel(JsonNode p) {
        String name = name(p, "name");
        Map<String, String> tags = new LinkedHashMap<>(tags(p));
        String created = tags.remove(RegistryTags.MODEL_CREATED); // an mlops4j client's creation time
        Instant at = clock.instant();
        if (created != null) {
            try {
                at = Instant.ofEpochMilli(Long.parseLong(created));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("tag " + RegistryTags.MODEL_CREATED + " must be epoch milliseconds but was '" + created + "'");
            }
        }
        return single("registered_model", modelJson(registry.createModel(name, MlflowJson.text(p, "description"), tags, at)));
    }

    private ObjectNode renameModel(JsonNode p) {
        String name = name(p, "name");
        String newName = name(p, "new_name");
        registry.renameModel(name, newName);
        return single("registered_model", modelJson(registry.model(newName).orElseThrow()));
    }

    private ObjectNode updateModel(JsonNode p) {
        String name = name(p, "name");
        String description = MlflowJson.text(p, "description");
        if (description != null) {
            registry.setDescription(name, description);
        }
        return single("registered_model", modelJson(requireModel(name)));
    }

    private RegisteredModel requireModel(String name) {
        return registry.model(name).orElseThrow(() -> new ModelNotFoundException("Registered Model with name=" + name + " not found"));
    }

    private ObjectNode deleteModel(JsonNode p) {
        registry.deleteModel(name(p, "name"), p.path("force").asBoolean(false));
        return MlflowJson.object();
    }

    private ObjectNode getModel(JsonNode p) {
        return single("registered_model", modelJson(requireModel(name(p, "name"))));
    }

    private ObjectNode searchModels(JsonNode p) {
        RegistryPage<RegisteredModel> page = registry.searchModels(MlflowJson.text(p, "filter"), texts(p.get("order_by")),
                maxResults(p, 100, 1000), MlflowJson.text(p, "page_token"));
        ObjectNode out = MlflowJson.object();
        ArrayNode models = out.putArray("registered_models");
        page.items().forEach(m -> models.add(modelJson(m)));
        page.nextPageToken().ifPresent(t -> out.put("next_page_token", t));
        return out;
    }

    private List<ModelVersion> latestPerStage(String name, List<String> stages) {
        Map<String, ModelVersion> latest = new TreeMap<>();
        for (ModelVersion v : registry.versions(name)) {
            latest.put(stage(v), v); // oldest first: the last one per stage wins
        }
        List<ModelVersion> out = new ArrayList<>();
        latest.forEach((stage, v) -> {
            if (stages.isEmpty() || stages.stream().anyMatch(s -> s.equalsIgnoreCase(stage))) {
                out.add(v);
            }
        });
        return out;
    }

    private ObjectNode latestVersions(JsonNode p) {
        String name = name(p, "name");
        requireModel(name);
        List<String> stages = texts(p.get("stages"));
        for (String s : stages) {
            canonicalStage(s);
        }
        ObjectNode out = MlflowJson.object();
        ArrayNode versions = out.putArray("model_versions");
        latestPerStage(name, stages).forEach(v -> versions.add(versionJson(v)));
        return out;
    }

    private ObjectNode setModelTag(JsonNode p) {
        String key = key(p);
        registry.setModelTag(name(p, "name"), key, Requests.value(p));
        return MlflowJson.object();
    }

    private ObjectNode deleteModelTag(JsonNode p) {
        String name = name(p, "name");
        String key = key(p);
        if (!registry.deleteModelTag(name, key)) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "registered model '" + name + "' has no tag '" + key + "'");
        }
        return MlflowJson.object();
    }

    private ObjectNode alias(JsonNode p) {
        String method = p.path(METHOD_FIELD).asText("GET");
        String name = name(p, "name");
        String alias = Names.alias(MlflowJson.required(p, "alias"));
        switch (method) {
            case "POST" -> {
                registry.setAlias(name, alias, version(p));
                return MlflowJson.object();
            }
            case "DELETE" -> {
                requireModel(name);
                if (!registry.deleteAlias(name, alias)) {
                    throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "registered model '" + name + "' has no alias '" + alias + "'");
                }
                return MlflowJson.object();
            }
            default -> {
                return single("model_version", versionJson(registry.version(name + "@" + alias)));
            }
        }
    }

    // ---- versions ----

    private ObjectNode createVersion(JsonNode p) {
        String name = name(p, "name");
        String source = MlflowJson.required(p, "source");
        String[] runAndPath = runSource(source);
        Run run = tracker.run(runAndPath[0]).orElseThrow(() -> new ApiError(400, "INVALID_PARAMETER_VALUE",
                "source '" + source + "' names run " + runAndPath[0] + ", which this server does not have"));
        Map<String, byte[]> files = read(run, runAndPath[1], source);
        Map<String, String> given = tags(p);
        RegistryTags.Decoded d = RegistryTags.decode(given);
        Map<String, String> tags = new TreeMap<>(d.tags());
        if (!d.files().isEmpty()) {
            tags.put(RegistryTags.FILES, String.join("\n", d.files()));
        }
        String runId = MlflowJson.text(p, "run_id");
        Lineage lineage = d.lineage();
        if (runId != null && !runId.isEmpty()) {
            if (lineage.runId() != null && !lineage.runId().equals(runId)) {
                throw new IllegalArgumentException("run_id '" + runId + "' differs from tag mlops.lineage.run_id '" + lineage.runId() + "'");
            }
            lineage = new Lineage(runId, lineage.experimentId() == null ? run.info().experimentId() : lineage.experimentId(),
                    lineage.datasetVersion(), lineage.datasetSource(), lineage.parent());
        }
        Instant created = d.createdAt() != null ? d.createdAt() : clock.instant();
        ModelVersion v = registry.register(new RegistryStore.NewVersion(name, created, lineage, d.metrics(), tags, List.of(), files,
                d.manifestSha256(), MlflowJson.text(p, "description"), source));
        return single("model_version", versionJson(v));
    }

    /** @return {run id, path} of a source that lies in this server's artifact root */
    private static String[] runSource(String source) {
        String rest = null;
        String runId = null;
        if (source.startsWith("runs:/")) {
            String r = source.substring("runs:/".length());
            int slash = r.indexOf('/');
            if (slash > 0) {
                runId = r.substring(0, slash);
                rest = r.substring(slash + 1);
            }
        } else if (source.startsWith("mlflow-artifacts:")) {
            String r = source.substring("mlflow-artifacts:".length());
            if (r.startsWith("//")) { // mlflow-artifacts://host:port/path
                int slash = r.indexOf('/', 2);
                r = slash < 0 ? "" : r.substring(slash);
            }
            r = r.replaceFirst("^/", "");
            String[] parts = r.split("/", 4);
            if (parts.length == 4 && parts[2].equals("artifacts") && !parts[0].isEmpty()) {
                runId = parts[1];
                rest = parts[3];
            }
        }
        if (runId == null || rest == null || rest.isEmpty() || source.contains("%") || source.contains("\\")) {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", "source '" + (source.length() > 300 ? source.substring(0, 300) + "..." : source)
                    + "' is outside this server's artifact root: give runs:/<run_id>/<path> or"
                    + " mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path> (upload the files through the artifact proxy first)");
        }
        return new String[] {runId, Names.artifactPath(rest.replaceAll("/+$", ""))};
    }

    private Map<String, byte[]> read(Run run, String dir, String source) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        long total = 0;
        for (ArtifactInfo a : run.artifacts()) {
            if (!a.path().startsWith(dir + "/")) {
                continue;
            }
            if (files.size() >= MAX_SOURCE_FILES) {
                throw new ApiError(400, "INVALID_PARAMETER_VALUE", "source '" + source + "' holds more than " + MAX_SOURCE_FILES + " files");
            }
            total += a.size();
            if (total > maxSourceBytes) {
                throw new ApiError(400, "INVALID_PARAMETER_VALUE", "source '" + source + "' holds more than " + maxSourceBytes
                        + " bytes (the server's artifact limit)");
            }
            try (InputStream in = tracker.openArtifact(run.id(), a.path())) {
                files.put(a.path().substring(dir.length() + 1), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (files.isEmpty()) {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", "source '" + source + "' holds no files: upload them through"
                    + " /api/2.0/mlflow-artifacts/artifacts/... before creating the version");
        }
        return files;
    }

    private ObjectNode updateVersion(JsonNode p) {
        String name = name(p, "name");
        int version = version(p);
        String description = MlflowJson.text(p, "description");
        if (description != null) {
            registry.setVersionDescription(name, version, description);
        }
        return single("model_version", versionJson(registry.version(name + "/" + version)));
    }

    private static String canonicalStage(String stage) {
        for (String s : STAGES) {
            if (s.equalsIgnoreCase(stage)) {
                return s;
            }
        }
        throw new IllegalArgumentException("stage must be one of " + STAGES + " but was '" + stage + "'");
    }

    private ObjectNode transitionStage(JsonNode p) {
        String name = name(p, "name");
        int version = version(p);
        String stage = canonicalStage(MlflowJson.required(p, "stage"));
        registry.version(name + "/" + version);
        if (p.path("archive_existing_versions").asBoolean(false) && !stage.equals("None") && !stage.equals("Archived")) {
            for (ModelVersion other : registry.versions(name)) {
                if (other.version() != version && stage(other).equals(stage)) {
                    registry.setTag(name, other.version(), STAGE_TAG, "Archived");
                }
            }
        }
        registry.setTag(name, version, STAGE_TAG, stage);
        return single("model_version", versionJson(registry.version(name + "/" + version)));
    }

    private ObjectNode deleteVersion(JsonNode p) {
        registry.deleteVersion(name(p, "name"), version(p), p.path("force").asBoolean(false));
        return MlflowJson.object();
    }

    private ObjectNode getVersion(JsonNode p) {
        return single("model_version", versionJson(registry.version(name(p, "name") + "/" + version(p))));
    }

    private ObjectNode searchVersions(JsonNode p) {
        RegistryPage<ModelVersion> page = registry.searchVersions(MlflowJson.text(p, "filter"), texts(p.get("order_by")),
                maxResults(p, 10_000, 10_000), MlflowJson.text(p, "page_token"));
        ObjectNode out = MlflowJson.object();
        ArrayNode versions = out.putArray("model_versions");
        page.items().forEach(v -> versions.add(versionJson(v)));
        page.nextPageToken().ifPresent(t -> out.put("next_page_token", t));
        return out;
    }

    private ObjectNode downloadUri(JsonNode p) {
        ModelVersion v = registry.version(name(p, "name") + "/" + version(p));
        String source = source(v);
        if (source.startsWith("runs:/")) {
            String[] rp = runSource(source);
            Run run = tracker.run(rp[0]).orElseThrow(() -> new ModelNotFoundException("the run " + rp[0] + " of " + v.ref() + " is gone"));
            source = MlflowJson.artifactUri(run.info()) + "/" + rp[1];
        }
        return MlflowJson.object().put("artifact_uri", source);
    }

    private ObjectNode setVersionTag(JsonNode p) {
        String key = key(p);
        if (key.equals(STAGE_TAG)) {
            throw new IllegalArgumentException("tag " + STAGE_TAG + " is set by model-versions/transition-stage");
        }
        registry.setTag(name(p, "name"), version(p), key, Requests.value(p));
        return MlflowJson.object();
    }

    private ObjectNode deleteVersionTag(JsonNode p) {
        String name = name(p, "name");
        int version = version(p);
        String key = key(p);
        if (!registry.deleteTag(name, version, key)) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", name + "/" + version + " has no tag '" + key + "'");
        }
        return MlflowJson.object();
    }

    /**
     * The artifact proxy's view of versions without a run source: {@code model-registry/<name>/<version>/<file>}.
     *
     * @param location the path after {@value #FILES_PREFIX}
     * @return the file's bytes
     */
    byte[] file(String location) {
        String[] parts = location.split("/", 3);
        if (parts.length < 3) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "registry files are " + FILES_PREFIX + "<name>/<version>/<file>");
        }
        String name = Names.model("model name", parts[0]);
        int version;
        try {
            version = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "no version '" + parts[1] + "' of " + name);
        }
        try {
            ModelVersion v = registry.version(name + "/" + version);
            byte[] bytes = registry.files(v).get(parts[2]);
            if (bytes == null) {
                throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", v.ref() + " has no file '" + parts[2] + "'");
            }
            return bytes;
        } catch (ModelNotFoundException e) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", e.getMessage());
        }
    }

    /**
     * @param location the path after {@value #FILES_PREFIX}, {@code <name>/<version>}
     * @return the proxy's listing of that version's files
     */
    ObjectNode list(String location) {
        String[] parts = location.replaceAll("/+$", "").split("/");
        if (parts.length != 2) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "registry listings are " + FILES_PREFIX + "<name>/<version>");
        }
        ModelVersion v;
        try {
            v = registry.version(Names.model("model name", parts[0]) + "/" + Integer.parseInt(parts[1]));
        } catch (NumberFormatException | ModelNotFoundException e) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "no version " + location);
        }
        ObjectNode out = MlflowJson.object();
        ArrayNode files = out.putArray("files");
        registry.files(v).forEach((path, bytes) -> files.addObject().put("path", path).put("is_dir", false)
                .put("file_size", bytes.length));
        return out;
    }

    @Override
    public String toString() {
        return "RegistryRoutes[" + registry + "]";
    }
}
