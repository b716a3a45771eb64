package org.mlops4j.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.tracking.TrackingStores;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the main job as the README does (a fresh JVM, twice, in a fresh folder) and checks its contract: the
 * first run registers version 1 as champion, the second version 2 (saying the champion was version 1), and
 * this process, another one, loads {@code models:/house-prices@champion} from the store and predicts the
 * same numbers the job printed.
 */
class HousePricesTest {
    @TempDir
    Path dir;

    private JsonNode runJob() throws Exception {
        String data = SampleProcess.dir().resolve("data/boston_house_prices.csv").toAbsolutePath().toString();
        String stdout = SampleProcess.run(dir, "java", false, "-cp", SampleProcess.classpath(), HousePrices.class.getName(), data);
        List<String> lines = stdout.lines().toList();
        JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("_stdout", stdout);
        return json;
    }

    @Test
    void theMainJobRegistersANewChampionEachRunThatAnotherProcessLoads() throws Exception {
        JsonNode first = runJob();
        String stdout = first.get("_stdout").asText();

        assertThat(first.fieldNames()).toIterable().contains("dataset_version", "run_id", "model", "version", "holdout_rmse",
                "cv_rmse", "cv_rmse_std", "r2", "train_seconds", "previous_champion", "example_prediction");
        assertThat(first.get("dataset_version").asText()).isEqualTo("530159db0e400acdcfc28c50b2faa658abfc81a4e4d73c4f2a5c3aa766772b16");
        assertThat(first.get("model").asText()).isEqualTo("house-prices");
        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(first.get("previous_champion").isNull()).isTrue();
        assertThat(first.get("run_id").asText()).matches("[0-9a-f]{32}");
        assertThat(first.get("cv_rmse").asDouble()).isBetween(2.5, 4.0);
        assertThat(first.get("holdout_rmse").asDouble()).isBetween(2.0, 4.0);
        assertThat(first.get("r2").asDouble()).isBetween(0.8, 1.0);
        assertThat(first.get("registry_predictions_match").asBoolean()).isTrue();
        assertThat(first.get("reproduced_exactly").asBoolean()).isTrue();
        assertThat(first.get("promotion").asText()).isEqualTo("PROMOTED");
        assertThat(stdout).contains("reproduce models:/house-prices/1 reproduced exactly: 101 holdout predictions bit for bit")
                .contains("promotion ").contains("house-prices-card.html");
        assertThat(stdout).contains("holdout   rmse=").contains("registered house-prices/1 [champion]")
                .contains("registry  house-prices/1 registered; champion is house-prices/1 now, it was unset before");

        JsonNode second = runJob();
        assertThat(second.get("version").asInt()).isEqualTo(2);
        assertThat(second.get("previous_champion").asInt()).isEqualTo(1);
        assertThat(second.get("promotion").asText()).as("the same data and seed: an equal challenger is within 0.01").isEqualTo("PROMOTED");
        assertThat(second.get("reproduced_exactly").asBoolean()).isTrue();
        assertThat(second.get("_stdout").asText()).contains("reproduce models:/house-prices/2 reproduced exactly");
        assertThat(second.get("_stdout").asText()).contains("registered house-prices/2 [champion]")
                .contains("registry  house-prices/2 registered; champion is house-prices/2 now, it was house-prices/1 before");

        // Another process: this test JVM, on the same store, by the model's URI.
        try (ModelRegistry registry = TrackingStores.registry("sqlite:" + dir.resolve("mlruns/mlops.db"))) {
            ModelVersion champion = registry.version("models:/house-prices@champion");
            assertThat(champion.version()).isEqualTo(2);
            assertThat(champion.lineage().runId()).isEqualTo(second.get("run_id").asText());
            assertThat(champion.lineage().datasetVersion()).isEqualTo(second.get("dataset_version").asText());
            assertThat(champion.libraryVersion()).isNotBlank();
            Predictor p = registry.predictor("models:/house-prices@champion");
            // its input contract is the 12 columns it reads; B, which the sample drops, is accepted and ignored
            assertThat(p.inputSchema().names()).hasSize(12).doesNotContain("B", "MEDV");
            assertThat(p.ignoredInputs()).containsExactly("B");
            Map<String, Object> example = Map.ofEntries(Map.entry("CRIM", 0.00632), Map.entry("ZN", 18), Map.entry("INDUS", 2.31),
                    Map.entry("CHAS", 0), Map.entry("NOX", 0.538), Map.entry("RM", 6.575), Map.entry("AGE", 65.2),
                    Map.entry("DIS", 4.09), Map.entry("RAD", 1), Map.entry("TAX", 296), Map.entry("PTRATIO", 15.3),
                    Map.entry("LSTAT", 4.98));
            assertThat(p.predict(example).value()).isEqualTo(second.get("example_prediction").asDouble());

            Dataset all = Csv.file(SampleProcess.dir().resolve("data/boston_house_prices.csv")).skipLines(1).load();
            List<Prediction> here = p.predict(all);
            JsonNode printed = second.get("first_rows_predictions");
            assertThat(printed).hasSize(5);
            for (int i = 0; i < printed.size(); i++) {
                assertThat(here.get(i).value()).as("row %d of the file", i).isEqualTo(printed.get(i).asDouble());
            }
            // The bundle a run logged loads by its run URI too, with the same predictions.
            assertThat(registry.predictor("runs:/" + second.get("run_id").asText() + "/model").predict(example).value())
                    .isEqualTo(second.get("example_prediction").asDouble());
            // Version 1 is still there, loadable by number.
            assertThat(registry.predictor("models:/house-prices/1").predict(example).value())
                    .isEqualTo(first.get("example_prediction").asDouble());
        }
    }
}
