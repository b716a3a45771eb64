package org.mlops4j.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the main job as the README does (a fresh JVM in the samples folder) and checks its contract. */
class HousePricesTest {

    @Test
    void theMainJobPrintsASummaryAndEndsWithOneJsonLine() throws Exception {
        String stdout = SampleProcess.run("java", false, "-cp", SampleProcess.classpath(), HousePrices.class.getName());

        List<String> lines = stdout.lines().toList();
        JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));

        assertThat(json.fieldNames()).toIterable().contains("dataset_version", "run_id", "model", "version", "holdout_rmse",
                "cv_rmse", "cv_rmse_std", "r2", "train_seconds");
        assertThat(json.get("dataset_version").asText()).isEqualTo("530159db0e400acdcfc28c50b2faa658abfc81a4e4d73c4f2a5c3aa766772b16");
        assertThat(json.get("model").asText()).isEqualTo("house-prices");
        assertThat(json.get("version").asInt()).isEqualTo(1);
        assertThat(json.get("run_id").asText()).matches("[0-9a-f]{32}");
        assertThat(json.get("cv_rmse").asDouble()).isBetween(2.5, 4.0);
        assertThat(json.get("holdout_rmse").asDouble()).isBetween(2.0, 4.0);
        assertThat(json.get("r2").asDouble()).isBetween(0.8, 1.0);
        assertThat(json.get("registry_predictions_match").asBoolean()).isTrue();
        assertThat(json.get("reproduced_exactly").asBoolean()).isTrue();
        assertThat(json.get("promotion").asText()).isEqualTo("PROMOTED");
        assertThat(stdout).contains("reproduce models:/house-prices/1 reproduced exactly: 101 holdout predictions bit for bit")
                .contains("promotion ").contains("house-prices-card.html");
        assertThat(stdout).contains("holdout   rmse=").contains("registered house-prices/1 [champion]");
    }
}
