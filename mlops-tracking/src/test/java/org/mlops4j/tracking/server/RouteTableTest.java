package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.internal.MlflowJson;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The route table without HTTP: rows answer through the tracker; unknown, unimplemented and wrong-method calls get MLflow's codes. */
class RouteTableTest {
    private final Tracker tracker = Tracker.inMemory();
    private final RouteTable table = RouteTable.mlflow(tracker);

    @AfterEach
    void close() {
        tracker.close();
    }

    private static JsonNode json(String text) {
        return MlflowJson.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void rowsAnswerThroughTheTracker() {
        String id = table.call("POST", "experiments/create", json("{\"name\": \"routes\"}")).path("experiment_id").asText();
        assertThat(tracker.experimentById(id)).get().extracting(e -> e.name()).isEqualTo("routes");
        assertThat(table.call("GET", "experiments/get-by-name", json("{\"experiment_name\": \"routes\"}"))
                .path("experiment").path("experiment_id").asText()).isEqualTo(id);
        assertThat(table.call("GET", "experiments/search", json("{}")).path("experiments").size())
                .isEqualTo(table.call("POST", "experiments/search", json("{}")).path("experiments").size());
    }

    @Test
    void unknownUnimplementedAndWrongMethodCallsGetMlflowCodes() {
        assertThatThrownBy(() -> table.call("GET", "no/such-route", json("{}"))).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.code()).isEqualTo("ENDPOINT_NOT_FOUND");
        });
        for (String method : List.of("POST", "GET", "PROPFIND")) {
            assertThatThrownBy(() -> table.call(method, "runs/delete", json("{}"))).isInstanceOfSatisfying(ApiError.class, e -> {
                assertThat(e.status()).isEqualTo(501);
                assertThat(e.code()).isEqualTo("NOT_IMPLEMENTED");
            });
        }
        assertThatThrownBy(() -> table.call("DELETE", "runs/get", json("{}"))).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(405);
            assertThat(e.code()).isEqualTo("BAD_REQUEST");
            assertThat(e.getMessage()).isEqualTo("/api/2.0/mlflow/runs/get accepts GET, HEAD, not DELETE");
            assertThat(e.allow()).isEqualTo("GET, HEAD");
        });
        assertThatThrownBy(() -> table.call("HEAD", "runs/create", json("{}"))).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(405);
            assertThat(e.allow()).isEqualTo("POST");
        });
        assertThatThrownBy(() -> table.call("GET", "experiments/create", json("{}"))).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.allow()).isEqualTo("POST"));
    }

    @Test
    void headIsAnsweredLikeGetWhereGetIs() {
        assertThat(table.call("HEAD", "experiments/search", json("{}"))).isEqualTo(table.call("GET", "experiments/search", json("{}")));
        String id = table.call("POST", "experiments/create", json("{\"name\": \"head\"}")).path("experiment_id").asText();
        assertThat(table.call("HEAD", "experiments/get-by-name", json("{\"experiment_name\": \"head\"}"))
                .path("experiment").path("experiment_id").asText()).isEqualTo(id);
    }

    @Test
    void aRouteIsInTheTableOnce() {
        RouteTable.Builder b = new RouteTable.Builder().get("runs/get", params -> MlflowJson.object());
        assertThatThrownBy(() -> b.post("runs/get", params -> MlflowJson.object()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("runs/get");
    }
}
