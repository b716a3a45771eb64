package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.internal.MlflowJson;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** {@code GET artifacts/list}: {@code run_id}, {@code path} → the run's artifact root and one directory's entries. */
final class ListArtifacts implements JsonEndpoint {
    private final Tracker tracker;

    ListArtifacts(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public ObjectNode call(JsonNode params) {
        Run run = Requests.run(tracker, Requests.runId(params));
        String dir = MlflowJson.text(params, "path");
        ObjectNode out = MlflowJson.object().put("root_uri", MlflowJson.artifactUri(run.info()));
        ArrayNode files = out.putArray("files");
        directory(run, dir == null ? "" : dir, true).forEach(files::add);
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
    static List<ObjectNode> directory(Run run, String dir, boolean pathFromRoot) {
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
}
