package org.mlops4j.tracking.server;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.tracking.TrackingStores;
import org.mlops4j.tracking.internal.MlflowJson;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes MLflow's JSON decoders as the server runs them: any body, sent to any route of the table (tracking and
 * registry, over in-memory stores), is answered or refused with one of the exceptions the handler maps to a
 * 4xx; never another exception, which would be a 500.
 *
 * <p>Input layout (so the committed seeds under {@code MlflowJsonFuzzTestInputs/} mean what they say): byte 0
 * picks the route (modulo {@link #NAMES}), byte 1 the method (modulo 4: GET, POST, PATCH, DELETE), the rest is
 * the body in UTF-8, with {@code $RUN} replaced by a real run id. {@link FuzzedDataProvider} would take
 * integers from the end of the input, which made every seed an invalid body.
 */
class MlflowJsonFuzzTest {
    private static final Tracker TRACKER = TrackingStores.tracker("memory:");
    private static final ModelRegistry REGISTRY = ModelRegistry.inMemory();
    private static final RouteTable ROUTES = RouteTable.mlflow(TRACKER, new RegistryRoutes(REGISTRY, TRACKER, 1 << 20));
    static final List<String> NAMES = List.of("experiments/create", "experiments/get", "experiments/get-by-name",
            "experiments/search", "experiments/set-experiment-tag", "runs/create", "runs/update", "runs/get", "runs/log-metric",
            "runs/log-parameter", "runs/set-tag", "runs/log-batch", "runs/search", "metrics/get-history", "artifacts/list",
            "registered-models/create", "registered-models/get", "registered-models/search", "registered-models/update",
            "registered-models/rename", "registered-models/delete", "registered-models/set-tag", "registered-models/delete-tag",
            "registered-models/alias", "registered-models/get-latest-versions", "model-versions/create", "model-versions/get",
            "model-versions/search", "model-versions/update", "model-versions/delete", "model-versions/set-tag",
            "model-versions/delete-tag", "model-versions/get-download-uri", "model-versions/transition-stage");
    private static final String[] METHODS = {"GET", "POST", "PATCH", "DELETE"};
    private static final String RUN;

    static {
        try (ActiveRun run = TRACKER.startRun("fuzz")) {
            RUN = run.id();
        }
    }

    @FuzzTest(maxDuration = "5s")
    void decodersAnswerOrRefuseCleanly(FuzzedDataProvider data) {
        byte[] all = data.consumeRemainingAsBytes();
        if (all.length < 2) {
            return;
        }
        String route = NAMES.get(Math.floorMod(all[0], NAMES.size()));
        String method = METHODS[Math.floorMod(all[1], METHODS.length)];
        String body = new String(Arrays.copyOfRange(all, 2, all.length), StandardCharsets.UTF_8).replace("$RUN", RUN);
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
