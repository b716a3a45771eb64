package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.internal.MlflowJson;

/** {@code GET runs/get}: {@code run_id} → {@code {run}} with its info, params, latest metrics and tags. */
final class GetRun implements JsonEndpoint {
    private final Tracker tracker;

    GetRun(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public ObjectNode call(JsonNode params) {
        return Requests.single("run", MlflowJson.runJson(Requests.run(tracker, Requests.runId(params))));
    }
}
