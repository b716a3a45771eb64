package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.internal.MlflowJson;

import java.time.Instant;

/**
 * {@code POST runs/update}: a terminal {@code status} (with {@code end_time}) ends the run; a run that
 * ended cannot run again (INVALID_STATE), and renaming is not implemented.
 */
final class UpdateRun implements JsonEndpoint {
    private final Tracker tracker;

    UpdateRun(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public ObjectNode call(JsonNode params) {
        String id = Requests.runId(params);
        Run run = Requests.run(tracker, id);
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
        return Requests.single("run_info", MlflowJson.runInfoJson(Requests.run(tracker, id).info(), run.tags().get(MlflowJson.USER_TAG)));
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
}
