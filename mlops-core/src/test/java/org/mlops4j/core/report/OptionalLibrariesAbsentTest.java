package org.mlops4j.core.report;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.tck.ChildJvm;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.tune.Space;
import org.mlops4j.core.tune.Tune;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JFreeChart, JFreeSVG and progressbar are optional dependencies of mlops-core: without them on the class path a
 * model card and a study report are still written, with a line saying what the charts need, never a
 * {@code NoClassDefFoundError}. Runs in a child JVM with the test class path minus those jars.
 */
class OptionalLibrariesAbsentTest {

    /** The child JVM's main: a tuned pipeline with a model card; prints what the card and the report say. */
    public static void main(String[] args) throws Exception {
        try (Tracker tracker = Tracker.inMemory()) {
            ModelRegistry registry = ModelRegistry.inMemory();
            Space<RandomForest> space = Space.of(RandomForest.regression().seed(1).trees(3)).ints("max_depth", RandomForest::maxDepth, 2, 6);
            PipelineResult r = Pipeline.from(TestData.boston()).label("MEDV").drop("B").transform(Impute.median())
                    .train(Tune.random(space).trials(2).parallelism(1).seed(4))
                    .then(ModelCards.step("teaching", "none")).track(tracker, "absent").register(registry, "house").run();
            String card = new String(r.bundle().file(ModelCards.HTML).orElseThrow(), StandardCharsets.UTF_8);
            System.out.println("CARD svg=" + card.contains("<svg") + " note=" + card.contains("Charts need JFreeChart"));
            try (InputStream in = tracker.openArtifact(r.runId().orElseThrow(), "study/report.html")) {
                String report = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                System.out.println("REPORT svg=" + report.contains("<svg") + " note=" + report.contains("Charts need"));
            }
        } catch (Throwable t) {
            System.out.println("FAILED " + t);
        }
    }

    @Test
    void withoutTheChartLibrariesTheCardAndTheStudyReportSayWhatTheChartsNeed() throws Exception {
        String out = ChildJvm.runWithout(e -> e.contains("jfreechart") || e.contains("org.jfree.svg") || e.contains("progressbar"),
                OptionalLibrariesAbsentTest.class);

        assertThat(out).doesNotContain("FAILED").doesNotContain("NoClassDefFoundError")
                .contains("CARD svg=false note=true").contains("REPORT svg=false note=true");
    }
}
