package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.RunPage;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.internal.MlflowJson;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST runs/search}: {@code experiment_ids}, {@code filter} (MLflow's syntax), {@code order_by},
 * {@code max_results}, {@code page_token}, through {@link RunQuery} so the server searches exactly as the
 * embedded API does.
 */
final class SearchRuns implements JsonEndpoint {
    private final Tracker tracker;

    SearchRuns(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public ObjectNode call(JsonNode params) {
        List<String> experiments = texts(params.get("experiment_ids"));
        if (experiments.isEmpty()) {
            throw new IllegalArgumentException("missing value for required parameter 'experiment_ids'");
        }
        RunQuery q = RunQuery.experiments(experiments)
                .filter(MlflowJson.text(params, "filter"))
                .orderBy(texts(params.get("order_by")))
                .maxResults(Requests.maxResults(params, RunQuery.DEFAULT_MAX_RESULTS, RunQuery.MAX_RESULTS))
                .pageToken(MlflowJson.text(params, "page_token"));
        q.offset(); // an invalid token fails here, as a bad parameter
        RunPage page = tracker.searchRuns(q);
        ObjectNode out = MlflowJson.object();
        ArrayNode runs = out.putArray("runs");
        page.runs().forEach(r -> runs.add(MlflowJson.runJson(r)));
        page.nextPageToken().ifPresent(t -> out.put("next_page_token", t));
        return out;
    }

    /** An array of strings, or one string (GET query parameters that appear once). */
    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        } else if (n != null && !n.isNull()) {
            out.add(n.asText());
        }
        return out;
    }
}
