package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.TrackingStores;
import org.mlops4j.tracking.internal.MlflowJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The README's sentence on unimplemented routes is true to the route table: those answer 501, others 404. */
class ReadmeServerTest {
    @Test
    void theRoutesTheReadmeCalls501Are501AndOthers404() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int at = readme.indexOf("answer `501 NOT_IMPLEMENTED`:");
        assertThat(at).as("README names the 501 routes").isPositive();
        String sentence = readme.substring(at, readme.indexOf("any other path answers", at));
        List<String> routes = new ArrayList<>();
        Matcher m = Pattern.compile("`([a-z-]+/[a-z-]+)`").matcher(sentence);
        while (m.find()) {
            routes.add(m.group(1));
        }
        assertThat(routes).hasSizeGreaterThanOrEqualTo(5);
        try (Tracker tracker = TrackingStores.tracker("memory:")) {
            RouteTable table = RouteTable.mlflow(tracker);
            JsonNode none = MlflowJson.object();
            for (String route : routes) {
                assertThatThrownBy(() -> table.call("POST", route, none)).as(route).isInstanceOfSatisfying(ApiError.class,
                        e -> assertThat(e.status()).as(route).isEqualTo(501));
            }
            assertThatThrownBy(() -> table.call("POST", "runs/no-such-route", none)).isInstanceOfSatisfying(ApiError.class,
                    e -> assertThat(e.status()).isEqualTo(404));
        }
    }
}
