package org.mlops4j.tracking.server;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.tracking.TrackingStores;
import org.mlops4j.tracking.internal.MlflowJson;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes MLflow's JSON decoders as the server runs them: any body, sent to any route of the table (over an
 * in-memory store), is answered or refused with one of the exceptions the handler maps to a 4xx; never
 * another exception, which would be a 500.
 */
class MlflowJsonFuzzTest {
    private static final Tracker TRACKER = TrackingStores.tracker("memory:");
    private static final RouteTable ROUTES = RouteTable.mlflow(TRACKER);
    private static final List<String> NAMES = List.of("experiments/create", "experiments/get", "experiments/get-by-name",
            "experiments/search", "experiments/set-experiment-tag", "runs/create", "runs/update", "runs/get", "runs/log-metric",
            "runs/log-parameter", "runs/set-tag", "runs/log-batch", "runs/search", "metrics/get-history", "artifacts/list");
    private static final String RUN;

    static {
        try (ActiveRun run = TRACKER.startRun("fuzz")) {
            RUN = run.id();
        }
    }

    @FuzzTest(maxDuration = "5s")
    void decodersAnswerOrRefuseCleanly(FuzzedDataProvider data) {
        String route = data.pickValue(NAMES);
        String method = data.pickValue(new String[] {"GET", "POST"});
        String body = data.consumeRemainingAsString().replace("$RUN", RUN);
        JsonNode params;
        try {
            params = MlflowJson.parse(body.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        try {
            assertThat(ROUTES.call(method, route, params)).isNotNull();
        } catch (ApiError | IllegalArgumentException | IllegalStateException | TrackingNotFoundException | TrackingConflictException e) {
            assertThat(e.getMessage()).as(e.getClass().getName()).isNotBlank();
        }
    }
}
