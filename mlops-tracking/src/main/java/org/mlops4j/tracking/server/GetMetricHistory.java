package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.internal.MlflowJson;

import java.util.List;

/** {@code GET metrics/get-history}: {@code run_id}, {@code metric_key}, in pages of at most {@value #MAX_HISTORY_PAGE} points. */
final class GetMetricHistory implements JsonEndpoint {
    static final int MAX_HISTORY_PAGE = 25_000;

    private final Tracker tracker;

    GetMetricHistory(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public ObjectNode call(JsonNode params) {
        String id = Requests.runId(params);
        String key = MlflowJson.required(params, "metric_key");
        int max = Requests.maxResults(params, MAX_HISTORY_PAGE, MAX_HISTORY_PAGE);
        long offset = Requests.offset(MlflowJson.text(params, "page_token"));
        List<Metric> all = tracker.metricHistory(id, key);
        int from = (int) Math.min(offset, all.size());
        int to = Math.min(all.size(), from + max);
        ObjectNode out = MlflowJson.object();
        ArrayNode metrics = out.putArray("metrics");
        all.subList(from, to).forEach(m -> metrics.add(MlflowJson.metricJson(m)));
        if (to < all.size()) {
            out.put("next_page_token", RunQuery.tokenForOffset(to));
        }
        return out;
    }
}
