package org.mlops4j.djl;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
}
