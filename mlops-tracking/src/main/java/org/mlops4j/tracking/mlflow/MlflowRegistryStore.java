package org.mlops4j.tracking.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelNotFoundException;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.RegisteredModel;
import org.mlops4j.core.registry.RegistryConflictException;
import org.mlops4j.core.registry.RegistryStoreException;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.tracking.internal.MlflowJson;
import org.mlops4j.tracking.internal.RegistryTags;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The model registry of an MLflow server (or {@code mlops server}) as a {@link RegistryStore}, written the way
 * MLflow's Python client writes it, with no Python: {@code registered-models/create}, the bundle's files
 * uploaded through the {@code mlflow-artifacts} proxy into the artifacts of the run that trained it (or of a
 * holder run in the experiment {@value #HOLDER_EXPERIMENT} when that run is not on the server),
 * {@code model-versions/create} with that {@code source}, then aliases and tags. Lineage, metrics, the
 * manifest's checksum and the file list travel as reserved {@code mlops.*} version tags (visible in MLflow's
 * UI). The server numbers the versions; an alias moves in one request. A registration is several requests;
 * one that fails part way is undone before the failure is thrown (aliases moved back, the version deleted,
 * its files deleted where the server deletes artifacts, a model it created removed), so a failed
 * registration leaves no version without its files and no alias on a half-made version. Open it with
 * {@code TrackingStores.registry("http://mlflow:5000")}. Thread-safe.
 * {@snippet :
 * ModelRegistry registry = TrackingStores.registry("http://127.0.0.1:5000");
 * registry.register("house-prices", bundle, List.of("champion"), Map.of());
 * }
 */
public final class MlflowRegistryStore implements RegistryStore, AutoCloseable {
    /** Experiment of the holder runs that keep the files of versions registered without a run on the server. */
    public static final String HOLDER_EXPERIMENT = "mlops-model-registry";
    private static final int PAGE = 1000;

    private final MlflowRestClient client;

    MlflowRegistryStore(MlflowRestClient client) {
        this.client = client;
    }

    /** @return the server's base URI */
    public URI server() {
        return client.base();
    }

    // ---- versions ----

    @Override
    public ModelVersion addVersion(NewVersion v) {
        boolean createdModel;
        try {
            client.post("registered-models/create", MlflowJson.object().put("name", v.name()));
            createdModel = true;
        } catch (TrackingConflictException exists) {
            createdModel = false; // registered before: the new version joins it
        }
        List<String> uploaded = new ArrayList<>();
        String source = null;
        Integer number = null;
        Map<String, Optional<Integer>> movedFrom = new LinkedHashMap<>();
        try {
            String[] holder = holderRun(v.lineage().runId(), v.name());
            // One directory per attempt (never shared with another version, even of the same bundle), so undoing a
            // failed registration deletes only its own files, and a version whose answer was lost is found by it.
            String dir = "mlops-registry/" + v.name() + "/" + (v.manifestSha256() == null ? "bundle"
                    : v.manifestSha256().substring(0, Math.min(16, v.manifestSha256().length()))) + "-"
                    + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            List<String> names = new ArrayList<>(new TreeMap<>(v.files()).keySet());
            for (String name : names) {
                byte[] bytes = v.files().get(name);
                String location = MlflowRestClient.encodePath(holder[2] + "/" + dir + "/" + name);
                uploaded.add(location);
                client.upload(location, () -> new ByteArrayInputStream(bytes));
            }
            Map<String, String> tags = new LinkedHashMap<>(RegistryTags.encode(v.createdAt(), v.lineage(), v.metrics(), v.manifestSha256(), names));
            tags.putAll(v.tags());
            source = "mlflow-artifacts:/" + holder[2] + "/" + dir;
            ObjectNode body = MlflowJson.object().put("name", v.name()).put("source", source).put("description", v.description());
            if (holder[0].equals(v.lineage().runId())) {
                body.put("run_id", holder[0]);
            }
            ArrayNode t = body.putArray("tags");
            tags.forEach((k, val) -> t.addObject().put("key", k).put("value", val));
            JsonNode created;
            try {
                created = client.post("model-versions/create", body).path("model_version");
            } catch (StoreUnavailableException lost) {
                // The server may have created it and the answer was lost: find it by its source, to undo it below.
                number = versionWithSource(v.name(), source);
                throw lost;
            }
            number = Integer.parseInt(created.path("version").asText());
            for (String alias : v.aliases()) {
                movedFrom.put(alias, alias(v.name(), alias));
                setAlias(v.name(), alias, number);
            }
            int n = number;
            return version(v.name(), n).orElseThrow(() -> new RegistryStoreException("MLflow server " + client.base()
                    + " created " + v.name() + "/" + n + " but does not return it"));
        } catch (RuntimeException failure) {
            undo(v.name(), createdModel, uploaded, number, movedFrom, failure);
            throw failure;
        }
    }

    /**
     * Undoes a registration that failed part way, so it leaves nothing behind: aliases it moved go back to where
     * they pointed, the version it created is deleted, its files are deleted (where the server deletes artifacts:
     * MLflow does; {@code mlops server} does not, and the files of a version never created stay as unreferenced
     * bytes), and the model it created goes when it has no other version. Each step that fails is added to the
     * failure as suppressed.
     */
    private void undo(String name, boolean createdModel, List<String> uploaded, Integer number, Map<String, Optional<Integer>> movedFrom,
                      RuntimeException failure) {
        List<Map.Entry<String, Optional<Integer>>> moved = new ArrayList<>(movedFrom.entrySet());
        java.util.Collections.reverse(moved);
        for (Map.Entry<String, Optional<Integer>> m : moved) {
            step(failure, () -> {
                if (m.getValue().isPresent()) {
                    setAlias(name, m.getKey(), m.getValue().get());
                } else if (number != null && alias(name, m.getKey()).filter(number::equals).isPresent()) {
                    client.send("DELETE", "registered-models/alias", MlflowJson.object().put("name", name).put("alias", m.getKey()));
                }
            });
        }
        if (number != null) {
            step(failure, () -> deleteVersion(name, number));
        }
        for (String location : uploaded) {
            step(failure, () -> client.deleteArtifact(location));
        }
        if (createdModel) {
            step(failure, () -> {
                if (versions(name).isEmpty()) {
                    client.send("DELETE", "registered-models/delete", MlflowJson.object().put("name", name));
                }
            });
        }
        org.slf4j.LoggerFactory.getLogger(MlflowRegistryStore.class).warn("registering a version of '{}' on {} failed part way; undone{}: {}",
                name, client.base(), failure.getSuppressed().length == 0 ? "" : " (" + failure.getSuppressed().length + " steps could not be)",
                failure.getMessage());
    }

    private static void step(RuntimeException failure, Runnable undoStep) {
        try {
            undoStep.run();
        } catch (RuntimeException e) {
            if (!(e instanceof TrackingNotFoundException)) {
                failure.addSuppressed(e);
            }
        }
    }

    /** @return the version of {@code name} registered from {@code source}, or null (also when the server cannot be asked) */
    private Integer versionWithSource(String name, String source) {
        try {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("filter", "name = '" + name.replace("'", "''") + "'");
            q.put("max_results", Integer.toString(PAGE));
            String token = null;
            do {
                if (token != null) {
                    q.put("page_token", token);
                }
                JsonNode page = client.get("model-versions/search", q);
                for (JsonNode mv : MlflowJson.array(page, "model_versions")) {
                    if (mv.path("name").asText().equals(name) && mv.path("source").asText().equals(source)) {
                        return Integer.parseInt(mv.path("version").asText());
                    }
                }
                token = page.path("next_page_token").asText("");
            } while (!token.isEmpty());
            return null;
        } catch (RuntimeException unreachable) {
            return null;
        }
    }

    /** @return {run id, experiment id, artifact location after mlflow-artifacts:/} of the run that keeps the files */
    private String[] holderRun(String runId, String model) {
        if (runId != null && !runId.isEmpty()) {
            try {
                JsonNode info = client.get("runs/get", Map.of("run_id", runId)).path("run").path("info");
                String location = proxyPath(info.path("artifact_uri").asText(""));
                if (location != null) {
                    return new String[] {runId, info.path("experiment_id").asText(), location};
                }
            } catch (TrackingNotFoundException | IllegalArgumentException notThere) {
                // not a run of this server: a holder run keeps the files
            }
        }
        String experiment;
        try {
            experiment = client.get("experiments/get-by-name", Map.of("experiment_name", HOLDER_EXPERIMENT))
                    .path("experiment").path("experiment_id").asText();
        } catch (TrackingNotFoundException missing) {
            try {
                experiment = client.post("experiments/create", MlflowJson.object().put("name", HOLDER_EXPERIMENT)).path("experiment_id").asText();
            } catch (TrackingConflictException raced) {
                experiment = client.get("experiments/get-by-name", Map.of("experiment_name", HOLDER_EXPERIMENT))
                        .path("experiment").path("experiment_id").asText();
            }
        }
        ObjectNode create = MlflowJson.object().put("experiment_id", experiment).put("run_name", "registry-" + model)
                .put("start_time", System.currentTimeMillis());
        JsonNode info = client.post("runs/create", create).path("run").path("info");
        String id = info.path("run_id").asText();
        client.post("runs/update", MlflowJson.object().put("run_id", id).put("status", "FINISHED").put("end_time", System.currentTimeMillis()));
        String location = proxyPath(info.path("artifact_uri").asText(""));
        if (location == null) {
            throw new RegistryStoreException("MLflow server " + client.base() + " keeps run artifacts at '" + info.path("artifact_uri").asText()
                    + "', which only MLflow's Python client can reach; start it with --serve-artifacts");
        }
        return new String[] {id, experiment, location};
    }

    /** @return the path after {@code mlflow-artifacts:/} (host dropped), or null for another scheme */
    private static String proxyPath(String uri) {
        if (!uri.startsWith("mlflow-artifacts:")) {
            return null;
        }
        String p = uri.substring("mlflow-artifacts:".length()).replaceFirst("^/+", "");
        int scheme = uri.indexOf("://");
        if (scheme >= 0) {
            p = uri.substring(uri.indexOf('/', scheme + 3) + 1);
        }
        return p.replaceAll("/+$", "");
    }

    private ModelVersion versionOf(JsonNode mv) {
        Map<String, String> raw = MlflowJson.keyValues(mv, "tags");
        RegistryTags.Decoded d = RegistryTags.decode(raw);
        org.mlops4j.core.model.Lineage lineage = d.lineage();
        String run = mv.path("run_id").asText("");
        if (lineage.runId() == null && !run.isEmpty()) {
            lineage = new org.mlops4j.core.model.Lineage(run, lineage.experimentId(), lineage.datasetVersion(), lineage.datasetSource(),
                    lineage.parent());
        }
        Instant created = d.createdAt() != null ? d.createdAt() : Instant.ofEpochMilli(mv.path("creation_timestamp").asLong());
        List<String> aliases = new ArrayList<>();
        for (JsonNode a : MlflowJson.array(mv, "aliases")) {
            aliases.add(a.asText());
        }
        return new ModelVersion(mv.path("name").asText(), Integer.parseInt(mv.path("version").asText()), created, lineage, d.metrics(),
                d.tags(), aliases, d.manifestSha256(), mv.path("description").asText(""), mv.path("source").asText(null));
    }

    @Override
    public Optional<ModelVersion> version(String name, int version) {
        try {
            return Optional.of(versionOf(client.get("model-versions/get", Map.of("name", name, "version", Integer.toString(version)))
                    .path("model_version")));
        } catch (TrackingNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<ModelVersion> versions(String name) {
        List<ModelVersion> out = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("filter", "name = '" + name.replace("'", "''") + "'");
            q.put("max_results", Integer.toString(PAGE));
            if (token != null) {
                q.put("page_token", token);
            }
            JsonNode page = client.get("model-versions/search", q);
            for (JsonNode mv : MlflowJson.array(page, "model_versions")) {
                if (mv.path("name").asText().equals(name)) {
                    out.add(versionOf(mv));
                }
            }
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        out.sort(java.util.Comparator.comparingInt(ModelVersion::version));
        return out;
    }

    @Override
    public List<String> models() {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("max_results", Integer.toString(PAGE));
            if (token != null) {
                q.put("page_token", token);
            }
            JsonNode page = client.get("registered-models/search", q);
            for (JsonNode m : MlflowJson.array(page, "registered_models")) {
                out.add(m.path("name").asText());
            }
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        out.sort(null);
        return out;
    }

    @Override
    public void setAlias(String name, String alias, int version) {
        try {
            client.post("registered-models/alias", MlflowJson.object().put("name", name).put("alias", alias)
                    .put("version", Integer.toString(version)));
        } catch (TrackingNotFoundException e) {
            throw new ModelNotFoundException("model '" + name + "' has no version " + version + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public boolean deleteAlias(String name, String alias) {
        if (alias(name, alias).isEmpty()) {
            return false;
        }
        try {
            client.send("DELETE", "registered-models/alias", MlflowJson.object().put("name", name).put("alias", alias));
            return true;
        } catch (TrackingNotFoundException raced) {
            return false;
        }
    }

    @Override
    public Optional<Integer> alias(String name, String alias) {
        try {
            JsonNode mv = client.get("registered-models/alias", Map.of("name", name, "alias", alias)).path("model_version");
            return Optional.of(Integer.parseInt(mv.path("version").asText()));
        } catch (TrackingNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void setTag(String name, int version, String key, String value) {
        try {
            client.post("model-versions/set-tag", MlflowJson.object().put("name", name).put("version", Integer.toString(version))
                    .put("key", key).put("value", value));
        } catch (TrackingNotFoundException e) {
            throw notFound(name, version, e);
        }
    }

    private static ModelNotFoundException notFound(String name, int version, Exception e) {
        return new ModelNotFoundException("model '" + name + "' has no version " + version + " (" + e.getMessage() + ")");
    }

    @Override
    public Map<String, byte[]> files(String name, int version) {
        ModelVersion v = version(name, version).orElseThrow(() -> new ModelNotFoundException("model '" + name + "' has no version " + version));
        JsonNode raw;
        try {
            raw = client.get("model-versions/get-download-uri", Map.of("name", name, "version", Integer.toString(version)));
        } catch (TrackingNotFoundException e) {
            throw notFound(name, version, e);
        }
        String location = proxyPath(raw.path("artifact_uri").asText(""));
        if (location == null) {
            throw new RegistryStoreException(name + "/" + version + " keeps its files at '" + raw.path("artifact_uri").asText()
                    + "', which only MLflow's Python client can reach; serve artifacts with --serve-artifacts");
        }
        JsonNode mv = client.get("model-versions/get", Map.of("name", name, "version", Integer.toString(version))).path("model_version");
        List<String> names = RegistryTags.decode(MlflowJson.keyValues(mv, "tags")).files();
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (names.isEmpty()) { // registered by another client: the manifest lists the files
            byte[] manifest = download(location, ModelBundle.MANIFEST, v);
            files.put(ModelBundle.MANIFEST, manifest);
            for (JsonNode f : MlflowJson.parse(manifest).path("files")) {
                String path = f.path("path").asText();
                if (!path.isEmpty() && !files.containsKey(path)) {
                    files.put(path, download(location, path, v));
                }
            }
            return files;
        }
        for (String file : names) {
            files.put(file, download(location, file, v));
        }
        return files;
    }

    private byte[] download(String location, String file, ModelVersion v) {
        org.mlops4j.core.internal.Names.artifactPath(file); // a tampered file list cannot leave the version's folder
        try (InputStream in = client.download(MlflowRestClient.encodePath(location + "/" + file))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new RegistryStoreException("downloading '" + file + "' of " + v.name() + "/" + v.version() + " from "
                    + client.base() + " failed: " + e.getMessage(), e);
        }
    }

    // ---- models ----

    @Override
    public Optional<RegisteredModel> model(String name) {
        JsonNode m;
        try {
            m = client.get("registered-models/get", Map.of("name", name)).path("registered_model");
        } catch (TrackingNotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> tags = new TreeMap<>(MlflowJson.keyValues(m, "tags"));
        String created = tags.remove(RegistryTags.MODEL_CREATED);
        Map<String, Integer> aliases = new TreeMap<>();
        for (JsonNode a : MlflowJson.array(m, "aliases")) {
            aliases.put(a.path("alias").asText(), Integer.parseInt(a.path("version").asText()));
        }
        int latest = 0;
        for (ModelVersion v : versions(name)) {
            latest = Math.max(latest, v.version());
        }
        Instant createdAt = created != null ? Instant.ofEpochMilli(Long.parseLong(created)) : Instant.ofEpochMilli(m.path("creation_timestamp").asLong());
        Instant updatedAt = Instant.ofEpochMilli(m.path("last_updated_timestamp").asLong(createdAt.toEpochMilli()));
        return Optional.of(new RegisteredModel(name, m.path("description").asText(""), tags, createdAt,
                updatedAt.isBefore(createdAt) ? createdAt : updatedAt, latest, aliases));
    }

    @Override
    public RegisteredModel createModel(String name, String description, Map<String, String> tags, Instant createdAt) {
        ObjectNode body = MlflowJson.object().put("name", name).put("description", description == null ? "" : description);
        ArrayNode t = body.putArray("tags");
        t.addObject().put("key", RegistryTags.MODEL_CREATED).put("value", Long.toString(createdAt.toEpochMilli()));
        new TreeMap<>(tags).forEach((k, v) -> t.addObject().put("key", k).put("value", v));
        try {
            client.post("registered-models/create", body);
        } catch (TrackingConflictException e) {
            throw new RegistryConflictException("registered model '" + name + "' already exists (" + e.getMessage() + ")");
        }
        return model(name).orElseThrow();
    }

    private JsonNode onModel(String method, String endpoint, String name, ObjectNode body) {
        try {
            return method.equals("POST") ? client.post(endpoint, body) : client.send(method, endpoint, body);
        } catch (TrackingNotFoundException e) {
            throw new ModelNotFoundException("no model named '" + name + "' (" + e.getMessage() + ")");
        }
    }

    @Override
    public void setModelDescription(String name, String description) {
        onModel("PATCH", "registered-models/update", name, MlflowJson.object().put("name", name).put("description", description));
    }

    @Override
    public void setModelTag(String name, String key, String value) {
        onModel("POST", "registered-models/set-tag", name, MlflowJson.object().put("name", name).put("key", key).put("value", value));
    }

    @Override
    public boolean deleteModelTag(String name, String key) {
        RegisteredModel m = model(name).orElseThrow(() -> new ModelNotFoundException("no model named '" + name + "'"));
        if (!m.tags().containsKey(key)) {
            return false;
        }
        onModel("DELETE", "registered-models/delete-tag", name, MlflowJson.object().put("name", name).put("key", key));
        return true;
    }

    @Override
    public boolean deleteTag(String name, int version, String key) {
        ModelVersion v = version(name, version).orElseThrow(() -> new ModelNotFoundException("model '" + name + "' has no version " + version));
        if (!v.tags().containsKey(key)) {
            return false;
        }
        onModel("DELETE", "model-versions/delete-tag", name, MlflowJson.object().put("name", name)
                .put("version", Integer.toString(version)).put("key", key));
        return true;
    }

    @Override
    public void setVersionDescription(String name, int version, String description) {
        try {
            client.send("PATCH", "model-versions/update", MlflowJson.object().put("name", name).put("version", Integer.toString(version))
                    .put("description", description));
        } catch (TrackingNotFoundException e) {
            throw notFound(name, version, e);
        }
    }

    @Override
    public void renameModel(String name, String newName) {
        try {
            onModel("POST", "registered-models/rename", name, MlflowJson.object().put("name", name).put("new_name", newName));
        } catch (TrackingConflictException e) {
            throw new RegistryConflictException("registered model '" + newName + "' already exists (" + e.getMessage() + ")");
        }
    }

    @Override
    public void deleteVersion(String name, int version) {
        try {
            // The registry checked the aliases before calling the store (force names them); mlops server wants force
            // to delete a version an alias points at, MLflow ignores it.
            client.send("DELETE", "model-versions/delete", MlflowJson.object().put("name", name).put("version", Integer.toString(version))
                    .put("force", true));
        } catch (TrackingNotFoundException e) {
            throw notFound(name, version, e);
        }
    }

    @Override
    public void deleteModel(String name) {
        onModel("DELETE", "registered-models/delete", name, MlflowJson.object().put("name", name).put("force", true));
    }

    /** Nothing to release (HTTP connections are pooled by the JDK client). */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "MlflowRegistryStore[" + client.base() + "]";
    }
}
