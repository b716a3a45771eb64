package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.RunBatch;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.internal.MlflowJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The writes into a run: {@code runs/log-metric}, {@code runs/log-parameter}, {@code runs/set-tag} and
 * {@code runs/log-batch}, each one synchronous batch through the tracker (so the tracker's rules apply:
 * names, limits, params that cannot change).
 */
final class LogToRun {
    private final Tracker tracker;

    LogToRun(Tracker tracker) {
        this.tracker = tracker;
    }

    /**
     * @param params {@code run_id}, {@code key}, {@code value}, {@code timestamp}, {@code step}
     * @return the empty answer
     */
    ObjectNode metric(JsonNode params) {
        return log(Requests.runId(params), new RunBatch(Map.of(), List.of(MlflowJson.metric(params)), Map.of()));
    }

    /**
     * @param params {@code run_id}, {@code key}, {@code value}
     * @return the empty answer
     */
    ObjectNode param(JsonNode params) {
        return log(Requests.runId(params), new RunBatch(Map.of(MlflowJson.required(params, "key"), Requests.value(params)), List.of(), Map.of()));
    }

    /**
     * @param params {@code run_id}, {@code key}, {@code value}
     * @return the empty answer
     */
    ObjectNode tag(JsonNode params) {
        return log(Requests.runId(params), new RunBatch(Map.of(), List.of(), Map.of(MlflowJson.required(params, "key"), Requests.value(params))));
    }

    /**
     * @param params {@code run_id}, {@code metrics}, {@code params}, {@code tags}: at most
     *               {@value RunBatch#MAX_METRICS} entries together
     * @return the empty answer
     */
    ObjectNode batch(JsonNode params) {
        String id = Requests.runId(params);
        List<Metric> metrics = new ArrayList<>();
        for (JsonNode m : MlflowJson.array(params, "metrics")) {
            metrics.add(MlflowJson.metric(m));
        }
        Map<String, String> p = MlflowJson.keyValues(params, "params");
        Map<String, String> t = MlflowJson.keyValues(params, "tags");
        int total = metrics.size() + p.size() + t.size();
        if (total > RunBatch.MAX_METRICS) {
            throw new IllegalArgumentException("a log-batch request holds at most " + RunBatch.MAX_METRICS
                    + " metrics, params and tags together but this one has " + total);
        }
        return log(id, new RunBatch(p, metrics, t));
    }

    private ObjectNode log(String runId, RunBatch batch) {
        tracker.more().logBatch(runId, batch);
        return MlflowJson.object();
    }
}
