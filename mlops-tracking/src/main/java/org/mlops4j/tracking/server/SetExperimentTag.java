package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.internal.MlflowJson;

/** {@code POST experiments/set-experiment-tag}: {@code experiment_id}, {@code key}, {@code value}. */
final class SetExperimentTag implements JsonEndpoint {
    private final Tracker tracker;

    SetExperimentTag(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public ObjectNode call(JsonNode params) {
        tracker.setExperimentTag(Requests.experiment(tracker, MlflowJson.required(params, "experiment_id")).id(),
                MlflowJson.required(params, "key"), Requests.value(params));
        return MlflowJson.object();
    }
}
