package org.mlops4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlops4j.cli.CliTest.run;

/** Issue 8's CLI rough edges, each on a real SQLite store: what a new user hit, and what they get now. */
class CliRoughEdgesTest {
    @TempDir
    Path dir;
    private String store;
    private final List<String> runs = new ArrayList<>();
    private final List<String> folds = new ArrayList<>();

    @BeforeEach
    void runsWithFolds() {
        Path db = dir.resolve("mlruns/mlops.db");
        store = "sqlite:" + db;
        try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(db)).build()) {
            for (String trees : List.of("100", "200")) {
                try (ActiveRun run = tracker.startRun("house-prices", "rf-" + trees)) {
                    run.logParams(Map.of("trees", trees, "seed", "42"));
                    run.setTag("stage", trees.equals("100") ? "dev" : "prod");
                    run.logMetric("a_first", 1.0).logMetric("b_second", 2.0).logMetric("c_third", 3.0).logMetric("d_fourth", 4.0);
                    run.logMetric("rmse", trees.equals("100") ? 3.3 : 3.1);
                    for (int f = 0; f < 3; f++) {
                        try (ActiveRun fold = run.startChild("fold-" + f)) {
                            fold.logMetric("rmse", 3.0 + f);
                            folds.add(fold.id());
                        }
                    }
                    runs.add(run.id());
                }
            }
        }
    }

    @Test
    void aStoreThatIsNotADatabaseIsRefusedAndLeftAlone() throws Exception {
        Path csv = Files.writeString(dir.resolve("prices.csv"), "a,b\n1,2\n");
        for (String cmd : List.of("experiments", "runs")) {
            CliTest.Result r = cmd.equals("runs") ? run("runs", "list", "-s", "sqlite:" + csv, "-e", "x") : run("experiments", "list", "-s", "sqlite:" + csv);
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains(csv.toString()).contains("not a SQLite database").doesNotContain("\tat ");
        }
        assertThat(Files.readString(csv)).isEqualTo("a,b\n1,2\n");
        assertThat(dir.resolve("prices.csv-wal")).doesNotExist();
        CliTest.Result directory = run("experiments", "list", "-s", "sqlite:" + dir.resolve("mlruns"));
        assertThat(directory.code()).isEqualTo(1);
        assertThat(directory.err()).contains("is a directory");
    }

    @Test
    void runsListHidesFoldsAndShowsTheColumnsTheFilterNames() throws Exception {
        CliTest.Result all = run("runs", "list", "-s", store, "-e", "house-prices");
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.out()).contains(runs.get(0)).contains(runs.get(1));
        folds.forEach(f -> assertThat(all.out()).doesNotContain(f));
        CliTest.Result withChildren = run("runs", "list", "-s", store, "-e", "house-prices", "--children");
        folds.forEach(f -> assertThat(withChildren.out()).contains(f));
        JsonNode json = new ObjectMapper().readTree(run("runs", "list", "-s", store, "-e", "house-prices", "--json").out());
        assertThat(json.path("runs")).hasSize(2);
        // rmse is not among the first four metric names, yet the filter asks about it: it is a column
        CliTest.Result filtered = run("runs", "list", "-s", store, "-e", "house-prices", "--filter",
                "metrics.rmse < 3.2 and params.trees = '200' and tags.stage = 'prod'");
        String header = filtered.out().lines().findFirst().orElseThrow();
        assertThat(header).contains("rmse").contains("params.trees").contains("tags.stage");
        assertThat(filtered.out()).contains(runs.get(1)).doesNotContain(runs.get(0)).contains("3.1000").contains("prod");
        CliTest.Result ordered = run("runs", "list", "-s", store, "-e", "house-prices", "--order-by", "metrics.rmse ASC");
        assertThat(ordered.out().lines().findFirst().orElseThrow()).contains("rmse");
        // a page of folds only is not the end of the list
        CliTest.Result paged = run("runs", "list", "-s", store, "-e", "house-prices", "--max", "1", "--order-by", "metrics.rmse DESC");
        assertThat(paged.out()).containsAnyOf(runs.get(0), runs.get(1));
    }

    @Test
    void aBadOrderByIsReportedAsABadOrderBy() {
        CliTest.Result r = run("runs", "list", "-s", store, "-e", "house-prices", "--order-by", "rmse ASC");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("invalid order_by clause 'rmse ASC'").doesNotContain("invalid filter");
        CliTest.Result dir = run("runs", "list", "-s", store, "-e", "house-prices", "--order-by", "metrics.rmse SIDEWAYS");
        assertThat(dir.err()).contains("order_by").contains("ASC or DESC");
    }

    @Test
    void aBadUriOptionNamesTheChoices() {
        CliTest.Result r = run("experiments", "list", "-s", store + "?synchronous=BOGUS");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("synchronous").contains("BOGUS").contains("FULL").contains("NORMAL").doesNotContain("No enum constant");
    }

    @Test
    void aHistoryOfAMetricTheRunLacksIsAnError() {
        CliTest.Result r = run("runs", "show", "-s", store, runs.get(0), "--history", "nosuchmetric");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no metric 'nosuchmetric'").contains("rmse");
        assertThat(run("runs", "show", "-s", store, runs.get(0), "--history", "rmse").code()).isZero();
    }

    @Test
    void runsCompareShowsTags() throws Exception {
        CliTest.Result r = run("runs", "compare", "-s", store, runs.get(0), runs.get(1));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("* tags.stage").contains("dev").contains("prod");
        JsonNode json = new ObjectMapper().readTree(run("runs", "compare", "-s", store, runs.get(0), runs.get(1), "--json").out());
        assertThat(json.path("tags").path("stage").get(0).asText()).isEqualTo("dev");
        assertThat(json.path("tags").path("stage").get(1).asText()).isEqualTo("prod");
    }

    @Test
    void anEmptyTokenNeverMeansNoAuthentication() throws Exception {
        String db = "sqlite:" + dir.resolve("server/mlops.db");
        CliTest.Result empty = run("server", "-s", db, "--port", "0", "--token", "");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("--token").contains("empty").contains("--no-auth");
        CliTest.Result blank = run("server", "-s", db, "--port", "0", "--token", "   ");
        assertThat(blank.code()).isEqualTo(2);
        for (String content : List.of("", "\n", "\r\n", "  \t\n")) {
            Path f = Files.writeString(dir.resolve("token.txt"), content);
            CliTest.Result file = run("server", "-s", db, "--port", "0", "--token-file", f.toString());
            assertThat(file.code()).as("token file %s", content.replace("\n", "\\n")).isEqualTo(2);
            assertThat(file.err()).contains("--token-file").contains("empty");
        }
        CliTest.Result both = run("server", "-s", db, "--port", "0", "--no-auth", "--token", "long-enough-token");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--no-auth");
        CliTest.Result shortToken = run("server", "-s", db, "--port", "0", "--token", "short");
        assertThat(shortToken.code()).isEqualTo(1);
        assertThat(shortToken.err()).contains("at least 8 characters");
    }

    @Test
    void anOpenServerOnANetworkAddressSaysSoLoudly() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "server", "--host", "0.0.0.0", "--port", "0", "--no-auth",
                "--store", "sqlite:" + dir.resolve("open/mlops.db"));
        Path err = dir.resolve("open.err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
                    .readLine();
            assertThat(line).as("stderr: %s", Files.readString(err)).startsWith("mlops server on http://0.0.0.0:")
                    .contains("NO AUTHENTICATION");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Files.readString(err).contains("mlops: WARNING") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(err)).contains("mlops: WARNING").contains("OPEN").contains("--token-file");
        } finally {
            p.destroy();
            p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
