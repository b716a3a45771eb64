package org.mlops4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged {@code mlops-cli/target/mlops.jar} runs on its own: version, and compare on a real store. */
class CliJarIT {
    @TempDir
    Path dir;

    private String[] jar(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("mlops.cli.jar", "target/mlops.jar"));
        assertThat(jar).exists();
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String[] {Integer.toString(p.exitValue()), out, err};
    }

    @Test
    void theShadedJarComparesTheLatestRunsOfAnExperiment() throws Exception {
        try (Tracker t = Tracker.builder().store(SqliteTrackingStore.open(dir.resolve("mlruns/mlops.db"))).build()) {
            for (double rmse : new double[] {3.3, 3.1}) {
                try (ActiveRun run = t.startRun("house-prices")) {
                    run.logMetric("cv_rmse", rmse);
                }
            }
        }
        String[] version = jar("--version");
        assertThat(version[1]).startsWith("mlops 0.1.0");
        String[] compare = jar("runs", "compare", "--experiment", "house-prices"); // default store: ./mlruns/mlops.db
        assertThat(compare[0]).as(compare[2]).isEqualTo("0");
        assertThat(compare[1]).contains("* metrics.cv_rmse").contains("3.3000").contains("3.1000 (-0.2000)");
        assertThat(compare[2]).doesNotContain("SLF4J"); // the CLI ships its logging binding
        assertThat(Files.exists(dir.resolve("mlruns/mlops.db"))).isTrue();
    }
}
