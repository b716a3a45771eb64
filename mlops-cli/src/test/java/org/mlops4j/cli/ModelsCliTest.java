package org.mlops4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.data.DataSource;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.tracking.TrackingStores;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mlops models ...} on a registry kept in a real SQLite store. */
class ModelsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private String store;
    private String runId;

    @BeforeEach
    void twoVersions() {
        store = "sqlite:" + dir.resolve("mlruns/mlops.db");
        Dataset d = Dataset.builder("t").numeric("x", 1, 2, 3, 4, 5, 6, 7, 8).numeric("y", 2, 4, 6, 8, 10, 12, 14, 16).build();
        try (Tracker tracker = TrackingStores.tracker(store); ModelRegistry registry = TrackingStores.registry(store)) {
            runId = Pipeline.from(DataSource.of(d)).label("y").train(DecisionTree.regression().maxDepth(2)).track(tracker, "cli")
                    .register(registry, "house-prices", "champion").run().runId().orElseThrow();
            Pipeline.from(DataSource.of(d)).label("y").train(DecisionTree.regression().maxDepth(3)).register(registry, "house-prices").run();
            registry.register("churn", Pipeline.from(DataSource.of(d)).label("y").train(DecisionTree.regression()).run().bundle());
        }
    }

    @Test
    void listShowsEachModelWithItsLatestVersionAndAliases() throws Exception {
        CliTest.Result r = CliTest.run("models", "list", "--store", store);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("NAME", "LATEST", "ALIASES").containsPattern("house-prices\\s+2\\s+champion→1").contains("churn");

        JsonNode json = JSON.readTree(CliTest.run("models", "list", "--store", store, "--json", "--filter", "name LIKE 'house%'").out());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).path("latest_version").asInt()).isEqualTo(2);
        assertThat(json.get(0).path("aliases").path("champion").asInt()).isEqualTo(1);
    }

    @Test
    void showAndVersionsPrintLineageMetricsAndAliases() throws Exception {
        CliTest.Result model = CliTest.run("models", "show", "house-prices", "--store", store);
        assertThat(model.code()).as(model.err()).isZero();
        assertThat(model.out()).contains("model       house-prices").contains("VERSION").containsPattern("(?m)^1\\s.*champion");

        CliTest.Result version = CliTest.run("models", "show", "models:/house-prices@champion", "--store", store);
        assertThat(version.code()).as(version.err()).isZero();
        assertThat(version.out()).contains("models:/house-prices/1  [champion]").contains("run         " + runId).contains("METRIC");

        JsonNode v = JSON.readTree(CliTest.run("models", "show", "house-prices/latest", "--store", store, "--json").out());
        assertThat(v.path("version").asInt()).isEqualTo(2);
        assertThat(v.path("lineage").path("dataset_version").asText()).hasSize(64);
        assertThat(v.path("lineage").path("mlops4j_version").asText()).isNotEmpty();

        JsonNode versions = JSON.readTree(CliTest.run("models", "versions", "house-prices", "--store", store, "--json").out());
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).path("lineage").path("run_id").asText()).isEqualTo(runId);

        CliTest.Result run = CliTest.run("models", "show", "runs:/" + runId + "/model", "--store", store);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("flavor compiled").contains("run         " + runId).contains("FILE").contains("transforms.json");

        JsonNode runJson = JSON.readTree(CliTest.run("models", "show", "runs:/" + runId + "/model", "--store", store, "--json").out());
        assertThat(runJson.path("run_id").asText()).isEqualTo(runId);
        assertThat(runJson.path("files").size()).isPositive();

        CliTest.Result missing = CliTest.run("models", "show", "house-prizes", "--store", store);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("house-prizes").contains("did you mean 'house-prices'");
    }

    @Test
    void aliasMovesAndSaysWhereItPointedBefore() throws Exception {
        CliTest.Result moved = CliTest.run("models", "alias", "house-prices", "champion", "2", "--store", store);
        assertThat(moved.code()).as(moved.err()).isZero();
        assertThat(moved.out()).contains("house-prices@champion -> version 2 (was version 1)");
        JsonNode json = JSON.readTree(CliTest.run("models", "alias", "house-prices", "staging", "1", "--store", store, "--json").out());
        assertThat(json.path("previous_version").isNull()).isTrue();
        assertThat(CliTest.run("models", "alias", "--delete", "house-prices", "staging", "--store", store).out())
                .contains("house-prices@staging deleted (it pointed at version 1)");
        assertThat(CliTest.run("models", "alias", "house-prices", "champion", "9", "--store", store).err()).contains("no version 9");
        assertThat(CliTest.run("models", "alias", "house-prices", "champion", "--store", store).code()).isEqualTo(2);
    }

    @Test
    void tagsAreSetOnVersionsAndModelsAndDeleted() throws Exception {
        assertThat(CliTest.run("models", "tag", "house-prices@champion", "reviewed=yes", "owner=ada", "--store", store).out())
                .contains("house-prices/1 tags").contains("reviewed=yes");
        assertThat(CliTest.run("models", "tag", "house-prices", "team=pricing", "--store", store).out()).contains("{team=pricing}");
        JsonNode j = JSON.readTree(CliTest.run("models", "tag", "house-prices/1", "--delete", "owner", "--store", store, "--json").out());
        assertThat(j.path("tags").has("owner")).isFalse();
        assertThat(j.path("tags").path("reviewed").asText()).isEqualTo("yes");
        assertThat(CliTest.run("models", "tag", "house-prices/1", "novalue", "--store", store).code()).isEqualTo(2);
    }

    @Test
    void deleteNeedsForceForWhatAnAliasPointsAt() {
        CliTest.Result refused = CliTest.run("models", "delete", "house-prices/1", "--store", store);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("'champion'").contains("force");
        assertThat(CliTest.run("models", "delete", "house-prices@champion", "--store", store).code()).isEqualTo(2);
        assertThat(CliTest.run("models", "delete", "house-prices/2", "--store", store).out()).contains("deleted house-prices/2");
        assertThat(CliTest.run("models", "delete", "house-prices", "--store", store).err()).contains("'champion' (version 1)");
        assertThat(CliTest.run("models", "delete", "house-prices", "--force", "--store", store, "--json").out()).contains("\"deleted_versions\" : 1");
        assertThat(CliTest.run("models", "list", "--store", store).out()).doesNotContain("house-prices").contains("churn");
    }

    @Test
    void aMissingStoreIsAnErrorNotANewEmptyOne() {
        CliTest.Result r = CliTest.run("models", "list", "--store", "sqlite:" + dir.resolve("nothing/mlops.db"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no tracking database at");
    }

    @Test
    void aVersionMovesBetweenTwoSqliteStoresThroughExportAndImport() throws Exception {
        Path zip = dir.resolve("champion.zip");
        CliTest.Result ex = CliTest.run("models", "export", "models:/house-prices@champion", "-o", zip.toString(), "--store", store);
        assertThat(ex.code()).as(ex.err()).isZero();
        String other = "sqlite:" + dir.resolve("other/mlops.db");
        try (ModelRegistry created = TrackingStores.registry(other)) {
            assertThat(created.models()).isEmpty();
        }
        CliTest.Result im = CliTest.run("models", "import", zip.toString(), "--store", other, "--alias", "champion");
        assertThat(im.code()).as(im.err()).isZero();
        try (ModelRegistry source = TrackingStores.registry(store); ModelRegistry target = TrackingStores.registry(other)) {
            assertThat(target.version("models:/house-prices@champion").lineage()).isEqualTo(source.version("house-prices/1").lineage());
            assertThat(target.predictor("models:/house-prices@champion").predict(java.util.Map.of("x", 3.0)).value())
                    .isEqualTo(source.predictor("house-prices/1").predict(java.util.Map.of("x", 3.0)).value());
        }
    }
}
