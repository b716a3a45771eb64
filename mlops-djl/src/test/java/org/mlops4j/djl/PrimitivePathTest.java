package org.mlops4j.djl;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.data.validate.DataValidationException;
import org.mlops4j.core.model.ArrayModel;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every deep flavor answers the primitive entry points exactly as its maps and its model layer, with the same checks. */
class PrimitivePathTest {

    @Test
    void arraysMapsAndDatasetsPredictTheSameForEveryFlavor() {
        Dataset digits = Digits.load();
        Dataset x = digits.drop("digit");
        MlpModel mlp = (MlpModel) Mlp.classification().hiddenLayers(1).width(32).epochs(3).validationFraction(0).seed(3)
                .fit(new TrainingSet(x, Target.of(digits, "digit", Task.CLASSIFICATION)), TrainContext.defaults());
        ModelRegistry registry = ModelRegistry.inMemory();
        List<Model> models = List.of(mlp, Onnx.export(mlp), QuantizedDenseModel.of(mlp.network(), Quantize.Scheme.INT8, null));
        for (int i = 0; i < models.size(); i++) {
            registry.register("m" + i, Onnx.bundle(models.get(i), digits, "digit"));
        }
        int n = 40;
        Dataset some = x.rows(java.util.stream.IntStream.range(0, n).map(r -> r * 41).toArray());
        double[] rows = new double[n * 64];
        List<Map<String, ?>> maps = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 0; c < 64; c++) {
                double v = some.numeric("p" + c).get(r);
                rows[r * 64 + c] = v;
                m.put("p" + c, v);
            }
            maps.add(m);
        }
        for (int i = 0; i < models.size(); i++) {
            Predictor p = registry.predictor("m" + i);
            List<Prediction> expected = models.get(i).predict(some);
            assertThat(p.predict(maps)).as("maps of %s", models.get(i)).isEqualTo(expected);
            assertThat(p.predictBatch(rows)).as("rows of %s", models.get(i)).isEqualTo(expected);
            assertThat(models.get(i).predictRows(rows, n)).isEqualTo(expected);
            // one row alone (PyTorch's kernel for one row may round differently from its kernel for 40)
            assertThat(p.predict(java.util.Arrays.copyOf(rows, 64))).isEqualTo(models.get(i).predict(some.rows(new int[] {0})).get(0))
                    .isEqualTo(p.predict(maps.get(0)));
            int[] classes = p.predictClasses(rows, null);
            for (int r = 0; r < n; r++) {
                assertThat(p.classes().get(classes[r])).isEqualTo(expected.get(r).label());
            }
            assertThatThrownBy(() -> p.predictBatch(new double[63])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("63 values are not whole rows of 64 input values");
            Map<String, Object> missing = new LinkedHashMap<>(maps.get(0));
            missing.remove("p5");
            assertThatThrownBy(() -> p.predict(missing)).isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("no value for column 'p5'");
            Map<String, Object> misspelt = new LinkedHashMap<>(maps.get(0));
            misspelt.put("p64", 1.0);
            assertThatThrownBy(() -> p.predict(misspelt)).isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("'p64' is not an input column of the model");
        }
    }

    /**
     * The array entry points (class index and scores into the caller's arrays) give exactly the numbers of the
     * {@link Prediction}s, for every deep flavor: the djl MLP, its ONNX export (probabilities), an ONNX forest, and
     * each quantized scheme; through the model and through a registry's predictor, for batches under, at and over
     * the dense engine's 64-row chunk.
     */
    @Test
    void classIndexesAndScoresEqualThePredictionsExactlyForEveryFlavor() {
        Dataset digits = Digits.load();
        Dataset x = digits.drop("digit");
        TrainingSet training = new TrainingSet(x, Target.of(digits, "digit", Task.CLASSIFICATION));
        MlpModel mlp = (MlpModel) Mlp.classification().hiddenLayers(1).width(32).epochs(3).validationFraction(0).seed(5)
                .fit(training, TrainContext.defaults());
        List<ArrayModel> models = new ArrayList<>(List.of(mlp, Onnx.export(mlp),
                Onnx.export(org.mlops4j.core.train.RandomForest.classification().trees(5).seed(5).fit(training, TrainContext.defaults()))));
        for (Quantize.Scheme scheme : Quantize.Scheme.values()) {
            models.add(QuantizedDenseModel.of(mlp.network(), scheme, null));
        }
        ModelRegistry registry = ModelRegistry.inMemory();
        for (int n : new int[] {1, 64, 150}) {
            Dataset some = x.rows(IntStream.range(0, n).map(r -> (r * 53) % x.rowCount()).toArray());
            double[] rows = rowMajor(some);
            for (int i = 0; i < models.size(); i++) {
                ArrayModel m = models.get(i);
                List<String> classes = m.signature().classes();
                int k = classes.size();
                List<Prediction> expected = m.predict(some);
                int[] idx = new int[n];
                double[] scores = new double[n * k];
                m.predictClasses(rows, n, idx, scores);
                int[] onlyIdx = new int[n];
                m.predictClasses(rows, n, onlyIdx, null);
                assertThat(onlyIdx).as("%s without scores", m).isEqualTo(idx);
                for (int r = 0; r < n; r++) {
                    Prediction e = expected.get(r);
                    assertThat(classes.get(idx[r])).as("%s row %d", m, r).isEqualTo(e.label());
                    assertThat(scores[r * k + idx[r]]).isEqualTo(e.value());
                    for (int c = 0; c < k; c++) {
                        assertThat(scores[r * k + c]).as("%s row %d class %s", m, r, classes.get(c)).isEqualTo(e.scores().get(classes.get(c)));
                    }
                }
                if (n == 1) {
                    double[] one = new double[k];
                    assertThat(m.predictClass(rows, one)).isEqualTo(idx[0]);
                    assertThat(one).isEqualTo(scores);
                    assertThat(m.predictClass(rows, null)).isEqualTo(idx[0]);
                    assertThat(m.predictRow(rows)).isEqualTo(expected.get(0));
                }
                String name = "m" + i;
                if (registry.models().stream().noneMatch(name::equals)) {
                    registry.register(name, Onnx.bundle(m, digits, "digit"));
                }
                Predictor p = registry.predictor(name);
                double[] viaPredictor = new double[n * k];
                assertThat(p.predictClasses(rows, viaPredictor)).as("predictor of %s", m).isEqualTo(idx);
                assertThat(viaPredictor).isEqualTo(scores);
                assertThat(p.predictBatch(rows)).isEqualTo(expected);
                assertThatThrownBy(() -> m.predictValues(rows, n, new double[n])).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("classification model; use predictClass");
                assertThatThrownBy(() -> m.predictClasses(rows, n, new int[n], new double[n * k - 1]))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("places for " + (n * k));
                assertThatThrownBy(() -> m.predictClasses(Arrays.copyOf(rows, n * 64 - 1), n, new int[n], null))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not hold " + n + " rows of 64 features");
            }
        }
    }

    /** The same for regression: the values of {@code predictValues}/{@code predictValue} are the predictions' values. */
    @Test
    void valuesEqualThePredictionsExactlyForEveryFlavor() {
        java.util.Random rnd = new java.util.Random(11);
        int n = 200;
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x1[i] = rnd.nextGaussian() * 3 + 10;
            x2[i] = rnd.nextDouble() * 100;
            y[i] = 2 * x1[i] - 0.05 * x2[i] + rnd.nextGaussian();
        }
        Dataset d = Dataset.builder("synthetic").numeric("x1", x1).numeric("x2", x2).build();
        MlpModel mlp = (MlpModel) Mlp.regression().width(16).epochs(5).validationFraction(0).seed(2)
                .fit(new TrainingSet(d, Target.numeric("y", y)), TrainContext.defaults());
        List<ArrayModel> models = new ArrayList<>(List.of(mlp, Onnx.export(mlp)));
        for (Quantize.Scheme scheme : Quantize.Scheme.values()) {
            models.add(QuantizedDenseModel.of(mlp.network(), scheme, null));
        }
        double[] rows = rowMajor(d);
        for (ArrayModel m : models) {
            List<Prediction> expected = m.predict(d);
            double[] values = new double[n];
            m.predictValues(rows, n, values);
            for (int r = 0; r < n; r++) {
                assertThat(values[r]).as("%s row %d", m, r).isEqualTo(expected.get(r).value());
            }
            assertThat(m.predictValue(Arrays.copyOf(rows, 2))).isEqualTo(m.predict(d.rows(new int[] {0})).get(0).value());
            Predictor p = Predictor.of(m, List.of(), d.schema());
            assertThat(p.predictValues(rows)).isEqualTo(values);
            assertThatThrownBy(() -> m.predictClass(rows, null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("regression model; use predictValue");
        }
    }

    /**
     * Only rows that pass every check reach the engine: a NaN, an infinity (also without any expectations, where it
     * used to reach the model), a value outside the contract and a wrong width take the checked path and give its
     * message, the same from {@code predictClasses} as from {@code predictBatch}.
     */
    @Test
    void rowsThatFailACheckTakeTheCheckedPathWithItsMessage() {
        Dataset digits = Digits.load();
        Dataset x = digits.drop("digit");
        MlpModel mlp = (MlpModel) Mlp.classification().hiddenLayers(1).width(16).epochs(2).validationFraction(0).seed(4)
                .fit(new TrainingSet(x, Target.of(digits, "digit", Task.CLASSIFICATION)), TrainContext.defaults());
        ModelRegistry registry = ModelRegistry.inMemory();
        List<Model> models = List.of(mlp, Onnx.export(mlp), QuantizedDenseModel.of(mlp.network(), Quantize.Scheme.INT8, null));
        double[] good = rowMajor(x.rows(new int[] {3, 4}));
        for (int i = 0; i < models.size(); i++) {
            registry.register("m" + i, Onnx.bundle(models.get(i), digits, "digit"));
            Predictor strict = registry.predictor("m" + i).onViolation(Predictor.OnViolation.REJECT);
            Predictor unchecked = Predictor.of(models.get(i), List.of(), x.schema());
            for (Predictor p : List.of(strict, unchecked)) {
                double[] nan = good.clone();
                nan[64 + 7] = Double.NaN;
                assertSameFailure(p, nan, org.mlops4j.core.data.InvalidDataException.class, "no value for column 'p7'");
                double[] inf = good.clone();
                inf[10] = Double.POSITIVE_INFINITY;
                assertSameFailure(p, inf, org.mlops4j.core.data.InvalidDataException.class, "Infinity is not a finite number");
                assertThatThrownBy(() -> p.predictClasses(new double[65], null)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("65 values are not whole rows of 64 input values");
            }
            double[] outside = good.clone();
            outside[64 + 20] = 1e6;   // pixels are 0..16
            assertSameFailure(strict, outside, DataValidationException.class, "p20");
            // unchecked, the same row is scored
            assertThat(unchecked.predictClasses(outside, null)).hasSize(2);
        }
    }

    private static void assertSameFailure(Predictor p, double[] rows, Class<? extends Throwable> type, String text) {
        Throwable viaArrays = org.assertj.core.api.Assertions.catchThrowable(() -> p.predictClasses(rows, new double[20]));
        Throwable viaPredictions = org.assertj.core.api.Assertions.catchThrowable(() -> p.predictBatch(rows));
        assertThat(viaArrays).isInstanceOf(type).hasMessageContaining(text);
        assertThat(viaArrays.getMessage()).isEqualTo(viaPredictions.getMessage());
    }

    /**
     * One predictor shared by threads: each thread's scores come from its own rows, although the quantized model
     * reuses per-thread buffers and the calls interleave. Scores are compared within 1e-6 (a thread that read
     * another's buffer would be off by far more): the dense engine's float reductions may sum lanes in another
     * order once C2 compiles a kernel mid-test (see README "Quantized models").
     */
    @Test
    void aSharedPredictorGivesEachThreadItsOwnRowsResults() throws Exception {
        Dataset digits = Digits.load();
        Dataset x = digits.drop("digit");
        MlpModel mlp = (MlpModel) Mlp.classification().hiddenLayers(1).width(32).epochs(3).validationFraction(0).seed(8)
                .fit(new TrainingSet(x, Target.of(digits, "digit", Task.CLASSIFICATION)), TrainContext.defaults());
        ModelRegistry registry = ModelRegistry.inMemory();
        List<Model> models = List.of(QuantizedDenseModel.of(mlp.network(), Quantize.Scheme.INT8_DYNAMIC, null),
                QuantizedDenseModel.of(mlp.network(), Quantize.Scheme.FP16, null), Onnx.export(mlp), mlp);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int i = 0; i < models.size(); i++) {
                registry.register("m" + i, Onnx.bundle(models.get(i), digits, "digit"));
                Predictor p = registry.predictor("m" + i);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int n = new int[] {1, 7, 64, 100}[t];
                    double[] rows = rowMajor(x.rows(IntStream.range(0, n).map(r -> (r * 31 + 400 * tIndex(n)) % x.rowCount()).toArray()));
                    int[] expectedIdx = p.predictClasses(rows, null);
                    double[] expected = new double[n * 10];
                    p.predictClasses(rows, expected);
                    done.add(pool.submit(() -> {
                        double[] scores = new double[n * 10];
                        for (int iter = 0; iter < 100; iter++) {
                            assertThat(p.predictClasses(rows, scores)).isEqualTo(expectedIdx);
                            for (int j = 0; j < scores.length; j++) {
                                assertThat(scores[j]).isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-6));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int tIndex(int n) {
        return n % 4;
    }

    private static double[] rowMajor(Dataset d) {
        int w = d.columnCount();
        int n = d.rowCount();
        double[] rows = new double[n * w];
        for (int c = 0; c < w; c++) {
            org.mlops4j.core.data.NumericColumn col = (org.mlops4j.core.data.NumericColumn) d.columns().get(c);
            for (int r = 0; r < n; r++) {
                rows[r * w + c] = col.get(r);
            }
        }
        return rows;
    }
}
