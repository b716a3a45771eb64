package org.mlops4j.core.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.model.compiled.TreeEnsemble;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Log1p;
import org.mlops4j.core.transform.Standardize;

import java.nio.file.Path;
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
}
