package org.mlops4j.core.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.Schema;
import org.mlops4j.core.data.validate.DataValidationException;
import org.mlops4j.core.data.validate.ValidationReport;
import org.mlops4j.core.model.compiled.TreeEnsemble;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Log1p;
import org.mlops4j.core.transform.Standardize;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The primitive entry points predict exactly what the map entry points predict, through the chain or straight to the model. */
class PredictorPrimitiveTest {
    private static Dataset raw;
    private static PipelineResult chained;
    private static PipelineResult bare;

    @BeforeAll
    static void train() {
        raw = TestData.boston().load().drop("MEDV");
        Pipeline p = Pipeline.from(TestData.boston()).label("MEDV").train(RandomForest.regression().trees(20));
        chained = p.drop("B").transform(Impute.median(), Log1p.columns("CRIM", "LSTAT"), Standardize.all()).run();
        bare = p.run();
    }

    private static double[] row(Predictor predictor, int r) {
        List<String> names = predictor.inputSchema().names();
        double[] v = new double[names.size()];
        for (int c = 0; c < v.length; c++) {
            v[c] = raw.numeric(names.get(c)).get(r);
        }
        return v;
    }

    private static Map<String, Object> map(Predictor predictor, int r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String name : predictor.inputSchema().names()) {
            m.put(name, raw.numeric(name).get(r));
        }
        return m;
    }

    private static void assertSameAsMaps(Predictor predictor) {
        int n = raw.rowCount();
        int w = predictor.inputSchema().size();
        double[] batch = new double[n * w];
        List<Map<String, ?>> maps = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            System.arraycopy(row(predictor, r), 0, batch, r * w, w);
            maps.add(map(predictor, r));
        }
        List<Prediction> expected = predictor.predict(maps);
        for (int r = 0; r < n; r++) {
            assertThat(predictor.predict(row(predictor, r))).as("row %d", r).isEqualTo(expected.get(r));
        }
        assertThat(predictor.predictBatch(batch)).isEqualTo(expected);
        double[] values = predictor.predictValues(batch);
        for (int r = 0; r < n; r++) {
            assertThat(values[r]).isEqualTo(expected.get(r).value());
        }
    }

    @Test
    void thePipelineRegistersACompiledForest() {
        assertThat(chained.bundle().manifest().flavor()).isEqualTo("compiled");
        assertThat(chained.predictor().model()).isInstanceOf(TreeEnsemble.class);
        assertThat(((TreeEnsemble) chained.predictor().model()).treeCount()).isEqualTo(20);
    }

    @Test
    void rowsThroughTheChainPredictAsTheirMaps() {
        assertSameAsMaps(chained.predictor());
    }

    @Test
    void rowsStraightToTheModelPredictAsTheirMaps() {
        assertThat(bare.transforms()).isEmpty();
        assertSameAsMaps(bare.predictor());
    }

    @Test
    void aLoadedBundlePredictsTheSameThroughEveryEntryPoint(@TempDir Path dir) {
        Path saved = dir.resolve("b");
        chained.bundle().save(saved);
        Predictor loaded = ModelBundle.load(saved).predictor();
        assertThat(loaded.model()).isInstanceOf(TreeEnsemble.class);
        assertSameAsMaps(loaded);
        assertThat(loaded.predict(row(loaded, 5))).isEqualTo(chained.predictor().predict(row(loaded, 5)));
    }

    @Test
    void aMissingValueIsImputedOrNamedAsWithMaps() {
        Predictor imputing = chained.predictor();
        double[] r = row(imputing, 0);
        int rm = imputing.inputSchema().names().indexOf("RM");
        r[rm] = Double.NaN;
        Map<String, Object> m = new HashMap<>(map(imputing, 0));
        m.put("RM", null);
        assertThat(imputing.predict(r)).isEqualTo(imputing.predict(m));

        Predictor strict = bare.predictor();
        double[] s = row(strict, 0);
        s[rm] = Double.NaN;
        assertThatThrownBy(() -> strict.predict(s)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("no value for column 'RM'");
        assertThatThrownBy(() -> strict.predictValues(s)).isInstanceOf(InvalidDataException.class);
    }

    /** Without any expectations an infinity used to reach the compiled model on the primitive path; now it is refused as on the maps. */
    @Test
    void anInfiniteValueIsRefusedOnEveryPrimitiveEntryPointEvenWithoutExpectations() {
        Predictor strict = bare.predictor();
        Predictor unchecked = Predictor.of(strict.model(), List.of(), strict.inputSchema());
        int rm = unchecked.inputSchema().names().indexOf("RM");
        for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            double[] r = row(unchecked, 0);
            r[rm] = bad;
            for (Predictor p : List.of(strict, unchecked)) {
                assertThatThrownBy(() -> p.predict(r)).isInstanceOf(InvalidDataException.class)
                        .hasMessageContaining("column 'RM', row 1: " + bad + " is not a finite number");
                assertThatThrownBy(() -> p.predictValues(r)).isInstanceOf(InvalidDataException.class)
                        .hasMessageContaining("is not a finite number");
                assertThatThrownBy(() -> p.predictBatch(r)).isInstanceOf(InvalidDataException.class)
                        .hasMessageContaining("is not a finite number");
            }
        }
        assertThat(unchecked.predict(row(unchecked, 0))).isEqualTo(strict.predict(row(unchecked, 0)));
    }

    @Test
    void aRowOfTheWrongLengthOrCategoricalInputsAreRefused() {
        Predictor p = bare.predictor();
        assertThatThrownBy(() -> p.predict(new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a row has 13 input values [CRIM, ZN").hasMessageContaining("but 3 were given");
        assertThatThrownBy(() -> p.predictBatch(new double[25])).hasMessageContaining("25 values are not whole rows of 13");
        PipelineResult iris = Pipeline.from(TestData.iris()).label("species").train(RandomForest.classification().trees(5)).run();
        assertThatThrownBy(() -> iris.predictor().predictValues(new double[4])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("predictValues is for regression");
        Prediction viaMap = iris.predictor().predict(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4,
                "petal_width", 0.2));
        assertThat(iris.predictor().predict(new double[] {5.1, 3.5, 1.4, 0.2})).isEqualTo(viaMap);
    }

    /** The map fast path (no chain, complete numbers in the contract) refuses exactly what the checked path refuses. */
    @Test
    void mapsStraightToTheModelKeepEveryCheckAndItsMessage() {
        Predictor p = bare.predictor();
        Map<String, Object> ok = map(p, 0);
        assertThat(p.predict(ok)).isEqualTo(p.predict(row(p, 0)));
        Map<String, Object> asText = new LinkedHashMap<>(ok);
        asText.put("RM", String.valueOf(ok.get("RM")));
        assertThat(p.predict(asText)).isEqualTo(p.predict(ok));
        Map<String, Object> withLabel = new LinkedHashMap<>(ok);
        withLabel.put("MEDV", 24.0);
        assertThat(p.predict(withLabel)).isEqualTo(p.predict(ok));

        Map<String, Object> misspelt = new LinkedHashMap<>(ok);
        misspelt.put("RMM", 6.0);
        assertThatThrownBy(() -> p.predict(List.of(ok, misspelt))).isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("input row 2: 'RMM' is not an input column of the model; did you mean 'RM'?");
        assertThat(p.lenient().predict(misspelt)).isEqualTo(p.predict(ok));
        Map<String, Object> missing = new LinkedHashMap<>(ok);
        missing.remove("LSTAT");
        assertThatThrownBy(() -> p.predict(missing)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("no value for column 'LSTAT'");
        Map<String, Object> nulled = new LinkedHashMap<>(ok);
        nulled.put("LSTAT", null);
        assertThatThrownBy(() -> p.predict(nulled)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("no value for column 'LSTAT'");
        Map<String, Object> wrongType = new LinkedHashMap<>(ok);
        wrongType.put("RM", List.of(6.0));
        assertThatThrownBy(() -> p.predict(wrongType)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("column 'RM': value [6.0] of type").hasMessageContaining("is not a number");
        Map<String, Object> notFinite = new LinkedHashMap<>(ok);
        notFinite.put("RM", Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> p.predict(notFinite)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("column 'RM': Infinity is not a finite number");
        Map<String, Object> badText = new LinkedHashMap<>(ok);
        badText.put("RM", "six");
        assertThatThrownBy(() -> p.predict(badText)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("column 'RM': 'six' is not a number");

        // a value far outside the training range: rejected or flagged, on the maps as on the arrays
        Map<String, Object> far = new LinkedHashMap<>(ok);
        far.put("RM", 1e6);
        double[] farRow = row(p, 0);
        farRow[p.inputSchema().indexOf("RM")] = 1e6;
        Predictor strict = ModelBundle.load(saved(bare)).predictor().onViolation(Predictor.OnViolation.REJECT);
        assertThat(strict.predict(ok)).isEqualTo(p.predict(ok));
        assertThatThrownBy(() -> strict.predict(far)).isInstanceOf(DataValidationException.class).hasMessageContaining("RM");
        assertThatThrownBy(() -> strict.predict(farRow)).isInstanceOf(DataValidationException.class).hasMessageContaining("RM");
        List<ValidationReport> flagged = new ArrayList<>();
        Predictor flagging = ModelBundle.load(saved(bare)).predictor().onFlagged(flagged::add);
        flagging.predict(ok);
        assertThat(flagged).isEmpty();
        flagging.predict(far);
        assertThat(flagged).hasSize(1);
        assertThat(flagged.get(0).toString()).contains("RM");
    }

    private static Path savedDir;

    private static Path saved(PipelineResult r) {
        try {
            if (savedDir == null) {
                savedDir = java.nio.file.Files.createTempDirectory("primitive").resolve("b");
                r.bundle().save(savedDir);
            }
            return savedDir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void classesAsIndexesAreThePredictionsOfTheMaps() {
        PipelineResult iris = Pipeline.from(TestData.iris()).label("species").train(RandomForest.classification().trees(5)).run();
        Predictor p = iris.predictor();
        Dataset x = TestData.iris().load().drop("species");
        int n = x.rowCount();
        int w = p.inputSchema().size();
        double[] rows = new double[n * w];
        List<Map<String, ?>> maps = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 0; c < w; c++) {
                String name = p.inputSchema().names().get(c);
                rows[r * w + c] = x.numeric(name).get(r);
                m.put(name, x.numeric(name).get(r));
            }
            maps.add(m);
        }
        List<Prediction> expected = p.predict(maps);
        int k = p.classes().size();
        double[] scores = new double[n * k];
        int[] classes = p.predictClasses(rows, scores);
        for (int r = 0; r < n; r++) {
            assertThat(p.classes().get(classes[r])).isEqualTo(expected.get(r).label());
            for (int c = 0; c < k; c++) {
                assertThat(scores[r * k + c]).isEqualTo(expected.get(r).scores().get(p.classes().get(c)));
            }
        }
        assertThat(p.predictBatch(rows)).isEqualTo(expected);
        assertThatThrownBy(() -> p.predictClasses(rows, new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scores holds 3 values");
        assertThatThrownBy(() -> bare.predictor().predictClasses(new double[13], null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("predictClasses is for classification");
    }

    /** A model without an array kernel of its own takes the SPI's default: the rows as a data set. */
    @Test
    void aModelWithoutArraysGetsTheDefaultPrimitivePath() {
        Model sum = new Model() {
            private final ModelSignature signature = new ModelSignature(org.mlops4j.core.Task.REGRESSION, List.of("a", "b"), List.of());

            @Override
            public ModelSignature signature() {
                return signature;
            }

            @Override
            public String flavor() {
                return "test-sum";
            }

            @Override
            public List<Prediction> predict(Dataset features) {
                List<Prediction> out = new ArrayList<>();
                for (int r = 0; r < features.rowCount(); r++) {
                    out.add(Prediction.ofValue(features.numeric("a").get(r) + 10 * features.numeric("b").get(r)));
                }
                return out;
            }
        };
        Predictor p = Predictor.of(sum, List.of(), Schema.of(Schema.Field.numeric("a"), Schema.Field.numeric("b")));
        assertThat(sum.predictRows(new double[] {1, 2, 3, 4}, 2)).containsExactly(Prediction.ofValue(21), Prediction.ofValue(43));
        assertThat(p.predictBatch(new double[] {1, 2, 3, 4})).containsExactly(Prediction.ofValue(21), Prediction.ofValue(43));
        assertThat(p.predictValues(new double[] {1, 2, 3, 4})).containsExactly(21, 43);
        assertThat(p.predict(Map.of("a", 1, "b", 2))).isEqualTo(Prediction.ofValue(21));
        assertThatThrownBy(() -> p.predict(Map.of("a", 1))).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("no value for column 'b'");
        assertThatThrownBy(() -> sum.predictRows(new double[3], 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 values do not hold 2 rows of 2 values");
        assertThat(Arrays.asList(p.inputSchema().indexOf("b"), p.inputSchema().indexOf("c"))).containsExactly(1, -1);
    }
}
