package org.mlops4j.core.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.Promotion;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ModelCardTest {
    @TempDir
    Path dir;

    private static final String PROBE = """
            <pre id="probe"></pre><script>
            const out = [];
            document.querySelectorAll('figure.chart').forEach(f => {
              const svg = f.querySelector('svg');
              const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
              out.push(f.id + ' ' + Math.round(r.width) + 'x' + Math.round(r.height) + ' ' + (svg ? svg.querySelectorAll('*').length : 0));
            });
            document.getElementById('probe').textContent = out.join('\\n');
            </script></body>""";

    private ModelCard houseCard(Tracker tracker, ModelRegistry registry) {
        Pipeline p = Pipeline.from(TestData.boston()).label("MEDV").drop("B").transform(Impute.median())
                .split(Split.trainTest(0.8).seed(42)).train(RandomForest.regression().trees(15).seed(42)).crossValidate(3)
                .track(tracker, "cards");
        p.train(DecisionTree.regression().maxDepth(2)).register(registry, "house", Promotion.to("champion").ifBeats("rmse")).run();
        PipelineResult r = p.register(registry, "house", Promotion.to("champion").ifBeats("rmse")).run();
        String runId = r.runId().orElseThrow();
        return ModelCard.builder(registry.load("house/2")).version(registry.version("house/2")).run(tracker, runId)
                .holdout(Pipeline.holdoutOf(tracker, runId))
                .intendedUse("Estimate Boston house prices <for teaching>.").limitations("1970s census tracts; prices in $1000s.")
                .history(Promotion.history(registry, "house")).build();
    }

    @Test
    void theMarkdownCardHasEverySection() {
        try (Tracker tracker = Tracker.inMemory()) {
            ModelCard card = houseCard(tracker, ModelRegistry.inMemory());
            String md = card.markdown();
            for (String section : List.of("# Model card: house version 2", "## Model", "## Intended use", "## Limitations", "## Data",
                    "## Training", "## Evaluation", "## Lineage", "## Promotion history", "## Caveats")) {
                assertThat(md).contains(section);
            }
            assertThat(md).contains("random_forest").contains("Per cross-validation fold").contains("| rmse |")
                    .contains("Permutation importance (rmse increase").contains("PROMOTED version 2 over 1")
                    .contains("drop(B) → impute(median)").contains("Environment lock");
            assertThat(card.permutationImportance()).containsKeys("RM", "LSTAT");
            // the two most important Boston features by any measure
            assertThat(card.permutationImportance().keySet().stream().limit(3).toList()).containsAnyOf("RM", "LSTAT");
            assertThat(card.html()).contains("&lt;for teaching&gt;").doesNotContain("<for teaching>");
        }
    }

    @Test
    void theHtmlCardRendersInHeadlessChromiumWithEveryChart() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.findOrSkip(dir);
        String html;
        try (Tracker tracker = Tracker.inMemory()) {
            html = houseCard(tracker, ModelRegistry.inMemory()).html();
        }
        assertThat(html).as("self-contained").doesNotContainPattern("(src|href)\\s*=\\s*[\"']?(https?:|//)").doesNotContain("<link")
                .doesNotContain("<script");
        Path page = dir.resolve("card.html");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        Path probe = dir.resolve("probe.html");
        Files.writeString(probe, html.replace("</body>", PROBE), StandardCharsets.UTF_8);

        String dom = chromium.dumpDom(probe);
        Matcher m = Pattern.compile("<pre id=\"probe\">([^<]*)</pre>").matcher(dom);
        assertThat(m.find()).as("probe output in " + dom.length() + " chars of DOM").isTrue();
        List<String> charts = m.group(1).lines().toList();
        assertThat(charts).extracting(l -> l.split(" ")[0]).containsExactlyInAnyOrder("chart-predicted-vs-actual", "chart-residuals",
                "chart-permutation-importance", "chart-model-importance", "chart-cv-folds");
        for (String c : charts) {
            String[] f = c.split(" ");
            String[] wh = f[1].split("x");
            assertThat(Integer.parseInt(wh[0])).as(c).isGreaterThan(300);
            assertThat(Integer.parseInt(wh[1])).as(c).isGreaterThan(200);
            assertThat(Integer.parseInt(f[2])).as(c + ": drawn elements").isGreaterThan(30);
        }

        Path png = Path.of("target", "model-card-screenshot.png").toAbsolutePath();
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        chromium.screenshot(page, png, 1280, 3600);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1280);
        long ink = 0;
        Set<Integer> colors = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colors.add(rgb);
                if (rgb != 0xffffff) {
                    ink++;
                }
            }
        }
        double share = ink / (img.getWidth() * img.getHeight() / 4.0);
        assertThat(share).as("share of non-white pixels").isGreaterThan(0.03);
        assertThat(colors.size()).as("distinct colours").isGreaterThan(50);
    }

    @Test
    void aClassificationCardDrawsAConfusionMatrix() throws Exception {
        PipelineResult r = Pipeline.from(TestData.iris()).label("species").train(DecisionTree.classification().maxDepth(3)).run();
        ModelCard card = ModelCard.builder(r.bundle()).holdout(r.testSet()).build();
        String html = card.html();
        assertThat(html).contains("id=\"chart-confusion\"").contains("id=\"chart-permutation-importance\"")
                .doesNotContain("chart-residuals");
        assertThat(card.markdown()).contains("accuracy decrease");
        assertThat(card.caveats()).anyMatch(c -> c.contains("no run was given")).anyMatch(c -> c.contains("no intended use"));
        Files.writeString(Path.of("target", "model-card-iris.html"), html, StandardCharsets.UTF_8);
    }

    @Test
    void anEmptyHoldoutIsACaveatNotACrash() {
        PipelineResult r = Pipeline.from(TestData.boston()).label("MEDV").train(DecisionTree.regression().maxDepth(2)).run();
        ModelCard card = ModelCard.builder(r.bundle()).holdout(r.testSet().rows(new int[0])).build();
        assertThat(card.caveats()).anyMatch(c -> c.contains("the holdout is empty"));
        assertThat(card.html()).doesNotContain("chart-predicted-vs-actual");
        assertThat(card.markdown()).contains("## Caveats");
    }

    @Test
    void theCardStepWritesTheCardIntoTheBundleAndIsRecordedInPipelineJson() {
        try (Tracker tracker = Tracker.inMemory()) {
            Pipeline p = Pipeline.from(TestData.boston()).label("MEDV").train(DecisionTree.regression().maxDepth(3)).crossValidate(3)
                    .then(ModelCards.step("Teaching.", null)).track(tracker, "step");
            PipelineResult r = p.run();
            ModelBundle b = r.bundle();
            assertThat(new String(b.file("card.md").orElseThrow(), StandardCharsets.UTF_8)).contains("Teaching.").contains("fold 3");
            assertThat(new String(b.file("card.html").orElseThrow(), StandardCharsets.UTF_8)).contains("chart-cv-folds");
            assertThat(tracker.run(r.runId().orElseThrow()).orElseThrow().artifacts()).extracting(a -> a.path()).contains("card.html");
            assertThat(PipelineSpec.read(p.spec().toJson()).steps()).containsExactly(ModelCards.step("Teaching.", null));
        }
    }

    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String IMG = "\"><img src=x onerror=alert(2)>";

    /** A card whose every user-given string is hostile: column names, a category, intended use, limitations, who decided. */
    private static ModelCard hostileCard(Tracker tracker) {
        int n = 60;
        double[] x = new double[n];
        double[] y = new double[n];
        String[] cat = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = 2 * i + (i % 3);
            cat[i] = i % 2 == 0 ? "</svg>" + SCRIPT : "plain";
        }
        org.mlops4j.core.data.Dataset data = org.mlops4j.core.data.Dataset.builder("memory " + SCRIPT).numeric(SCRIPT + "|x", x)
                .categorical(IMG, cat).numeric("y", y).build();
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult r = Pipeline.from(org.mlops4j.core.data.DataSource.of(data)).label("y").transform(org.mlops4j.core.transform.OneHot.all()).split(Split.trainTest(0.75).seed(3))
                .train(DecisionTree.regression().maxDepth(3)).crossValidate(3).track(tracker, "hostile").register(registry, "m").run();
        Promotion.to("champion").by(IMG + SCRIPT).decide(registry, "m/1", r.testSet(), tracker);
        return ModelCard.builder(registry.load("m/1")).version(registry.version("m/1")).run(tracker, r.runId().orElseThrow())
                .holdout(r.testSet()).intendedUse(SCRIPT).limitations(IMG).history(Promotion.history(registry, "m")).build();
    }

    @Test
    void hostileStringsInColumnsCategoriesAndUserFieldsAreEscapedEverywhereInTheHtml() {
        String html;
        try (Tracker tracker = Tracker.inMemory()) {
            html = hostileCard(tracker).html();
        }
        assertThat(html.toLowerCase(java.util.Locale.ROOT)).doesNotContain("<script").doesNotContain("<img").doesNotContain("onerror=alert(2)>");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;img src=x onerror=alert(2)&gt;");
    }

    @Test
    void theCardLoadsInChromiumWithNoConsoleMessageAndNoRequestEvenWithHostileStrings() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.findOrSkip(dir);
        // the detector itself: a page that logs an error and fetches from the network is caught
        Path control = dir.resolve("control.html");
        Files.writeString(control, "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\"><script>console.error('boom')</script>"
                + "</body></html>", StandardCharsets.UTF_8);
        HeadlessChromium.Visit caught = chromium.visit(control);
        assertThat(caught.console()).anyMatch(l -> l.contains("boom"));
        assertThat(caught.requests()).contains("http://127.0.0.1:9/x.png");

        for (boolean hostile : new boolean[] {false, true}) {
            String html;
            try (Tracker tracker = Tracker.inMemory()) {
                html = hostile ? hostileCard(tracker).html() : houseCard(tracker, ModelRegistry.inMemory()).html();
            }
            Path page = dir.resolve("card-" + hostile + ".html");
            Files.writeString(page, html, StandardCharsets.UTF_8);
            HeadlessChromium.Visit v = chromium.visit(page);
            assertThat(v.console()).as("console of the %s card", hostile ? "hostile" : "house").isEmpty();
            assertThat(v.requests()).as("requests of the %s card", hostile ? "hostile" : "house").isEmpty();
        }
    }

    @Test
    void inTheMarkdownDataDerivedTextIsShownAsWrittenAndTheUsersOwnWordsAreKept() {
        String md;
        try (Tracker tracker = Tracker.inMemory()) {
            md = hostileCard(tracker).markdown();
        }
        assertThat(md).contains("## Intended use\n\n" + SCRIPT + "\n").contains("## Limitations\n\n" + IMG + "\n");
        String data = md.replace("## Intended use\n\n" + SCRIPT, "").replace("## Limitations\n\n" + IMG, "");
        assertThat(data.toLowerCase(java.util.Locale.ROOT)).doesNotContain("<script").doesNotContain("<img");
        assertThat(data).contains("&lt;script&gt;alert(1)&lt;/script&gt;\\|x");
        // every row of the profile table has its five cells: no column name breaks it
        List<String> rows = data.lines().dropWhile(l -> !l.startsWith("| column |")).takeWhile(l -> l.startsWith("|")).toList();
        assertThat(rows).hasSizeGreaterThan(3).allSatisfy(l -> assertThat(l.replace("\\|", "").chars().filter(c -> c == '|').count())
                .as(l).isEqualTo(6));
    }
}
