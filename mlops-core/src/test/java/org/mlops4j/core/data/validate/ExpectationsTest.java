package org.mlops4j.core.data.validate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.transform.Impute;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpectationsTest {
    @TempDir
    Path dir;

    private static final Dataset TRAIN = Dataset.builder("train")
            .numeric("x", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
            .categorical("color", "red", "blue", "red", "blue", "red", "blue", "red", "blue", "red", "blue")
            .numeric("y", 2, 4, 6, 8, 10, 12, 14, 16, 18, 20).build();

    @Test
    void inferredExpectationsHoldTypesRangesWidenedByTheToleranceCategoriesAndMissingBounds() {
        Expectations e = Expectations.infer(TRAIN.profile());
        ColumnExpectation x = e.column("x");
        assertThat(x.min()).isEqualTo(1 - 0.9);
        assertThat(x.max()).isEqualTo(10 + 0.9);
        assertThat(x.maxMissingRate()).isEqualTo(0.05);
        assertThat(e.column("color").categories()).containsExactly("blue", "red");
        assertThat(Expectations.infer(TRAIN.profile(), 0, 0).column("x").maxMissingRate()).isZero();
        assertThat(e.validate(TRAIN).isValid()).isTrue();
    }

    @Test
    void oneReportListsEveryViolation() {
        Expectations e = Expectations.infer(TRAIN.profile(), 0.1, 0);
        Dataset bad = Dataset.builder("batch")
                .numeric("x", java.util.Arrays.asList(1.0, 1e9, null, 5.0))
                .categorical("color", "red", "green", "blue", "purple").build();
        ValidationReport r = e.validate(bad);
        assertThat(r.isValid()).isFalse();
        assertThat(r.violations()).extracting(Violation::rule).containsExactly(Violation.Rule.OUT_OF_RANGE,
                Violation.Rule.MISSING_VALUE, Violation.Rule.UNKNOWN_CATEGORY, Violation.Rule.UNKNOWN_CATEGORY, Violation.Rule.MISSING_COLUMN);
        assertThat(r.total()).isEqualTo(5);
        assertThat(r.toString()).contains("batch row 2, column 'x': 1.0E9 is outside the expected range [0.100000, 10.9000]")
                .contains("'green' is not a category seen in training").contains("no column 'y'");
        assertThatThrownBy(r::throwIfInvalid).isInstanceOf(DataValidationException.class)
                .hasMessageContaining("5 violations").satisfies(t -> assertThat(((DataValidationException) t).column()).hasValue("x"));
    }

    @Test
    void missingRatesAreJudgedOnBatchesNotSingleRows() {
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            xs.add(i % 4 == 0 ? null : 5.0);
        }
        Expectations e = new Expectations(List.of(ColumnExpectation.numeric("x").maxMissingRate(0.1)), false);
        ValidationReport r = e.validate(Dataset.builder("b").numeric("x", xs).build());
        assertThat(r.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(Violation.Rule.MISSING_RATE);
            assertThat(v.message()).contains("10 of 40 values missing (25.0%); expected at most 10.0%");
        });
        assertThat(e.validate(Dataset.builder("one").numeric("x", java.util.Arrays.asList((Double) null)).build()).isValid()).isTrue();
    }

    @Test
    void expectationsRoundTripThroughJsonAndEditInCode() {
        Expectations e = Expectations.infer(TRAIN.profile()).with(ColumnExpectation.numeric("x").range(0, 100)).without("y")
                .refuseUnknownColumns(true);
        Expectations again = Expectations.fromJson(e.toJson(), "e.json");
        assertThat(again).isEqualTo(e);
        assertThat(again.validate(TRAIN).violations()).extracting(Violation::rule).containsExactly(Violation.Rule.UNEXPECTED_COLUMN);
    }

    @Test
    void badExpectationsJsonIsRefusedNamingTheFileColumnAndField() {
        assertThatThrownBy(() -> Expectations.fromJson("{not json".getBytes(StandardCharsets.UTF_8), "exp.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("exp.json is not JSON");
        assertThatThrownBy(() -> Expectations.fromJson("{\"format\":\"other\"}".getBytes(StandardCharsets.UTF_8), "exp.json"))
                .hasMessageContaining("\"format\" is 'other'; expected 'mlops4j-expectations'");
        String head = "{\"format\":\"mlops4j-expectations\",\"formatVersion\":1,\"columns\":[";
        assertThatThrownBy(() -> Expectations.fromJson((head + "{\"name\":\"RM\",\"type\":\"numeric\",\"min\":\"low\"}]}")
                .getBytes(StandardCharsets.UTF_8), "exp.json"))
                .hasMessage("exp.json: columns[0] ('RM'): \"min\" must be a number but is \"low\"");
        assertThatThrownBy(() -> Expectations.fromJson((head + "{\"name\":\"RM\",\"type\":\"text\"}]}")
                .getBytes(StandardCharsets.UTF_8), "exp.json"))
                .hasMessageContaining("columns[0] ('RM'): \"type\" must be \"numeric\" or \"categorical\"");
        assertThatThrownBy(() -> Expectations.fromJson((head + "{\"name\":\"RM\",\"type\":\"numeric\",\"min\":5,\"max\":1}]}")
                .getBytes(StandardCharsets.UTF_8), "exp.json"))
                .hasMessageContaining("columns[0] ('RM'): column 'RM': min 5.0 is above max 1.0");
        assertThatThrownBy(() -> Expectations.fromJson((head + "{\"name\":\"RM\",\"type\":\"numeric\",\"maxMising\":0}]}")
                .getBytes(StandardCharsets.UTF_8), "exp.json"))
                .hasMessageContaining("unknown field \"maxMising\"");
        assertThatThrownBy(() -> Expectations.fromJson((head + "{\"name\":\"RM\",\"type\":\"numeric\"},{\"name\":\"RM\",\"type\":\"numeric\"}]}")
                .getBytes(StandardCharsets.UTF_8), "exp.json"))
                .hasMessageContaining("column 'RM' has two expectations");
    }

    @Test
    void thePipelineValidatesBeforeTrainingAndTheBundleCarriesTheContractForThePredictor() {
        Dataset data = TestData.boston().load();
        Expectations contract = Expectations.infer(data.profile());
        Pipeline p = Pipeline.from(TestData.boston()).label("MEDV").transform(Impute.median())
                .train(DecisionTree.regression().maxDepth(4)).validate(contract);
        PipelineSpec back = PipelineSpec.read(p.spec().toJson());
        assertThat(back.steps()).singleElement().isEqualTo(p.spec().steps().get(0));

        PipelineResult result = p.run();
        ModelBundle bundle = result.bundle();
        assertThat(bundle.expectations()).hasValue(contract);
        ModelBundle reloaded = ModelBundle.fromFiles(bundle.files(), "copy");
        assertThat(reloaded.expectations()).hasValue(contract);

        Map<String, Object> row = new HashMap<>();
        for (String c : bundle.manifest().inputSchema().names()) {
            row.put(c, data.numeric(c).get(0));
        }
        Predictor strict = reloaded.predictor().onViolation(Predictor.OnViolation.REJECT);
        double ok = strict.predict(row).value();
        assertThat(ok).isFinite();
        row.put("RM", data.numeric("RM").get(0) * 1e9);
        assertThatThrownBy(() -> strict.predict(row)).isInstanceOf(DataValidationException.class)
                .hasMessageContaining("column 'RM'").hasMessageContaining("outside the expected range");
        List<ValidationReport> flagged = new ArrayList<>();
        Prediction scored = reloaded.predictor().onFlagged(flagged::add).predict(row);
        assertThat(scored.value()).isFinite();
        assertThat(flagged).singleElement().satisfies(r -> assertThat(r.violations().get(0).column()).isEqualTo("RM"));

        Dataset shifted = data.withColumns(List.of(org.mlops4j.core.data.NumericColumn.of("RM", data.numeric("RM").toArray().clone())));
        assertThat(shifted.rowCount()).isEqualTo(506);
    }

    @Test
    void aPlainBundleFlagsFarOutOfRangeValuesFromItsTrainingProfile() {
        PipelineResult result = Pipeline.from(TestData.boston()).label("MEDV").train(DecisionTree.regression().maxDepth(3)).run();
        Map<String, Object> row = new HashMap<>();
        Dataset data = TestData.boston().load();
        for (String c : result.bundle().manifest().inputSchema().names()) {
            row.put(c, data.numeric(c).get(0));
        }
        row.put("LSTAT", 4.98e9);
        List<ValidationReport> flagged = new ArrayList<>();
        result.bundle().predictor().onFlagged(flagged::add).predict(row);
        assertThat(flagged).hasSize(1);
        assertThatThrownBy(() -> result.bundle().predictor().onViolation(Predictor.OnViolation.REJECT).predict(row))
                .isInstanceOf(DataValidationException.class).hasMessageContaining("LSTAT");
    }

    @Test
    void thePrimitiveEntryPointsCheckTheContractToo() {
        PipelineResult result = Pipeline.from(TestData.boston()).label("MEDV").train(DecisionTree.regression().maxDepth(3)).run();
        Dataset data = TestData.boston().load();
        List<String> inputs = result.bundle().manifest().inputSchema().names();
        double[] row = new double[inputs.size()];
        Map<String, Object> asMap = new HashMap<>();
        for (int c = 0; c < row.length; c++) {
            row[c] = data.numeric(inputs.get(c)).get(0);
            asMap.put(inputs.get(c), row[c]);
        }
        List<ValidationReport> flagged = new ArrayList<>();
        Predictor predictor = result.bundle().predictor().onFlagged(flagged::add);
        assertThat(predictor.predict(row)).isEqualTo(predictor.predict(asMap));
        assertThat(flagged).as("an in-range row is not flagged").isEmpty();

        row[inputs.indexOf("LSTAT")] = 4.98e9;
        predictor.predict(row);
        predictor.predictValues(row);
        predictor.predictBatch(row);
        assertThat(flagged).as("each primitive entry point flags the far-out value").hasSize(3);
        Predictor strict = result.bundle().predictor().onViolation(Predictor.OnViolation.REJECT);
        assertThatThrownBy(() -> strict.predict(row)).isInstanceOf(DataValidationException.class).hasMessageContaining("LSTAT");
        assertThatThrownBy(() -> strict.predictValues(row)).isInstanceOf(DataValidationException.class);
        assertThatThrownBy(() -> strict.predictBatch(row)).isInstanceOf(DataValidationException.class);
    }

    @Test
    void aBatchThatBreaksTheContractFailsTheRunBeforeTrainingWithEveryViolation() throws Exception {
        Dataset data = TestData.boston().load();
        Expectations tight = Expectations.infer(data.profile()).with(ColumnExpectation.numeric("RM").range(5, 7))
                .with(ColumnExpectation.numeric("CRIM").range(0, 1));
        try (Tracker tracker = Tracker.inMemory()) {
            assertThatThrownBy(() -> Pipeline.from(TestData.boston()).label("MEDV").train(DecisionTree.regression())
                    .validate(tight).track(tracker, "v").run())
                    .isInstanceOf(DataValidationException.class)
                    .hasMessageContaining("column 'RM'").hasMessageContaining("column 'CRIM'")
                    .satisfies(t -> assertThat(((DataValidationException) t).report().total()).isGreaterThan(100));
            assertThat(tracker.runs("v").get(0).info().status()).isEqualTo(org.mlops4j.core.tracking.RunStatus.FAILED);
        }
    }

    @Test
    void aBundleWithBadExpectationsIsRefusedOnLoad() {
        PipelineResult result = Pipeline.from(TestData.boston()).label("MEDV").train(DecisionTree.regression().maxDepth(2))
                .validate(Expectations.infer(TestData.boston().load().profile())).run();
        ModelBundle.Builder b = ModelBundle.builder(result.bundle().model()).label("MEDV")
                .inputSchema(result.bundle().manifest().inputSchema()).trainingProfile(result.bundle().trainingProfile())
                .attach("expectations.json", "{\"format\":\"mlops4j-expectations\",\"formatVersion\":1,\"columns\":[{\"type\":\"numeric\"}]}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(b::build).isInstanceOf(org.mlops4j.core.model.BundleIntegrityException.class)
                .hasMessageContaining("bundle file expectations.json: columns[0]: \"name\" must be a column name");
    }

    @Test
    void aKeyTwiceOrTextAfterTheObjectIsRefusedNotSilentlyTakenAsTheLastValue() {
        String head = "{\"format\":\"mlops4j-expectations\",\"formatVersion\":1,\"columns\":[";
        assertThatThrownBy(() -> Expectations.fromJson((head + "{\"name\":\"RM\",\"name\":\"LSTAT\",\"type\":\"numeric\"}]}")
                .getBytes(StandardCharsets.UTF_8), "exp.json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("exp.json is not JSON").hasMessageContaining("Duplicate field 'name'");
        assertThatThrownBy(() -> Expectations.fromJson((head + "{\"name\":\"RM\",\"type\":\"numeric\"}]} {\"format\":1}")
                .getBytes(StandardCharsets.UTF_8), "exp.json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("exp.json is not JSON").hasMessageContaining("Trailing token");
    }

    @Test
    void anExpectationsFileNamingAnUnknownColumnOrTheWrongTypeFailsTheRunBeforeTrainingNamingBoth(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("expectations.json");
        java.nio.file.Files.writeString(file, "{\"format\":\"mlops4j-expectations\",\"formatVersion\":1,\"columns\":["
                + "{\"name\":\"ROOMS\",\"type\":\"numeric\",\"min\":1,\"max\":12},"
                + "{\"name\":\"RM\",\"type\":\"categorical\"}]}");
        Expectations contract = Expectations.read(file);
        assertThatThrownBy(() -> Pipeline.from(TestData.boston()).label("MEDV").train(DecisionTree.regression().maxDepth(2))
                .validate(contract).run()).isInstanceOf(DataValidationException.class)
                .hasMessageContaining("2 violations")
                .hasMessageContaining("no column 'ROOMS'; expected a numeric column (columns are [CRIM")
                .hasMessageContaining("column 'RM': is numeric but expected categorical");
        assertThatThrownBy(() -> Expectations.read(tmp.resolve("missing.json"))).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("cannot read").hasMessageContaining("missing.json");
    }
}
