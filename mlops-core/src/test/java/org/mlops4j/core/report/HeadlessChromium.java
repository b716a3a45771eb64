package org.mlops4j.core.report;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium for tests that look at HTML: screenshots and the DOM after scripts ran. Tests skip when
 * no Chromium is installed, unless {@code MLOPS_TEST_BROWSER_REQUIRED=true} (CI), where they fail instead.
 */
final class HeadlessChromium {
    private final Path binary;
    private final Path work;

    private HeadlessChromium(Path binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    static HeadlessChromium findOrSkip(Path work) {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("MLOPS_CHROMIUM");
        if (env != null) {
            candidates.add(env);
        }
        candidates.addAll(List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"));
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return new HeadlessChromium(p, work);
            }
        }
        if ("true".equals(System.getenv("MLOPS_TEST_BROWSER_REQUIRED"))) {
            throw new AssertionError("MLOPS_TEST_BROWSER_REQUIRED=true but no Chromium found at " + candidates
                    + " (apt-get install -y chromium)");
        }
        Assumptions.abort("no Chromium installed (apt-get install -y chromium); skipping the browser test");
        return null;
    }

    private String run(List<String> extra, Path page) throws IOException, InterruptedException {
        return run(extra, page, work.resolve("chromium-" + System.nanoTime() + ".err"));
    }

    private String run(List<String> extra, Path page, Path err) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile));
        cmd.addAll(extra);
        cmd.add(page.toUri().toString());
        Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("chromium exited with " + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height), page);
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
    }

    /** What loading a page did: its console messages (errors included) and the network requests it made. */
    record Visit(List<String> console, List<String> requests) {
    }

    /**
     * Loads a page with console logging and a net log: every console message, and every request the page itself made
     * (the browser's own background requests, whose isolation key is not the page's {@code file://} origin, are left out).
     */
    Visit visit(Path page) throws IOException, InterruptedException {
        Path netlog = work.resolve("netlog-" + System.nanoTime() + ".json");
        Path err = work.resolve("chromium-visit-" + System.nanoTime() + ".err");
        run(List.of("--dump-dom", "--window-size=1280,2000", "--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0",
                "--log-net-log=" + netlog, "--net-log-capture-mode=Default"), page, err);
        List<String> console = Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> l.contains(":CONSOLE")).toList();
        List<String> requests = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode log = new com.fasterxml.jackson.databind.ObjectMapper().readTree(netlog.toFile());
        for (com.fasterxml.jackson.databind.JsonNode e : log.path("events")) {
            com.fasterxml.jackson.databind.JsonNode p = e.path("params");
            if (p.has("url") && p.path("network_isolation_key").asText("").contains("file://")) {
                requests.add(p.path("url").asText());
            }
        }
        return new Visit(console, requests);
    }

    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", "--window-size=1280,2000", "--virtual-time-budget=5000"), page);
    }
}
