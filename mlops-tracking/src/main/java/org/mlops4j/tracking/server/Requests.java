package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.tracking.internal.MlflowJson;

/**
 * What several endpoints read from MLflow requests the same way: run ids, values, page sizes and tokens,
 * and the experiment or run a request names.
 */
final class Requests {
    private Requests() {
    }

    /**
     * @param params request parameters
     * @return {@code run_id}, or MLflow's older {@code run_uuid}
     * @throws IllegalArgumentException when neither is given
     */
    static String runId(JsonNode params) {
        String id = MlflowJson.text(params, "run_id");
        if (id == null || id.isEmpty()) {
            id = MlflowJson.text(params, "run_uuid");
        }
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("missing value for required parameter 'run_id'");
        }
        return id;
    }

    /**
     * @param params request parameters
     * @return {@code value}, which may be empty but must be present
     */
    static String value(JsonNode params) {
        String v = MlflowJson.text(params, "value");
        if (v == null) {
            throw new IllegalArgumentException("missing value for required parameter 'value'");
        }
        return v;
    }

    /**
     * @param params    request parameters
     * @param byDefault the page size when {@code max_results} is absent
     * @param limit     the largest page size
     * @return the page size
     */
    static int maxResults(JsonNode params, int byDefault, int limit) {
        Long n = MlflowJson.longValue(params, "max_results");
        if (n == null) {
            return byDefault;
        }
        if (n < 1 || n > limit) {
            throw new IllegalArgumentException("max_results must be between 1 and " + limit + " but was " + n);
        }
        return n.intValue();
    }

    /**
     * @param token a page token, or null for the first page
     * @return the offset it stands for
     * @throws IllegalArgumentException for a token this server did not issue
     */
    static long offset(String token) {
        return RunQuery.experiments("0").pageToken(token).offset();
    }

    /**
     * @param tracker the tracker
     * @param id      an experiment id
     * @return the experiment
     * @throws TrackingNotFoundException when there is none
     */
    static Experiment experiment(Tracker tracker, String id) {
        return tracker.experimentById(id).orElseThrow(() -> new TrackingNotFoundException("no experiment with id " + id));
    }

    /**
     * @param tracker the tracker
     * @param id      a run id
     * @return the run
     * @throws TrackingNotFoundException when there is none
     */
    static Run run(Tracker tracker, String id) {
        return tracker.run(id).orElseThrow(() -> new TrackingNotFoundException("no run with id " + id));
    }

    /**
     * @param field the answer's one field
     * @param value its value
     * @return {@code {field: value}}
     */
    static ObjectNode single(String field, ObjectNode value) {
        ObjectNode o = MlflowJson.object();
        o.set(field, value);
        return o;
    }
}
