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
        return jarOn(Path.of(System.getProperty("java.home"), "bin", "java").toString(), args);
    }

    private String[] jarOn(String java, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("mlops.cli.jar", "target/mlops.jar")).toAbsolutePath();
        assertThat(jar).exists();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String[] {Integer.toString(p.exitValue()), out, err};
    }

    /** @return a java older than 21: the machine's default one if it is, else a JDK 17 under /usr/lib/jvm, else null */
    private static String oldJava() throws Exception {
        List<Path> candidates = new java.util.ArrayList<>(List.of(Path.of("/usr/bin/java")));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (var dirs = Files.list(jvms)) {
                dirs.filter(d -> d.getFileName().toString().contains("17")).sorted().forEach(d -> candidates.add(d.resolve("bin/java")));
            }
        }
        for (Path exe : candidates) {
            if (!Files.isExecutable(exe)) {
                continue;
            }
            Process p = new ProcessBuilder(exe.toString(), "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("java\\.specification\\.version = (\\S+)").matcher(out);
            if (m.find() && Integer.parseInt(m.group(1).replace("1.", "")) < 21) {
                return exe.toString();
            }
        }
        return null;
    }

    @Test
    void onAJavaOlderThan21TheJarSaysWhichJavaItNeedsInsteadOfUnsupportedClassVersionError() throws Exception {
        String old = oldJava();
        org.junit.jupiter.api.Assumptions.assumeTrue(old != null, "no Java older than 21 on this machine");

        String[] r = jarOn(old, "runs", "list");

        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).isEmpty();
        assertThat(r[2]).startsWith("mlops4j needs Java 21 or newer; this is Java ").containsPattern("this is Java 1?\\.?\\d+ at /")
                .contains("Set JAVA_HOME to a JDK 21 or newer").contains("/bin/java\" -jar ").contains("mlops.jar")
                .doesNotContain("UnsupportedClassVersionError").doesNotContain("Exception");
        assertThat(r[2].lines().count()).isEqualTo(3);
        assertThat(Files.exists(dir.resolve("mlruns"))).as("nothing ran").isFalse();
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
