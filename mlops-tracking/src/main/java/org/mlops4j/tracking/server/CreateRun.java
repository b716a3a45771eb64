package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.RunInfo;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.internal.MlflowJson;

import java.time.Instant;
import java.util.Map;

/**
 * {@code POST runs/create}: {@code experiment_id} (default {@code 0}), {@code run_name}, {@code user_id},
 * {@code start_time}, {@code tags}; MLflow's parent and run-name tags become the run's parent and name.
 */
final class CreateRun implements JsonEndpoint {
    private final Tracker tracker;

    CreateRun(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public ObjectNode call(JsonNode params) {
        String experimentId = MlflowJson.text(params, "experiment_id");
        if (experimentId == null || experimentId.isEmpty()) {
            experimentId = "0";
        }
        Requests.experiment(tracker, experimentId);
        Map<String, String> tags = MlflowJson.keyValues(params, "tags");
        String parent = tags.remove(MlflowJson.PARENT_TAG);
        String tagName = tags.remove(MlflowJson.RUN_NAME_TAG);
        String name = MlflowJson.text(params, "run_name");
        String user = MlflowJson.text(params, "user_id");
        if (user != null && !user.isEmpty()) {
            tags.putIfAbsent(MlflowJson.USER_TAG, user);
        }
        Long start = MlflowJson.longValue(params, "start_time");
        RunInfo info = tracker.more().createRun(experimentId, name == null || name.isEmpty() ? tagName : name, parent,
                start == null ? null : Instant.ofEpochMilli(start), tags);
        return Requests.single("run", MlflowJson.runJson(Requests.run(tracker, info.runId())));
    }
}
