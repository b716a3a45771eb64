package org.mlops4j.core.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.validate.DataValidationException;
import org.mlops4j.core.data.validate.Expectations;
import org.mlops4j.core.data.validate.ValidationReport;
import org.mlops4j.core.model.compiled.LinearModel;
import org.mlops4j.core.model.compiled.TreeEnsemble;
import org.mlops4j.core.train.Linear;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Drop;
import org.mlops4j.core.transform.FittedTransform;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Log1p;
import org.mlops4j.core.transform.MinMax;
import org.mlops4j.core.transform.OneHot;
import org.mlops4j.core.transform.Select;
import org.mlops4j.core.transform.Standardize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A chain compiled over primitive rows ({@link RowPlan}) gives exactly what the checked path gives: the same
 * predictions bit for bit on every entry point, the same errors with the same messages, the same refusals and
 * flags. The reference is the same model and chain with every step hidden behind a wrapper the plan does not know,
 * which forces the checked path.
 */
class PredictorRowPlanTest {
    private static Dataset raw;
    private static PipelineResult forest;
    private static PipelineResult linear;
    private static PipelineResult selected;
    private static PipelineResult iris;

    /** Hides a step from the plan: the predictor then has no plan and takes the checked path. */
    private record Opaque(FittedTransform step) implements FittedTransform {
        @Override
        public Dataset apply(Dataset data) {
            return step.apply(data);
        }
    }

    @BeforeAll
    static void train() {
        raw = TestData.boston().load().drop("MEDV");
        Pipeline p = Pipeline.from(TestData.boston()).label("MEDV");
        forest = p.train(RandomForest.regression().trees(15)).drop("B")
                .transform(Impute.median(), Log1p.columns("CRIM", "LSTAT"), Standardize.all()).run();
        linear = p.train(Linear.regression()).drop("B")
                .transform(Impute.mean(), Log1p.columns("CRIM"), MinMax.columns("TAX", "RAD"), Standardize.columns("NOX")).run();
        selected = p.train(RandomForest.regression().trees(10))
                .transform(Select.columns("LSTAT", "RM", "CRIM", "NOX", "TAX"), Impute.median(), MinMax.all(), Drop.columns("TAX")).run();
        iris = Pipeline.from(TestData.iris()).label("species").train(RandomForest.classification().trees(7))
                .transform(Log1p.columns("petal_width"), Standardize.all()).run();
    }

    private static Predictor opaque(Predictor p) {
        List<FittedTransform> hidden = p.transforms().stream().<FittedTransform>map(Opaque::new).toList();
        return Predictor.of(p.model(), hidden, p.inputSchema());
    }

    private static Predictor planned(Predictor p) {
        return Predictor.of(p.model(), p.transforms(), p.inputSchema());
    }

    /** 400 seeded rows of the data: most as they are, some scaled, some with a missing value, some that log1p refuses. */
    private static double[][] rows(Predictor p, Dataset data, long seed) {
        Random rnd = new Random(seed);
        List<String> names = p.inputSchema().names();
        double[][] out = new double[400][names.size()];
        for (int i = 0; i < out.length; i++) {
            int r = rnd.nextInt(data.rowCount());
            for (int c = 0; c < names.size(); c++) {
                out[i][c] = data.numeric(names.get(c)).get(r);
            }
            double u = rnd.nextDouble();
            int c = rnd.nextInt(names.size());
            if (u < 0.1) {
                out[i][c] = Double.NaN;
            } else if (u < 0.15) {
                out[i][c] = -1 - rnd.nextDouble();           // log1p refuses it where the chain takes log1p of this column
            } else if (u < 0.35) {
                out[i][c] *= 0.5 + rnd.nextDouble();
            }
        }
        return out;
    }

    private static Map<String, Object> map(Predictor p, double[] row) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < row.length; c++) {
            m.put(p.inputSchema().names().get(c), Double.isNaN(row[c]) ? null : row[c]);
        }
        return m;
    }

    /** Either both give equal results, or both throw the same type with the same message. */
    private static <T> void same(java.util.concurrent.Callable<T> mine, java.util.concurrent.Callable<T> reference, String what) {
        Object a;
        Object b;
        try {
            a = mine.call();
        } catch (Exception e) {
            a = e;
        }
        try {
            b = reference.call();
        } catch (Exception e) {
            b = e;
        }
        if (b instanceof Exception eb) {
            assertThat(a).as(what + ": the checked path threw " + eb).isInstanceOf(eb.getClass());
            assertThat(((Exception) a).getMessage()).as(what).isEqualTo(eb.getMessage());
        } else {
            assertThat(a).as(what).isNotInstanceOf(Exception.class);
            if (a instanceof double[] da) {
                assertThat(da).as(what).containsExactly((double[]) b);
            } else if (a instanceof int[] ia) {
                assertThat(ia).as(what).containsExactly((int[]) b);
            } else {
                assertThat(a).as(what).isEqualTo(b);
            }
        }
    }

    private static void assertSameAsTheCheckedPath(Predictor mine, Dataset data, long seed) {
        Predictor reference = opaque(mine);
        double[][] rows = rows(mine, data, seed);
        int w = mine.inputSchema().size();
        List<double[]> accepted = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            double[] row = rows[i];
            same(() -> mine.predict(row), () -> reference.predict(row), "row " + i + " as an array");
            same(() -> mine.predict(map(mine, row)), () -> reference.predict(map(mine, row)), "row " + i + " as a map");
            if (mine.task() == org.mlops4j.core.Task.REGRESSION) {
                same(() -> mine.predictValues(row), () -> reference.predictValues(row), "row " + i + " as values");
            } else {
                int k = mine.classes().size();
                same(() -> {
                    double[] s = new double[k];
                    int[] c = mine.predictClasses(row, s);
                    return List.of(c[0], java.util.Arrays.stream(s).boxed().toList());
                }, () -> {
                    double[] s = new double[k];
                    int[] c = reference.predictClasses(row, s);
                    return List.of(c[0], java.util.Arrays.stream(s).boxed().toList());
                }, "row " + i + " as classes");
            }
            if (catchThrowable(() -> reference.predict(row)) == null) {
                accepted.add(row);
            }
        }
        assertThat(accepted.size()).as("most rows are accepted").isGreaterThan(250);
        double[] batch = new double[accepted.size() * w];
        List<Map<String, ?>> maps = new ArrayList<>();
        for (int i = 0; i < accepted.size(); i++) {
            System.arraycopy(accepted.get(i), 0, batch, i * w, w);
            maps.add(map(mine, accepted.get(i)));
        }
        same(() -> mine.predictBatch(batch), () -> reference.predictBatch(batch), "the batch");
        same(() -> mine.predict(maps), () -> reference.predict(maps), "the batch of maps");
        if (mine.task() == org.mlops4j.core.Task.REGRESSION) {
            same(() -> mine.predictValues(batch), () -> reference.predictValues(batch), "the batch as values");
        } else {
            int k = mine.classes().size();
            double[] s1 = new double[accepted.size() * k];
            double[] s2 = new double[accepted.size() * k];
            assertThat(mine.predictClasses(batch, s1)).containsExactly(reference.predictClasses(batch, s2));
            assertThat(s1).containsExactly(s2);
        }
    }

    @Test
    void theBuiltInNumericChainsCompileAndOthersDoNot() {
        for (PipelineResult r : List.of(forest, linear, selected, iris)) {
            Predictor p = r.predictor();
            assertThat(RowPlan.compile(p.inputSchema().names(), p.transforms(), p.model().signature().features()))
                    .as("%s", p.transforms()).isNotNull();
            assertThat(RowPlan.compile(p.inputSchema().names(), opaque(p).transforms(), p.model().signature().features())).isNull();
        }
        assertThat(forest.predictor().model()).isInstanceOf(TreeEnsemble.class);
        assertThat(linear.predictor().model()).isInstanceOf(LinearModel.class);
        List<String> names = List.of("a", "b");
        assertThat(RowPlan.compile(names, List.of(new OneHot.Fitted(Map.of("b", List.of("x")), false)), names)).isNull();
        assertThat(RowPlan.compile(names, List.of(new Standardize.Fitted(Map.of("c", new Standardize.Scale(0, 1)))), names))
                .as("a step naming a column that is not there").isNull();
        assertThat(RowPlan.compile(names, List.of(new Drop.Fitted(List.of("b"))), names)).as("a feature the chain drops").isNull();
        RowPlan reorder = RowPlan.compile(names, List.of(new Select.Fitted(List.of("b", "a"))), List.of("b", "a"));
        double[] ready = new double[2];
        assertThat(reorder.ready(new double[] {1, 2}, 0, ready, 0, new double[2])).isTrue();
        assertThat(ready).containsExactly(2, 1);
    }

    @Test
    void aForestThroughImputeLog1pAndStandardizeMatchesTheCheckedPath() {
        assertSameAsTheCheckedPath(planned(forest.predictor()), raw, 1);
    }

    @Test
    void aLinearModelThroughMinMaxAndStandardizeMatchesTheCheckedPath() {
        assertSameAsTheCheckedPath(planned(linear.predictor()), raw, 2);
    }

    @Test
    void aLeadingSelectAndALaterDropMatchTheCheckedPath() {
        assertThat(selected.predictor().inputSchema().names()).containsExactlyInAnyOrder("LSTAT", "RM", "CRIM", "NOX", "TAX");
        assertThat(selected.predictor().model().signature().features()).containsExactly("LSTAT", "RM", "CRIM", "NOX");
        assertSameAsTheCheckedPath(planned(selected.predictor()), raw, 3);
    }

    @Test
    void aClassifierGivesTheSameClassesAndScores() {
        assertSameAsTheCheckedPath(planned(iris.predictor()), TestData.iris().load().drop("species"), 4);
    }

    @Test
    void theBundlesPredictorKeepsItsContractOnThePlannedPath() {
        Predictor bundled = forest.predictor();
        Expectations contract = bundled.expectations().orElseThrow();
        Predictor strict = bundled.onViolation(Predictor.OnViolation.REJECT);
        Predictor strictReference = opaque(bundled).expecting(contract, Predictor.OnViolation.REJECT);
        double[][] rows = rows(bundled, raw, 5);
        for (int i = 0; i < rows.length; i++) {
            double[] row = rows[i];
            same(() -> strict.predict(row), () -> strictReference.predict(row), "row " + i + ", rejecting");
        }
        double[] far = rows(bundled, raw, 6)[0].clone();
        int rm = bundled.inputSchema().indexOf("RM");
        far[rm] = 1e6;
        far[bundled.inputSchema().indexOf("CRIM")] = 0.1;
        assertThatThrownBy(() -> strict.predict(far)).isInstanceOf(DataValidationException.class).hasMessageContaining("RM");
        List<ValidationReport> flagged = new ArrayList<>();
        List<ValidationReport> flaggedReference = new ArrayList<>();
        Predictor flagging = bundled.onFlagged(flagged::add);
        Predictor flaggingReference = opaque(bundled).expecting(contract, Predictor.OnViolation.FLAG).onFlagged(flaggedReference::add);
        double[] fine = far.clone();
        fine[rm] = raw.numeric("RM").get(0);
        assertThat(flagging.predict(fine)).isEqualTo(flaggingReference.predict(fine));
        assertThat(flagged).isEmpty();
        assertThat(flagging.predict(far)).isEqualTo(flaggingReference.predict(far));
        assertThat(flagged).hasSize(1);
        assertThat(flagged.get(0).toString()).isEqualTo(flaggedReference.get(0).toString());
    }

    @Test
    void aStepThatWouldGiveAnInfinityOrRefuseAValueSendsTheRowToTheCheckedPathAndItsError() {
        Predictor base = linear.predictor();
        List<FittedTransform> chain = new ArrayList<>(base.transforms());
        chain.add(new Standardize.Fitted(Map.of("ZN", new Standardize.Scale(0, 1e-308))));
        Predictor mine = Predictor.of(base.model(), chain, base.inputSchema());
        Predictor reference = opaque(mine);
        double[] row = rows(base, raw, 7)[0].clone();
        java.util.Arrays.fill(row, 1.0);
        int zn = base.inputSchema().indexOf("ZN");
        row[zn] = 0;
        same(() -> mine.predict(row), () -> reference.predict(row), "a finite row");
        assertThat(catchThrowable(() -> mine.predict(row))).isNull();
        row[zn] = 5;
        same(() -> mine.predict(row), () -> reference.predict(row), "an infinity between steps");
        assertThatThrownBy(() -> mine.predict(row)).hasMessageContaining("not a finite number");
        row[zn] = 0;
        row[base.inputSchema().indexOf("CRIM")] = -1;
        same(() -> mine.predictValues(row), () -> reference.predictValues(row), "log1p of -1");
        assertThatThrownBy(() -> mine.predictValues(row)).hasMessageContaining("log1p of -1.0 is undefined");
    }

    @Test
    void threadsSharingOnePlannedPredictorGetTheirOwnRows() throws Exception {
        Predictor mine = planned(forest.predictor());
        Predictor reference = opaque(mine);
        double[][] rows = rows(mine, raw, 8);
        List<double[]> ok = new ArrayList<>();
        for (double[] r : rows) {
            if (catchThrowable(() -> reference.predict(r)) == null) {
                ok.add(r);
            }
        }
        double[] expected = new double[ok.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = reference.predict(ok.get(i)).value();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int shift = t;
                done.add(pool.submit(() -> {
                    double[] got = new double[ok.size()];
                    for (int rep = 0; rep < 20; rep++) {
                        for (int j = 0; j < ok.size(); j++) {
                            int i = (j + shift * 37) % ok.size();
                            got[i] = mine.predict(ok.get(i)).value();
                        }
                    }
                    return got;
                }));
            }
            for (Future<double[]> f : done) {
                assertThat(f.get()).containsExactly(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
