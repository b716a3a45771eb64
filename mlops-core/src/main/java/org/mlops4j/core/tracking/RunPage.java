package org.mlops4j.core.tracking;

import java.util.List;
import java.util.Optional;

/**
 * One page of a run search.
 * {@snippet :
 * RunPage page = tracker.searchRuns(RunQuery.experiments(id).maxResults(100));
 * page.runs(); page.nextPageToken(); // empty on the last page
 * }
 *
 * @param runs  the runs of this page, in the query's order
 * @param token the token of the next page, or null when this is the last
 */
public record RunPage(List<Run> runs, String token) {

    /** Copies. */
    public RunPage {
        runs = List.copyOf(runs);
        token = token == null || token.isEmpty() ? null : token;
    }

    /** @return the token to pass to {@link RunQuery#pageToken(String)} for the next page, if there is one */
    public Optional<String> nextPageToken() {
        return Optional.ofNullable(token);
    }
}
