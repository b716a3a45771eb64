package org.mlops4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The read commands on a real SQLite store: tables for people, JSON for scripts, one-line errors. */
class CliTest {
    @TempDir
    Path dir;
    private String store;
    private final List<String> runs = new ArrayList<>();

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void twoRuns() {
        Path db = dir.resolve("mlruns/mlops.db");
        store = "sqlite:" + db;
        try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(db)).build()) {
            for (String trees : List.of("100", "200")) {
                try (ActiveRun run = tracker.startRun("house-prices", "rf-" + trees)) {
                    run.logParams(java.util.Map.of("trees", trees, "seed", "42"));
                    run.logMetric("rmse", trees.equals("100") ? 3.3 : 3.1);
                    run.logMetric("loss", 1.0, 0).logMetric("loss", 0.5, 1);
                    try (ActiveRun fold = run.startChild("fold-1")) {
                        fold.logMetric("rmse", 3.0);
                    }
                    runs.add(run.id());
                }
            }
        }
    }

    @Test
    void experimentsListShowsNamesAndRunCounts() throws Exception {
        Result r = run("experiments", "list", "--store", store);
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("house-prices").contains("Default").contains("RUNS");
        JsonNode json = new ObjectMapper().readTree(run("experiments", "list", "-s", store, "--json").out());
        assertThat(json.findValuesAsText("name")).contains("house-prices", "Default");
    }

    @Test
    void runsListFiltersOrdersAndPrintsJson() throws Exception {
        Result r = run("runs", "list", "-s", store, "-e", "house-prices", "--filter", "params.trees = '200'");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(runs.get(1)).doesNotContain(runs.get(0)).contains("rmse");
        JsonNode json = new ObjectMapper().readTree(run("runs", "list", "-s", store, "-e", "house-prices", "--top-level",
                "--order-by", "metrics.rmse ASC", "--json").out());
        assertThat(json.path("runs")).hasSize(2);
        assertThat(json.path("runs").get(0).path("run_id").asText()).isEqualTo(runs.get(1));
        assertThat(json.path("runs").get(0).path("metrics").path("rmse").path("value").asDouble()).isEqualTo(3.1);
        Result paged = run("runs", "list", "-s", store, "-e", "house-prices", "--max", "1");
        assertThat(paged.out()).contains("more: --page-token");
    }

    @Test
    void runsShowPrintsEverythingAndAHistory() throws Exception {
        Result r = run("runs", "show", "-s", store, runs.get(0));
        assertThat(r.out()).contains("rf-100").contains("params (2)").contains("trees").contains("metrics (2)").contains("FINISHED");
        Result h = run("runs", "show", "-s", store, runs.get(0), "--history", "loss");
        assertThat(h.out()).contains("STEP").contains("0.5000");
        JsonNode json = new ObjectMapper().readTree(run("runs", "show", "-s", store, runs.get(0), "--json").out());
        assertThat(json.path("params").path("trees").asText()).isEqualTo("100");
    }

    @Test
    void runsCompareShowsDifferencesAndDeltas() throws Exception {
        Result r = run("runs", "compare", "-s", store, runs.get(0), runs.get(1));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("* params.trees").contains("  params.seed").contains("* metrics.rmse").contains("(-0.2000)");
        Result latest = run("runs", "compare", "-s", store, "--experiment", "house-prices", "--only-diff");
        assertThat(latest.out()).contains("* params.trees").doesNotContain("params.seed");
        JsonNode json = new ObjectMapper().readTree(run("runs", "compare", "-s", store, "-e", "house-prices", "--json").out());
        assertThat(json.path("runs").get(0).path("run_id").asText()).isEqualTo(runs.get(0)); // oldest first
        assertThat(json.path("metrics").path("rmse").get(1).asDouble()).isEqualTo(3.1);
        assertThat(json.path("differing_params").get(0).asText()).isEqualTo("trees");
    }

    @Test
    void errorsAreOneLineWithoutStackTraces() {
        Result missingStore = run("experiments", "list", "-s", "sqlite:" + dir.resolve("nowhere/mlops.db"));
        assertThat(missingStore.code()).isEqualTo(1);
        assertThat(missingStore.err()).startsWith("mlops: no tracking database at").doesNotContain("\tat ");
        Result missingRun = run("runs", "show", "-s", store, "0123456789abcdef0123456789abcdef");
        assertThat(missingRun.code()).isEqualTo(1);
        assertThat(missingRun.err()).contains("no run with id 0123456789abcdef0123456789abcdef");
        Result badFilter = run("runs", "list", "-s", store, "-e", "house-prices", "--filter", "metrics.rmse <");
        assertThat(badFilter.err()).contains("invalid filter");
        assertThat(badFilter.code()).isEqualTo(1);
        Result badScheme = run("runs", "list", "-s", "mysql://db/x", "-e", "x");
        assertThat(badScheme.err()).contains("unknown tracking URI scheme 'mysql:'");
        assertThat(run("runs", "compare", "-s", store, runs.get(0)).code()).isEqualTo(2); // usage: two runs at least
    }
}
