package org.mlops4j.core.model.compiled;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Task;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.internal.tribuo.TribuoFits;
import org.mlops4j.core.model.ArrayModel;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelFlavors;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.Linear;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainingSet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compiled models predict exactly what the Tribuo models they were compiled from predict: equal values,
 * equal labels, equal score maps (bit for bit) on every holdout row of the house-price, wine and digits data,
 * through every entry point (the data set path, one primitive row, a primitive batch) and after a payload round trip,
 * on both tree kernels (8-byte nodes with thresholds as ranks, and the 16-byte fallback).
 */
class CompiledEqualityTest {

    /** Features, target and a seeded 75/25 split of a data set. */
    record Split(Dataset trainFeatures, Target trainTarget, Dataset testFeatures) {
        static Split of(Dataset all, String label, Task task, long seed) {
            int n = all.rowCount();
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                idx.add(i);
            }
            java.util.Collections.shuffle(idx, new Random(seed));
            int cut = n * 3 / 4;
            int[] train = idx.subList(0, cut).stream().mapToInt(Integer::intValue).sorted().toArray();
            int[] test = idx.subList(cut, n).stream().mapToInt(Integer::intValue).sorted().toArray();
            Dataset tr = all.rows(train);
            Dataset te = all.rows(test);
            return new Split(tr.drop(label), Target.of(tr, label, task), te.drop(label));
        }
    }

    static Dataset houses() {
        return TestData.boston().load();
    }

    static Dataset wine() {
        String[] names = new String[14];
        for (int i = 0; i < 13; i++) {
            names[i] = "f" + i;
        }
        names[13] = "cultivar";
        return Csv.file(java.nio.file.Path.of(resource("/data/wine_data.csv"))).skipLines(1).header(false).columnNames(names)
                .categorical("cultivar").load();
    }

    static Dataset digits() {
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                CompiledEqualityTest.class.getResourceAsStream("/data/digits.csv.gz")), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] parts = line.split(",");
                double[] v = new double[64];
                for (int i = 0; i < 64; i++) {
                    v[i] = Double.parseDouble(parts[i]);
                }
                rows.add(v);
                labels.add(parts[64].trim());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Dataset.Builder b = Dataset.builder("digits");
        for (int c = 0; c < 64; c++) {
            double[] col = new double[rows.size()];
            for (int i = 0; i < col.length; i++) {
                col[i] = rows.get(i)[c];
            }
            b.numeric("p" + c, col);
        }
        b.categorical("digit", labels.toArray(new String[0]));
        return b.build();
    }

    private static java.net.URI resource(String name) {
        try {
            return CompiledEqualityTest.class.getResource(name).toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fits, checks that the result is compiled, and compares it with its Tribuo source on the holdout. */
    static Model assertSameAsTribuo(Trainer trainer, Split split, Class<? extends Model> kind) {
        Model compiled = trainer.fit(new TrainingSet(split.trainFeatures(), split.trainTarget()), TrainContext.defaults());
        assertThat(compiled).isInstanceOf(kind);
        assertThat(compiled.flavor()).isEqualTo("compiled");
        Model tribuo = TribuoFits.tribuoSource(compiled);
        assertThat(tribuo.flavor()).isEqualTo("tribuo");
        Dataset test = split.testFeatures();
        List<Prediction> expected = tribuo.predict(test);
        assertThat(compiled.predict(test)).as("the data set path").isEqualTo(expected);
        assertPrimitiveSame((ArrayModel) compiled, test, expected);
        // After the payload round trip.
        Map<String, byte[]> payload = ModelFlavors.find("compiled").write(compiled);
        Model back = ModelFlavors.find("compiled").read(payload, compiled.signature(), "test");
        assertThat(back.predict(test)).as("read back from its payload").isEqualTo(expected);
        assertPrimitiveSame((ArrayModel) back, test, expected);
        if (compiled instanceof TreeEnsemble t) {
            // These forests fit 8-byte nodes; the 16-byte fallback kernel predicts the same.
            assertThat(t.nodeBytes()).as("nodes as ranks").isEqualTo(8);
            assertThat(((TreeEnsemble) back).nodeBytes()).isEqualTo(8);
            TreeEnsemble wide = t.withWideNodes();
            assertThat(wide.nodeBytes()).isEqualTo(16);
            assertThat(wide.predict(test)).as("the 16-byte kernel").isEqualTo(expected);
            assertPrimitiveSame(wide, test, expected);
        }
        return compiled;
    }

    static void assertPrimitiveSame(ArrayModel m, Dataset test, List<Prediction> expected) {
        assertPrimitiveSame(m, Rows.rowMajor(test, m.signature().features()), test.rowCount(), expected);
    }

    /** One primitive row, a primitive batch (with and without scores) and {@code predictRow} on row-major rows. */
    static void assertPrimitiveSame(ArrayModel m, double[] rows, int n, List<Prediction> expected) {
        int w = m.width();
        if (m.signature().task() == Task.REGRESSION) {
            double[] batch = new double[n];
            m.predictValues(rows, n, batch);
            for (int r = 0; r < n; r++) {
                double[] row = java.util.Arrays.copyOfRange(rows, r * w, (r + 1) * w);
                assertThat(Double.doubleToRawLongBits(m.predictValue(row))).as("row %d, one row", r)
                        .isEqualTo(Double.doubleToRawLongBits(expected.get(r).value()));
                assertThat(Double.doubleToRawLongBits(batch[r])).as("row %d, in a batch", r)
                        .isEqualTo(Double.doubleToRawLongBits(expected.get(r).value()));
                assertThat(m.predictRow(row)).isEqualTo(expected.get(r));
            }
        } else {
            int k = m.signature().classes().size();
            int[] classes = new int[n];
            double[] scores = new double[n * k];
            m.predictClasses(rows, n, classes, scores);
            int[] classesOnly = new int[n];
            m.predictClasses(rows, n, classesOnly, null);
            for (int r = 0; r < n; r++) {
                double[] row = java.util.Arrays.copyOfRange(rows, r * w, (r + 1) * w);
                Prediction e = expected.get(r);
                assertThat(m.signature().classes().get(classes[r])).as("row %d", r).isEqualTo(e.label());
                assertThat(classesOnly[r]).isEqualTo(classes[r]);
                assertThat(m.predictClass(row, null)).isEqualTo(classes[r]);
                assertThat(Rows.classification(m.signature().classes(), classes[r], scores, r * k)).isEqualTo(e);
                assertThat(m.predictRow(row)).isEqualTo(e);
            }
        }
    }

    @Test
    void theHousePriceForestTreeAndLinearModelPredictExactlyAsTribuo() {
        Dataset all = houses();
        Split split = Split.of(all, "MEDV", Task.REGRESSION, 7);
        TreeEnsemble forest = (TreeEnsemble) assertSameAsTribuo(RandomForest.regression(), split, TreeEnsemble.class);
        assertThat(forest.treeCount()).isEqualTo(100);
        assertThat(forest.combiner()).isEqualTo(TreeEnsemble.Combiner.AVERAGE);
        assertSameAsTribuo(RandomForest.regression().trees(13).maxDepth(6).featureFraction(0.5), split, TreeEnsemble.class);
        TreeEnsemble tree = (TreeEnsemble) assertSameAsTribuo(DecisionTree.regression(), split, TreeEnsemble.class);
        assertThat(tree.combiner()).isEqualTo(TreeEnsemble.Combiner.SINGLE);
        // Raw Boston features have very different scales; SGD still gives a deterministic model to compare.
        assertSameAsTribuo(Linear.regression(), split, LinearModel.class);
    }

    @Test
    void theWineForestTreeAndLinearModelPredictExactlyAsTribuo() {
        Split split = Split.of(wine(), "cultivar", Task.CLASSIFICATION, 11);
        TreeEnsemble forest = (TreeEnsemble) assertSameAsTribuo(RandomForest.classification(), split, TreeEnsemble.class);
        assertThat(forest.combiner()).isEqualTo(TreeEnsemble.Combiner.VOTE);
        assertSameAsTribuo(RandomForest.classification().trees(10).featureFraction(1.0), split, TreeEnsemble.class);
        assertSameAsTribuo(DecisionTree.classification(), split, TreeEnsemble.class);
        assertSameAsTribuo(Linear.classification(), split, LinearModel.class);
    }

    @Test
    void theDigitsForestTreeAndLinearModelPredictExactlyAsTribuo() {
        Split split = Split.of(digits(), "digit", Task.CLASSIFICATION, 3);
        assertSameAsTribuo(RandomForest.classification().trees(30), split, TreeEnsemble.class);
        assertSameAsTribuo(DecisionTree.classification().maxDepth(8), split, TreeEnsemble.class);
        assertSameAsTribuo(Linear.classification(), split, LinearModel.class);
    }
}
