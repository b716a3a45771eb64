package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.tracking.internal.MlflowJson;

/** {@code POST experiments/create}: {@code name}, {@code tags} → {@code experiment_id}; a taken name is RESOURCE_ALREADY_EXISTS. */
final class CreateExperiment implements JsonEndpoint {
    private final Tracker tracker;

    CreateExperiment(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public ObjectNode call(JsonNode params) {
        String name = MlflowJson.required(params, "name");
        try {
            Experiment e = tracker.createExperiment(name, MlflowJson.keyValues(params, "tags"));
            return MlflowJson.object().put("experiment_id", e.id());
        } catch (TrackingConflictException e) {
            throw new ApiError(400, "RESOURCE_ALREADY_EXISTS", "experiment '" + name + "' already exists");
        }
    }
}
