package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.spi.RunFilter;
import org.mlops4j.tracking.internal.MlflowJson;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code experiments/search} (and the older {@code experiments/list}): newest first, paged, with the name
 * filters MLflow's clients send ({@code name = 'x'}, {@code !=}, {@code LIKE}, {@code ILIKE}).
 */
final class SearchExperiments implements JsonEndpoint {
    private static final Pattern EXPERIMENT_FILTER =
            Pattern.compile("(?i)^\\s*(?:attributes?\\.)?name\\s*(=|!=|like|ilike)\\s*'((?:[^']++|'')*+)'\\s*$");

    private final Tracker tracker;

    SearchExperiments(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public ObjectNode call(JsonNode params) {
        int max = Requests.maxResults(params, 1000, RunQuery.MAX_RESULTS);
        long offset = Requests.offset(MlflowJson.text(params, "page_token"));
        String filter = MlflowJson.text(params, "filter");
        List<Experiment> all = new ArrayList<>(tracker.experiments());
        if (filter != null && filter.length() > RunFilter.MAX_FILTER_CHARS) {
            throw new IllegalArgumentException("invalid experiment filter: it has " + filter.length() + " characters but at most "
                    + RunFilter.MAX_FILTER_CHARS + " are allowed");
        }
        if (filter != null && !filter.isBlank()) {
            Matcher m = EXPERIMENT_FILTER.matcher(filter);
            if (!m.matches()) {
                throw new IllegalArgumentException("invalid experiment filter '" + filter
                        + "': mlops server supports name = 'x', name != 'x', name LIKE 'x%' and name ILIKE 'x%'");
            }
            String op = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2).replace("''", "'");
            all.removeIf(e -> !switch (op) {
                case "=" -> e.name().equals(value);
                case "!=" -> !e.name().equals(value);
                case "like" -> RunFilter.like(e.name(), value, false); // linear, never a backtracking regex
                default -> RunFilter.like(e.name(), value, true);
            });
        }
        all.sort(Comparator.comparing(Experiment::createdAt).reversed().thenComparing(e -> Long.parseLong(e.id())));
        ObjectNode out = MlflowJson.object();
        ArrayNode list = out.putArray("experiments");
        int from = (int) Math.min(offset, all.size());
        int to = Math.min(all.size(), from + max);
        all.subList(from, to).forEach(e -> list.add(MlflowJson.experimentJson(e)));
        if (to < all.size()) {
            out.put("next_page_token", RunQuery.tokenForOffset(to));
        }
        return out;
    }
}
