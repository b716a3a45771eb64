package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.tracking.internal.MlflowJson;

/** {@code GET experiments/get} ({@code experiment_id}) and {@code GET experiments/get-by-name} ({@code experiment_name}). */
final class GetExperiment {
    private final Tracker tracker;

    GetExperiment(Tracker tracker) {
        this.tracker = tracker;
    }

    /**
     * @param params {@code experiment_id}
     * @return {@code {experiment}}
     */
    ObjectNode byId(JsonNode params) {
        return Requests.single("experiment", MlflowJson.experimentJson(Requests.experiment(tracker, MlflowJson.required(params, "experiment_id"))));
    }

    /**
     * @param params {@code experiment_name}
     * @return {@code {experiment}}
     */
    ObjectNode byName(JsonNode params) {
        String name = MlflowJson.required(params, "experiment_name");
        Experiment e = tracker.experimentByName(name)
                .orElseThrow(() -> new TrackingNotFoundException("no experiment named '" + name + "'"));
        return Requests.single("experiment", MlflowJson.experimentJson(e));
    }
}
