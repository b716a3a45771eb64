package com.example.mlops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.model.UnsupportedBundleException;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.transform.Impute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A trainer, a model flavor and a fitted transform defined outside mlops4j go the whole way: train →
 * bundle → register → load → predict, and back from pipeline.json. Proof that the extension points are open.
 */
class ExtensionPointsTest {
    @TempDir
    Path dir;

    private static Pipeline pipeline() {
        return Pipeline.from(TestData.boston()).label("MEDV").select("LSTAT", "RM")
                .transform(Impute.median(), new Clip("LSTAT", 0.95))
                .train(new LineTrainer("LSTAT"));
    }

    @Test
    void anOutsideTrainerFlavorAndTransformGoFromTrainingToPredictionsOfALoadedBundle() throws IOException {
        ModelRegistry registry = ModelRegistry.inMemory();
        Tracker tracker = Tracker.inMemory();
        PipelineResult r = pipeline().track(tracker, "outside").register(registry, "line", "champion").run();

        ModelBundle bundle = r.bundle();
        assertThat(bundle.manifest().flavor()).isEqualTo("example-line");
        assertThat(bundle.manifest().algorithm()).isEqualTo("example_line");
        assertThat(new String(bundle.file(ModelBundle.TRANSFORMS).orElseThrow(), StandardCharsets.UTF_8))
                .contains("\"type\" : \"example_clip\"", "\"type\" : \"impute\"");
        assertThat(r.holdout().get("rmse")).as("a line on LSTAT explains some of MEDV").isLessThan(7.5);

        Predictor fromRegistry = registry.predictor("line@champion");
        assertThat(fromRegistry.predict(r.testSet())).isEqualTo(r.testPredictions());

        bundle.save(dir.resolve("line"));
        ModelBundle loaded = ModelBundle.load(dir.resolve("line"));
        assertThat(loaded.predictor().predict(r.testSet())).isEqualTo(r.testPredictions());
        assertThat(loaded.fileNames()).contains("line.txt", "pipeline.json");

        Clip.Fitted cap = loaded.transforms().stream().filter(Clip.Fitted.class::isInstance).map(Clip.Fitted.class::cast)
                .findFirst().orElseThrow();
        Prediction huge = loaded.predictor().predict(Map.of("LSTAT", 1e6, "RM", 6.0));
        Prediction capped = loaded.predictor().predict(Map.of("LSTAT", cap.max(), "RM", 6.0));
        assertThat(huge.value()).as("the fitted clip travels in the bundle").isCloseTo(capped.value(), within(1e-12));
        assertThat(tracker.metricHistory(r.runId().orElseThrow(), "fit_rows")).as("the trainer's reports reach the run")
                .singleElement().satisfies(m -> assertThat(m.value()).isEqualTo(r.bundle().manifest().metrics().get("train_rows")));
    }

    @Test
    void theRecipeWithOutsideTypesIsRecordedAndRebuildsTheSameModel() {
        PipelineResult r = pipeline().run();
        byte[] json = r.bundle().file("pipeline.json").orElseThrow();

        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"type\" : \"example_line\"", "\"feature\" : \"LSTAT\"",
                "\"type\" : \"example_clip\"", "\"quantile\" : 0.95");
        PipelineResult again = Pipeline.of(PipelineSpec.read(json)).run();
        assertThat(again.testPredictions()).isEqualTo(r.testPredictions());
    }

    @Test
    void aBundleOfAFlavorNoModuleProvidesIsRefusedNamingTheArtifact() throws IOException {
        pipeline().run().bundle().save(dir.resolve("b"));
        Path manifest = dir.resolve("b/manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"example-line\"", "\"djl\""));

        // The manifest no longer matches its own checksum in a registry, but a directory has only the files' checksums.
        assertThatThrownBy(() -> ModelBundle.load(dir.resolve("b")))
                .isInstanceOf(UnsupportedBundleException.class)
                .hasMessageContaining("flavor 'djl'").hasMessageContaining("add org.mlops4j:mlops-djl");
    }

    @Test
    void aBundleNamingAnUnknownTransformTypeIsRefusedNamingTheType() throws IOException {
        pipeline().run().bundle().save(dir.resolve("t"));
        rewrite(dir.resolve("t"), "transforms.json", s -> s.replace("\"example_clip\"", "\"winsorize\""));

        assertThatThrownBy(() -> ModelBundle.load(dir.resolve("t")))
                .isInstanceOf(UnsupportedBundleException.class)
                .hasMessageContaining("transform type 'winsorize'").hasMessageContaining("known types are [");
    }

    /** Edits a bundle file and re-records its checksum, as someone who can write the bundle could. */
    private static void rewrite(Path bundle, String file, java.util.function.UnaryOperator<String> edit) throws IOException {
        Path f = bundle.resolve(file);
        byte[] before = Files.readAllBytes(f);
        byte[] after = edit.apply(new String(before, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        Files.write(f, after);
        Path manifest = bundle.resolve("manifest.json");
        String m = Files.readString(manifest)
                .replace(org.mlops4j.core.internal.Sha256.hex(before), org.mlops4j.core.internal.Sha256.hex(after))
                .replace("\"size\" : " + before.length + "", "\"size\" : " + after.length);
        Files.writeString(manifest, m);
        assertThat(List.of(m)).isNotEmpty();
    }
}
