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
                    .containsExactlyInAnyOrder("manifest.json", "model.compiled.bin", "transforms.json", "profile.json", "pipeline.json",
                            "input-example.json");
        }
    }

    @Test
    void theInputContractListsOnlyTheColumnsTheModelReadsAndRecordsTheDroppedOnesAsIgnored() throws IOException {
        BundleManifest m = result.bundle().manifest();

        assertThat(m.inputSchema().names()).containsExactly("CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX",
                "PTRATIO", "LSTAT");
        assertThat(m.ignoredInputs()).containsExactly("B");
        assertThat(m.inputRanges()).doesNotContainKey("B");
        assertThat(result.bundle().trainingProfile().columns()).extracting(c -> c.name()).doesNotContain("B");
        assertThat(new String(result.bundle().file(ModelBundle.INPUT_EXAMPLE).orElseThrow(), StandardCharsets.UTF_8))
                .doesNotContain("\"B\"");
        Path saved = dir.resolve("contract");
        result.bundle().save(saved);
        assertThat(Files.readString(saved.resolve("manifest.json"))).contains("\"ignoredInputs\" : [ \"B\" ]");
        Predictor loaded = ModelBundle.load(saved).predictor();
        assertThat(loaded.ignoredInputs()).containsExactly("B");
        assertThat(loaded.inputSchema().size()).isEqualTo(12);
        // the rows as they are in the file, B included, are accepted (B ignored), not refused as an unknown key
        assertThat(loaded.predict(result.testSet())).isEqualTo(result.testPredictions());
        double[] twelve = new double[12];
        java.util.Arrays.fill(twelve, 1.0);
        assertThat(loaded.predict(twelve)).isNotNull();
        assertThatThrownBy(() -> loaded.predict(new double[13])).hasMessageContaining("a row has 12 input values");
        // a contract inferred from the whole file names B too: a column the model does not read is not checked
        org.mlops4j.core.data.validate.Expectations whole = org.mlops4j.core.data.validate.Expectations.infer(result.testSet().profile());
        Predictor strict = loaded.expecting(whole, Predictor.OnViolation.REJECT);
        assertThat(strict.predict(result.testSet().drop("B"))).isEqualTo(result.testPredictions());
        assertThat(strict.validate(List.of(java.util.Map.of("RM", 6.5))).toString()).doesNotContain("'B'");
    }

    @Test
    void aManifestThatReadsAndIgnoresOneColumnIsRefused() throws IOException {
        Path saved = dir.resolve("edited");
        result.bundle().save(saved);
        Path manifest = saved.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"ignoredInputs\" : [ \"B\" ]", "\"ignoredInputs\" : [ \"RM\" ]"));

        assertThatThrownBy(() -> ModelBundle.load(saved)).isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("ignoredInputs lists 'RM', which is an input column of inputSchema");
        result.bundle().save(dir.resolve("v1"));
        Path v1 = dir.resolve("v1").resolve("manifest.json");
        Files.writeString(v1, Files.readString(v1).replace("\"formatVersion\" : 2", "\"formatVersion\" : 1"));
        assertThatThrownBy(() -> ModelBundle.load(dir.resolve("v1"))).isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("ignoredInputs is a field of format version 2 but the manifest says formatVersion 1");
    }

    @Test
    void aModelThatReadsEveryColumnIsWrittenInFormatVersion1WithoutIgnoredInputs() {
        PipelineResult all = Pipeline.from(TestData.boston()).label("MEDV").train(RandomForest.regression().trees(3)).run();

        assertThat(all.bundle().manifest().formatVersion()).isEqualTo(1);
        assertThat(all.bundle().manifest().ignoredInputs()).isEmpty();
        assertThat(new String(all.bundle().file("manifest.json").orElseThrow(), StandardCharsets.UTF_8)).doesNotContain("ignoredInputs");
        assertThat(all.predictor().inputSchema().names()).contains("B").hasSize(13);
    }

    @Test
    void theManifestDescribesTheModelAndItsFiles() {
        BundleManifest m = result.bundle().manifest();

        assertThat(m.format()).isEqualTo("mlops4j-bundle");
        assertThat(m.formatVersion()).as("it records ignoredInputs, a version 2 field").isEqualTo(2);
        assertThat(m.task()).isEqualTo(Task.REGRESSION);
        assertThat(m.label()).isEqualTo("MEDV");
        assertThat(m.inputSchema().names()).contains("CRIM").doesNotContain("MEDV", "B");
        assertThat(m.features()).doesNotContain("B").hasSize(12);
        assertThat(m.files()).extracting(BundleManifest.BundleFile::path)
                .containsExactlyInAnyOrder("model.compiled.bin", "transforms.json", "profile.json", "pipeline.json", "input-example.json");
        assertThat(m.environment()).containsKeys("mlops.env.java", "mlops.tribuo.version");
        assertThat(m.lineage().datasetVersion()).isEqualTo(result.datasetVersion().id());
    }

    @Test
    void aModifiedFileIsRefusedNamingTheFile() throws IOException {
        Path saved = dir.resolve("b");
        result.bundle().save(saved);
        byte[] model = Files.readAllBytes(saved.resolve("model.compiled.bin"));
        model[model.length / 2] ^= 0x40;
        Files.write(saved.resolve("model.compiled.bin"), model);

        assertThatThrownBy(() -> ModelBundle.load(saved))
                .isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("file model.compiled.bin has SHA-256")
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

        Files.writeString(manifest, json.replace("\"formatVersion\" : 2", "\"formatVersion\" : 3"));
        assertThatThrownBy(() -> ModelBundle.load(saved)).hasMessageContaining("has format version 3; this mlops4j").hasMessageContaining("reads format versions 1 to 2");

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
