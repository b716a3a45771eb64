package org.mlops4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;
import org.mlops4j.core.train.Validator;
import org.mlops4j.core.tune.Space;
import org.mlops4j.core.tune.StudyResult;
import org.mlops4j.core.tune.StudyStorage;
import org.mlops4j.core.tune.Tune;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mlops study list|show} on a study kept in a real SQLite store. */
class StudyCliTest {
    @TempDir
    Path dir;
    private String store;
    private StudyResult ran;

    @BeforeEach
    void aStudy() {
        Path db = dir.resolve("mlruns/mlops.db");
        store = "sqlite:" + db;
        Dataset d = Csv.file(Path.of("../samples/data/boston_house_prices.csv")).skipLines(1).load();
        TrainingSet houses = new TrainingSet(d.drop("B", "MEDV"), Target.of(d, "MEDV", Task.REGRESSION));
        try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(db)).build()) {
            ran = Tune.random(Space.of(DecisionTree.regression()).ints("max_depth", DecisionTree::maxDepth, 1, 12)
                            .choice("min_child_weight", DecisionTree::minChildWeight, List.of(1.0, 4.0)))
                    .trials(6).parallelism(1).holdout(Split.trainTest(0.8)).storage(StudyStorage.of(tracker, "trees"))
                    .run(houses, TrainContext.defaults().withValidator(Validator.onReadyRows()));
        }
    }

    @Test
    void listShowsEachStudyWithItsBest() {
        CliTest.Result r = CliTest.run("study", "list", "--store", store);

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("NAME", "TRIALS", "BEST").containsPattern("trees\\s+6\\s+6\\s+0\\s+0\\s+0\\s+rmse min");
        assertThat(r.out()).contains(Output.number(ran.best().value()));
    }

    @Test
    void showListsTheBestTrialsAndWritesTheReport() throws Exception {
        Path html = dir.resolve("out/report.html");
        CliTest.Result r = CliTest.run("study", "show", "trees", "--store", store, "--top", "3", "--html", html.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("study trees: 6 trials (6 complete", "max_depth  int[1..12]",
                "best: trial " + ran.best().number());
        assertThat(r.out().lines().filter(l -> l.matches("\\d+\\s+COMPLETE.*"))).hasSize(3);
        assertThat(Files.readString(html)).contains("<svg", "max_depth", "min_child_weight");

        CliTest.Result all = CliTest.run("study", "show", "trees", "--store", store, "--all");
        assertThat(all.out().lines().filter(l -> l.matches("\\d+\\s+COMPLETE.*"))).hasSize(6);
    }

    @Test
    void jsonIsForScripts() throws Exception {
        CliTest.Result r = CliTest.run("study", "show", "trees", "--store", store, "--json");

        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("trials")).hasSize(6);
        assertThat(doc.get("best").asInt()).isEqualTo(ran.best().number());
        assertThat(doc.get("space").get("max_depth").asText()).isEqualTo("int[1..12]");
        JsonNode list = new ObjectMapper().readTree(CliTest.run("study", "list", "--store", store, "--json").out());
        assertThat(list.get(0).get("complete").asInt()).isEqualTo(6);
    }

    @Test
    void anUnknownStudyOrABadOptionIsOneLineNamingWhatThereIs() {
        CliTest.Result r = CliTest.run("study", "show", "forest", "--store", store);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no study named 'forest'", "[trees]").doesNotContain("Exception", "\tat ");

        CliTest.Result bad = CliTest.run("study", "show", "trees", "--store", store, "--top", "0");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("--top must be at least 1 but was 0");
    }

    @Test
    void aReportThatCannotBeWrittenIsOneLineAndLeavesNothingBehind() throws Exception {
        Path full = dir.resolve("full");
        java.nio.file.Files.createDirectories(full.resolve("inside"));
        CliTest.Result onDir = CliTest.run("study", "show", "trees", "--store", store, "--html", full.toString());
        assertThat(onDir.code()).isEqualTo(1);
        assertThat(onDir.err()).contains("is a directory").doesNotContain("\tat ");

        Path file = dir.resolve("a-file");
        java.nio.file.Files.writeString(file, "x");
        CliTest.Result under = CliTest.run("study", "show", "trees", "--store", store, "--html", file.resolve("report.html").toString());
        assertThat(under.code()).isEqualTo(1);
        assertThat(under.err()).startsWith("mlops: cannot write the report to ").doesNotContain("\tat ");
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".report"));
        }
    }
}
