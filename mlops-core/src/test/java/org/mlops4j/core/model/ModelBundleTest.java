package org.mlops4j.core.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.Task;
import org.mlops4j.core.TestData;
import org.mlops4j.core.internal.tribuo.TribuoFlavor;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Standardize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelBundleTest {
    @TempDir
    Path dir;

    private static PipelineResult result;

    @BeforeAll
    static void train() {
        result = Pipeline.from(TestData.boston()).label("MEDV").drop("B").transform(Impute.median(), Standardize.all())
                .train(RandomForest.regression().trees(10)).run();
    }

    @Test
    void aSavedBundleLoadsAndPredictsTheSame() throws IOException {
        Path saved = dir.resolve("bundle");
        result.bundle().save(saved);

        ModelBundle loaded = ModelBundle.load(saved);

        assertThat(loaded.manifest()).isEqualTo(result.bundle().manifest());
        assertThat(loaded.manifestSha256()).isEqualTo(result.bundle().manifestSha256());
        assertThat(loaded.transforms()).isEqualTo(result.transforms());
        assertThat(loaded.trainingProfile()).isEqualTo(result.bundle().trainingProfile());
        assertThat(loaded.predictor().predict(result.testSet())).isEqualTo(result.testPredictions());
        try (var files = Files.list(saved)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("manifest.json", "model.tribuo.gz", "transforms.json", "profile.json", "pipeline.json",
                            "input-example.json");
        }
    }

    @Test
    void theManifestDescribesTheModelAndItsFiles() {
        BundleManifest m = result.bundle().manifest();

        assertThat(m.format()).isEqualTo("mlops4j-bundle");
        assertThat(m.formatVersion()).isEqualTo(1);
        assertThat(m.task()).isEqualTo(Task.REGRESSION);
        assertThat(m.label()).isEqualTo("MEDV");
        assertThat(m.inputSchema().names()).contains("CRIM", "B").doesNotContain("MEDV");
        assertThat(m.features()).doesNotContain("B").hasSize(12);
        assertThat(m.files()).extracting(BundleManifest.BundleFile::path)
                .containsExactlyInAnyOrder("model.tribuo.gz", "transforms.json", "profile.json", "pipeline.json", "input-example.json");
        assertThat(m.environment()).containsKeys("mlops.env.java", "mlops.tribuo.version");
        assertThat(m.lineage().datasetVersion()).isEqualTo(result.datasetVersion().id());
    }

    @Test
    void aModifiedFileIsRefusedNamingTheFile() throws IOException {
        Path saved = dir.resolve("b");
        result.bundle().save(saved);
        byte[] model = Files.readAllBytes(saved.resolve("model.tribuo.gz"));
        model[model.length / 2] ^= 0x40;
        Files.write(saved.resolve("model.tribuo.gz"), model);

        assertThatThrownBy(() -> ModelBundle.load(saved))
                .isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("file model.tribuo.gz has SHA-256")
                .hasMessageContaining("but the manifest records")
                .hasMessageContaining("refusing to load it");
    }

    @Test
    void aTruncatedOrMissingFileIsRefused() throws IOException {
        Path saved = dir.resolve("b");
        result.bundle().save(saved);
        Files.writeString(saved.resolve("transforms.json"), "[]");
        assertThatThrownBy(() -> ModelBundle.load(saved)).hasMessageContaining("file transforms.json has 2 bytes but the manifest records");

        Files.delete(saved.resolve("transforms.json"));
        assertThatThrownBy(() -> ModelBundle.load(saved)).hasMessageContaining("file transforms.json is listed in the manifest but missing");
    }

    @Test
    void aManifestThatPointsOutsideTheBundleOrComesFromTheFutureIsRefused() throws IOException {
        Path saved = dir.resolve("b");
        result.bundle().save(saved);
        Path manifest = saved.resolve("manifest.json");
        String json = Files.readString(manifest, StandardCharsets.UTF_8);

        Files.writeString(manifest, json.replace("\"profile.json\"", "\"../profile.json\""));
        assertThatThrownBy(() -> ModelBundle.load(saved)).hasMessageContaining("files[2].path: '../profile.json' escapes the bundle");

        Files.writeString(manifest, json.replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
        assertThatThrownBy(() -> ModelBundle.load(saved)).hasMessageContaining("has format version 2; this mlops4j").hasMessageContaining("reads format versions 1 to 1");

        Files.writeString(manifest, "{ not json");
        assertThatThrownBy(() -> ModelBundle.load(saved)).hasMessageContaining("manifest.json is not valid JSON");

        Files.delete(manifest);
        assertThatThrownBy(() -> ModelBundle.load(saved)).hasMessageContaining("has no manifest.json");
        assertThatThrownBy(() -> ModelBundle.load(dir.resolve("absent"))).hasMessageContaining("does not exist");
    }

    @Test
    void aPayloadOfAnotherClassIsRefusedBeforeTribuoSeesIt() {
        assertThatThrownBy(() -> new TribuoFlavor().read(java.util.Map.of("model.tribuo.gz", new byte[] {1, 2, 3}),
                new ModelSignature(Task.REGRESSION, List.of("x"), List.of()), "bundle x"))
                .isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("is not a gzip-compressed Tribuo protobuf");
    }

    @Test
    void savingNeverOverwritesAndLeavesNoHalfWrittenDirectory() throws IOException {
        Path saved = dir.resolve("b");
        result.bundle().save(saved);

        assertThatThrownBy(() -> result.bundle().save(saved)).hasMessageContaining("already exists");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).isEqualTo(List.of("b"));
        }
    }
}
