package org.mlops4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.data.Csv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reproduction across processes, from the store alone: one JVM (a test program, as the sample would) tunes, trains
 * and registers two versions into a SQLite store; a fresh JVM (the shaded {@code mlops.jar}) reproduces each from
 * nothing but the store URI, bit for bit; after one cell of the CSV changes, the version without a snapshot is
 * refused naming both data versions and the one with a snapshot reproduces anyway.
 */
class CliReproduceAcrossJvmsIT {
    @TempDir
    Path dir;

    record Exit(int code, String out, String err) {
    }

    private Exit java(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 23) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(args);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("did not end in 5 minutes: " + cmd);
        }
        return new Exit(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private Exit mlops(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("mlops.cli.jar", "target/mlops.jar")).toAbsolutePath();
        assertThat(jar).exists();
        List<String> cmd = new ArrayList<>(List.of("-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return java(cmd);
    }

    @Test
    void aVersionRegisteredInOneJvmReproducesBitForBitInAnotherFromTheStoreAlone() throws Exception {
        Path csv = dir.resolve("boston.csv");
        Files.copy(Path.of("../samples/data/boston_house_prices.csv"), csv);
        String store = "sqlite:" + dir.resolve("mlruns/mlops.db");
        Files.createDirectories(dir.resolve("mlruns"));

        Exit registered = java(List.of("-cp", System.getProperty("java.class.path"), RegisterForReproduction.class.getName(),
                csv.toString(), store));
        assertThat(registered.code()).as(registered.err()).isZero();
        assertThat(registered.out()).contains("VERSION 1 RUN ").contains("VERSION 2 RUN ").contains("END");

        ObjectMapper json = new ObjectMapper();
        for (String version : List.of("models:/house-prices/1", "models:/house-prices/2")) {
            Exit r = mlops("runs", "reproduce", version, "--store", store, "--json");
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            JsonNode j = json.readTree(r.out());
            assertThat(j.path("exact").asBoolean()).as(r.out()).isTrue();
            assertThat(j.path("differences").size()).isZero();
            assertThat(j.path("from_snapshot").asBoolean()).isFalse();
            List<String> compared = new ArrayList<>();
            j.path("compared").forEach(c -> compared.add(c.asText()));
            assertThat(compared).anyMatch(c -> c.matches("101 holdout predictions bit for bit"))
                    .anyMatch(c -> c.matches("\\d+ metrics .*")).contains("model payload fingerprint", "registered payload fingerprint");
            // the two JVMs ran on different class paths (test classes vs the shaded jar): the report names those entries,
            // and only those — same JDK, OS and CPU
            j.path("environment").forEach(e -> assertThat(e.path("entry").asText()).as(e.toString()).startsWith("classpath"));
            List<String> notes = new ArrayList<>();
            j.path("notes").forEach(n -> notes.add(n.asText()));
            assertThat(notes).anyMatch(n -> n.contains("the configuration it chose"));
        }
        Exit text = mlops("runs", "reproduce", "models:/house-prices/1", "--store", store);
        assertThat(text.out()).startsWith("models:/house-prices/1 (run ").contains("reproduced exactly");

        String before = Csv.file(csv).skipLines(1).load().version().id();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        lines.set(2, "0.00633" + lines.get(2).substring(lines.get(2).indexOf(',')));
        Files.write(csv, lines, StandardCharsets.UTF_8);
        String after = Csv.file(csv).skipLines(1).load().version().id();
        assertThat(after).isNotEqualTo(before);

        Exit refused = mlops("runs", "reproduce", "models:/house-prices/1", "--store", store);
        assertThat(refused.code()).as(refused.out()).isEqualTo(1);
        assertThat(refused.err()).startsWith("mlops: ").contains(before).contains(after).contains("snapshot").doesNotContain("\tat ");

        Exit snap = mlops("runs", "reproduce", "models:/house-prices/2", "--store", store, "--json");
        assertThat(snap.code()).as(snap.out() + snap.err()).isZero();
        JsonNode s = json.readTree(snap.out());
        assertThat(s.path("exact").asBoolean()).isTrue();
        assertThat(s.path("from_snapshot").asBoolean()).isTrue();
        assertThat(s.path("dataset_version").asText()).isEqualTo(before);
    }
}
