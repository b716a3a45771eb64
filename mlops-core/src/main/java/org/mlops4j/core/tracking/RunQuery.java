package org.mlops4j.core.tracking;

import org.mlops4j.core.tracking.spi.RunFilter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A search for runs in MLflow's syntax: experiments, a filter, an order and a page. Immutable; each
 * {@code with...} method returns a new query, and is checked when called (a bad filter fails here, naming
 * the position). Default order: newest start first; default page size 1,000 (at most
 * {@value #MAX_RESULTS}).
 * {@snippet :
 * RunPage page = tracker.searchRuns(RunQuery.experiments(exp.id())
 *         .filter("metrics.rmse < 3.0 and params.trees = '100'")
 *         .orderBy("metrics.rmse ASC")
 *         .maxResults(10));
 * page.nextPageToken().ifPresent(token -> tracker.searchRuns(query.pageToken(token)));
 * }
 */
public final class RunQuery {
    /** Largest page, as in MLflow. */
    public static final int MAX_RESULTS = 50_000;
    /** Most experiments one search names. */
    public static final int MAX_EXPERIMENTS = 1_000;
    /** Default page size. */
    public static final int DEFAULT_MAX_RESULTS = 1_000;

    private final List<String> experimentIds;
    private final String filter;
    private final RunFilter parsedFilter;
    private final List<String> orderBy;
    private final List<RunFilter.Order> parsedOrder;
    private final int maxResults;
    private final String pageToken;

    private RunQuery(List<String> experimentIds, String filter, List<String> orderBy, int maxResults, String pageToken) {
        this.experimentIds = List.copyOf(experimentIds);
        this.filter = filter;
        this.parsedFilter = RunFilter.parse(filter);
        this.orderBy = List.copyOf(orderBy);
        this.parsedOrder = RunFilter.parseOrderBy(orderBy);
        this.maxResults = maxResults;
        this.pageToken = pageToken;
    }

    /**
     * @param experimentIds the experiments to search (at least one)
     * @return a query for every run of them
     */
    public static RunQuery experiments(String... experimentIds) {
        return experiments(List.of(experimentIds));
    }

    /**
     * @param experimentIds the experiments to search (at least one)
     * @return a query for every run of them
     */
    public static RunQuery experiments(List<String> experimentIds) {
        if (experimentIds.isEmpty()) {
            throw new IllegalArgumentException("a run search needs at least one experiment id");
        }
        if (experimentIds.size() > MAX_EXPERIMENTS) {
            throw new IllegalArgumentException("a run search names at most " + MAX_EXPERIMENTS + " experiment ids but this one names "
                    + experimentIds.size() + " (RunQuery.MAX_EXPERIMENTS)");
        }
        experimentIds.forEach(id -> Objects.requireNonNull(id, "experiment id"));
        return new RunQuery(experimentIds, "", List.of(), DEFAULT_MAX_RESULTS, null);
    }

    /**
     * @param filterText MLflow filter, e.g. {@code metrics.rmse < 3 and tags.stage = 'prod'}; blank for all
     * @return a new query
     * @throws IllegalArgumentException when the filter does not parse, naming the position
     */
    public RunQuery filter(String filterText) {
        return new RunQuery(experimentIds, filterText == null ? "" : filterText, orderBy, maxResults, pageToken);
    }

    /**
     * @param clauses e.g. {@code "metrics.rmse ASC"}, {@code "attributes.start_time DESC"}
     * @return a new query
     */
    public RunQuery orderBy(String... clauses) {
        return orderBy(List.of(clauses));
    }

    /**
     * @param clauses sort clauses, first most significant
     * @return a new query
     */
    public RunQuery orderBy(List<String> clauses) {
        return new RunQuery(experimentIds, filter, clauses, maxResults, pageToken);
    }

    /**
     * @param n page size, 1 to {@value #MAX_RESULTS}
     * @return a new query
     */
    public RunQuery maxResults(int n) {
        if (n < 1 || n > MAX_RESULTS) {
            throw new IllegalArgumentException("maxResults must be between 1 and " + MAX_RESULTS + " but was " + n);
        }
        return new RunQuery(experimentIds, filter, orderBy, n, pageToken);
    }

    /**
     * @param token a token from {@link RunPage#nextPageToken()}, or null for the first page
     * @return a new query
     */
    public RunQuery pageToken(String token) {
        return new RunQuery(experimentIds, filter, orderBy, maxResults, token == null || token.isEmpty() ? null : token);
    }

    /** @return the experiments searched */
    public List<String> experimentIds() {
        return experimentIds;
    }

    /** @return the filter text ("" for all) */
    public String filter() {
        return filter;
    }

    /** @return the parsed filter, for stores */
    public RunFilter parsedFilter() {
        return parsedFilter;
    }

    /** @return the order-by clauses as given */
    public List<String> orderBy() {
        return orderBy;
    }

    /** @return the parsed sort keys, for stores */
    public List<RunFilter.Order> parsedOrder() {
        return parsedOrder;
    }

    /** @return the page size */
    public int maxResults() {
        return maxResults;
    }

    /** @return the page token, or null for the first page */
    public String pageToken() {
        return pageToken;
    }

    /**
     * For stores that page by offset (every mlops4j store): the offset this query's token stands for.
     *
     * @return the number of runs to skip
     * @throws IllegalArgumentException when the token was not made by {@link #tokenForOffset(long)}
     */
    public long offset() {
        if (pageToken == null) {
            return 0;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
            if (s.startsWith("offset:")) {
                long o = Long.parseLong(s.substring(7));
                if (o >= 0) {
                    return o;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("invalid page token '" + pageToken + "': pass a token from a previous result unchanged");
    }

    /**
     * @param offset runs to skip for the next page
     * @return the opaque token for it
     */
    public static String tokenForOffset(long offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RunQuery[experiments=" + experimentIds + (filter.isEmpty() ? "" : ", filter=" + filter)
                + (orderBy.isEmpty() ? "" : ", orderBy=" + orderBy) + ", maxResults=" + maxResults
                + (pageToken == null ? "" : ", pageToken=" + pageToken) + "]";
    }
}
