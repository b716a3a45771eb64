package org.mlops4j.serving;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.serving.drift.DriftConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The drift page in headless Chromium: it renders a reference and a live histogram per feature. */
class DriftPageBrowserIT {
    @TempDir
    Path dir;

    static Path chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return null;
    }

    @Test
    void theDriftPageRendersHistogramsPerFeature() throws Exception {
        Path chromium = chromium();
        if (chromium == null) {
            assertThat(System.getenv("MLOPS_TEST_BROWSER_REQUIRED")).as("MLOPS_TEST_BROWSER_REQUIRED is set but no Chromium is installed").isNotEqualTo("true");
            Assumptions.abort("no Chromium installed");
        }
        ServingCore core = ServingCore.builder(HousePrices.registry()).model("house-prices@champion").follow(null).warmRows(10)
                .drift(DriftConfig.defaults().withWindowRows(100)).build();
        try (ModelServer server = ModelServer.start(core, "127.0.0.1", 0)) {
            Http http = new Http(server.uri(), null);
            String rows = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(HousePrices.rows().subList(0, 150));
            assertThat(http.post("/predict/house-prices", "{\"rows\":" + rows + "}").status()).isEqualTo(200);
            String url = server.uri() + "/v2/models/house-prices/drift.html";
            Path shot = dir.resolve("drift.png");
            List<String> common = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + dir.resolve("profile"));
            Process dom = new ProcessBuilder(concat(common, "--dump-dom", url)).redirectError(dir.resolve("dom.err").toFile()).start();
            String html = new String(dom.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(dom.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(html).as(Files.readString(dir.resolve("dom.err"))).contains("<h1>Drift of house-prices version 1</h1>");
            assertThat(html).contains("data-feature=\"LSTAT\"").contains("data-feature=\"prediction\"").contains("Last completed window");
            long bars = html.split("class=\"bar\"", -1).length - 1;
            assertThat(bars).isGreaterThan(13 * 2 * 10);
            Process png = new ProcessBuilder(concat(common, "--screenshot=" + shot, "--window-size=1200,900", url))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("shot.log").toFile()).start();
            assertThat(png.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.size(shot)).as(Files.readString(dir.resolve("shot.log"))).isGreaterThan(10_000);
        }
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> l = new java.util.ArrayList<>(a);
        l.addAll(List.of(more));
        return l;
    }
}
