package org.mlops4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.Promotion;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mlops runs reproduce} and the {@code models} subcommands on a real SQLite tracking store. */
class ReproduceAndModelsCliTest {
    @TempDir
    Path dir;
    private Path csv;
    private Path db;
    private String store;
    private ModelRegistry registry;
    private String goodRun;

    record Result(int code, String out, String err) {
    }

    static Result run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler(Main.commandLine().getExecutionExceptionHandler());
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Result mlops(String... args) {
        return run(Main.commandLine(), args);
    }

    @BeforeEach
    void twoVersions() throws Exception {
        csv = dir.resolve("boston.csv");
        Files.copy(Path.of("../samples/data/boston_house_prices.csv"), csv);
        db = dir.resolve("mlops.db");
        store = "sqlite:" + db;
        registry = ModelRegistry.inMemory();
        ModelCommands.registries((uri, tracker) -> registry);
        try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(db)).build()) {
            Pipeline p = Pipeline.from(Csv.file(csv).skipLines(1)).label("MEDV").split(Split.trainTest(0.8).seed(5))
                    .track(tracker, "house");
            p.train(RandomForest.regression().trees(10).seed(1)).register(registry, "house", "champion").run();
            goodRun = p.train(DecisionTree.regression().maxDepth(1)).register(registry, "house").run().runId().orElseThrow();
        }
    }

    @AfterEach
    void noRegistry() {
        ModelCommands.registries((uri, tracker) -> {
            throw new IllegalStateException("no registry");
        });
    }

    @Test
    void reproduceSaysExactlyOrNamesBothDataVersions() throws Exception {
        Result r = mlops("runs", "reproduce", goodRun, "--store", store);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("reproduced exactly").contains("holdout predictions bit for bit");
        Result viaModel = mlops("runs", "reproduce", "models:/house/1", "--store", store, "--json");
        assertThat(viaModel.code()).as(viaModel.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(viaModel.out());
        assertThat(j.path("exact").asBoolean()).isTrue();
        assertThat(j.path("model").asText()).isEqualTo("models:/house/1");

        String before = Csv.file(csv).skipLines(1).load().version().id();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        lines.set(3, lines.get(3).replaceFirst("^[^,]+", "9.99"));
        Files.write(csv, lines, StandardCharsets.UTF_8);
        String after = Csv.file(csv).skipLines(1).load().version().id();
        Result refused = mlops("runs", "reproduce", goodRun, "--store", store);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).startsWith("mlops: ").contains(before).contains(after).doesNotContain("\tat ");
    }

    @Test
    void promoteRefusesAWorseChallengerAndHistoryAndRollbackShowTheDecisions() throws Exception {
        Result refused = run(new CommandLine(new ModelCommands.PromoteCommand()), "house/2", "--to", "champion", "--if-beats", "rmse",
                "--store", store);
        assertThat(refused.code()).as(refused.err()).isEqualTo(3);
        assertThat(refused.out()).contains("REFUSED version 2 over 1").contains("rmse");
        assertThat(registry.version("house@champion").version()).isEqualTo(1);

        Result promoted = run(new CommandLine(new ModelCommands.PromoteCommand()), "models:/house/2", "--to", "champion",
                "--if-beats", "rmse", "--within", "100", "--by", "release-bot", "--store", store, "--json");
        assertThat(promoted.code()).as(promoted.err()).isZero();
        JsonNode d = new ObjectMapper().readTree(promoted.out()).get(0);
        assertThat(d.path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(d.path("decidedBy").asText()).isEqualTo("release-bot");
        assertThat(d.path("challengerScore").isNumber()).isTrue();
        assertThat(d.path("currentScore").isNumber()).isTrue();
        try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(db)).build()) {
            assertThat(tracker.run(goodRun).orElseThrow().tags().keySet()).filteredOn(k -> k.startsWith("mlops.promotion.")).hasSize(2);
        }

        Result back = run(new CommandLine(new ModelCommands.RollbackCommand()), "house", "--alias", "champion", "--store", store);
        assertThat(back.code()).as(back.err()).isZero();
        assertThat(back.out()).contains("ROLLED_BACK to version 1 from 2");
        Result history = run(new CommandLine(new ModelCommands.HistoryCommand()), "house", "--store", store);
        assertThat(history.out().lines().toList()).hasSize(3);
        assertThat(history.out()).contains("REFUSED").contains("PROMOTED").contains("ROLLED_BACK");
        Result unknown = run(new CommandLine(new ModelCommands.HistoryCommand()), "nope", "--store", store);
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("no model named 'nope'");
    }

    @Test
    void cardWritesMarkdownOrHtml() throws Exception {
        Path html = dir.resolve("card.html");
        Result r = run(new CommandLine(new ModelCommands.CardCommand()), "house/1", "--output", html.toString(),
                "--intended-use", "Teaching.", "--store", store);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("chart-predicted-vs-actual").contains("Teaching.");
        Result md = run(new CommandLine(new ModelCommands.CardCommand()), "house@champion", "--store", store);
        assertThat(md.out()).startsWith("# Model card: house version 1").contains("## Promotion history");
    }

    @Test
    void reproduceTakesNameSlashNAndNameAtAliasWithoutTheModelsPrefix() {
        Result bySlash = mlops("runs", "reproduce", "house/2", "--store", store);
        assertThat(bySlash.code()).as(bySlash.err()).isZero();
        assertThat(bySlash.out()).startsWith("models:/house/2 (run " + goodRun + ")").contains("reproduced exactly");
        Result byAlias = mlops("runs", "reproduce", "house@champion", "--store", store);
        assertThat(byAlias.code()).as(byAlias.err()).isZero();
        assertThat(byAlias.out()).startsWith("models:/house/1 (run ");
    }

    @Test
    void aNegativeToleranceIsRefusedNotIgnored() {
        Result r = run(new CommandLine(new ModelCommands.PromoteCommand()), "house/2", "--to", "champion", "--if-beats", "rmse",
                "--within", "-1", "--store", store);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("mlops: ").contains("-1").doesNotContain("\tat ");
        assertThat(registry.version("house").tags().keySet()).noneMatch(k -> k.startsWith("mlops.promotion."));
        Result alone = run(new CommandLine(new ModelCommands.PromoteCommand()), "house/2", "--to", "champion", "--within", "-0.5",
                "--store", store);
        assertThat(alone.code()).isEqualTo(1);
        assertThat(alone.err()).contains("--within qualifies --if-beats METRIC");
    }

    @Test
    void aMisspelledMetricIsAnErrorAndRecordsNoDecision() {
        Result r = run(new CommandLine(new ModelCommands.PromoteCommand()), "house/2", "--to", "champion", "--if-beats", "rmsee",
                "--store", store);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("mlops: ").contains("no metric 'rmsee'").contains("rmse").doesNotContain("\tat ");
        assertThat(registry.version("house").tags().keySet()).noneMatch(k -> k.startsWith("mlops.promotion."));
    }

    @Test
    void aCardToADirectoryThatIsNotThereIsOneLineAndACardOfChangedDataKeepsACaveat() throws Exception {
        Path nowhere = dir.resolve("no/such/dir/card.html");
        Result r = run(new CommandLine(new ModelCommands.CardCommand()), "house/1", "--output", nowhere.toString(), "--store", store);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("mlops: cannot write the card to ").contains("does not exist").doesNotContain("\tat ");

        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        lines.set(3, lines.get(3).replaceFirst("^[^,]+", "9.99"));
        Files.write(csv, lines, StandardCharsets.UTF_8);
        Result md = run(new CommandLine(new ModelCommands.CardCommand()), "house/2", "--store", store);
        assertThat(md.code()).as(md.err()).isZero();
        assertThat(md.out()).startsWith("# Model card: house version 2").contains("the holdout rows cannot be read again")
                .contains("the data changed since the run");
    }
}
