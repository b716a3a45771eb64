package org.mlops4j.core.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.Task;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.SchemaMismatchException;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.FittedTransform;
import org.mlops4j.core.transform.Impute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictorTest {
    private static Predictor imputing;
    private static List<FittedTransform> imputingTransforms;
    private static Predictor strict;
    private static final Map<String, Object> ROW = Map.ofEntries(Map.entry("CRIM", 0.00632), Map.entry("ZN", 18),
            Map.entry("INDUS", 2.31), Map.entry("CHAS", 0), Map.entry("NOX", 0.538), Map.entry("RM", 6.575),
            Map.entry("AGE", 65.2), Map.entry("DIS", 4.09), Map.entry("RAD", 1), Map.entry("TAX", 296),
            Map.entry("PTRATIO", 15.3), Map.entry("LSTAT", 4.98));

    @BeforeAll
    static void train() {
        Pipeline p = Pipeline.from(TestData.boston()).label("MEDV").drop("B").train(RandomForest.regression().trees(10));
        PipelineResult withImpute = p.transform(Impute.median()).run();
        imputing = withImpute.predictor();
        imputingTransforms = withImpute.transforms();
        strict = p.run().predictor();
    }

    @Test
    void droppedColumnsMayBeLeftOutAndTheLabelMayBePassed() {
        Map<String, Object> withExtras = new HashMap<>(ROW);
        withExtras.put("MEDV", 24.0);
        withExtras.put("B", 396.9);

        assertThat(strict.predict(withExtras)).isEqualTo(strict.predict(ROW));
    }

    @Test
    void aKeyThatIsNotAnInputColumnIsRefusedNamingTheClosestOne() {
        Map<String, Object> misspelt = new HashMap<>(ROW);
        misspelt.remove("RM");
        misspelt.put("RMM", 6.575);
        Map<String, Object> withId = new HashMap<>(ROW);
        withId.put("id", "house-17");

        assertThatThrownBy(() -> imputing.predict(List.of(ROW, misspelt)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("input row 2: 'RMM' is not an input column of the model; did you mean 'RM'?")
                .hasMessageContaining("predictor.lenient()");
        assertThatThrownBy(() -> imputing.predict(Map.of("lstat", 5.0))).hasMessageContaining("did you mean 'LSTAT'?");
        assertThatThrownBy(() -> imputing.predict(withId)).hasMessageContaining("'id' is not an input column")
                .hasMessageNotContaining("did you mean");
        assertThat(imputing.lenient().predict(withId)).isEqualTo(imputing.predict(ROW));
        Dataset batch = Dataset.builder("batch").numeric("RM", 6.5).numeric("house_id", 17).build();
        assertThatThrownBy(() -> imputing.predict(batch)).hasMessageStartingWith("batch: 'house_id' is not an input column");
        assertThat(imputing.lenient().predict(batch)).hasSize(1);
    }

    @Test
    void aMissingValueIsImputedWhenTrainingImputedElseNamed() {
        Map<String, Object> noRm = new HashMap<>(ROW);
        noRm.remove("RM");
        Map<String, Object> nullRm = new HashMap<>(ROW);
        nullRm.put("RM", null);
        Map<String, Object> medianRow = new HashMap<>(ROW);
        medianRow.put("RM", ((Impute.Fitted) imputingTransforms.get(1)).numeric().get("RM"));

        assertThat(imputing.predict(noRm)).isEqualTo(imputing.predict(medianRow));
        assertThat(imputing.predict(nullRm)).isEqualTo(imputing.predict(medianRow));
        assertThatThrownBy(() -> strict.predict(List.of(ROW, noRm)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("input row 2: no value for column 'RM'");
    }

    @Test
    void valuesOfTheWrongTypeAreNamed() {
        Map<String, Object> bad = new HashMap<>(ROW);
        bad.put("TAX", "a lot");

        assertThatThrownBy(() -> strict.predict(bad))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("input row 1, column 'TAX': 'a lot' is not a number; expected a finite decimal number");
        Dataset categoricalRm = Dataset.builder("batch").categorical("RM", "six").build();
        assertThatThrownBy(() -> strict.predict(categoricalRm))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessage("column 'RM' of batch is categorical but the model was trained on a numeric column");
    }

    @Test
    void onePredictorServesManyThreadsWithTheSameAnswers() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Map<String, Object> r = new HashMap<>(ROW);
            r.put("RM", 4.0 + i * 0.1);
            rows.add(r);
        }
        List<Prediction> expected = strict.predict(rows);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> strict.predict(rows)));
            }
            for (Future<List<Prediction>> f : futures) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(strict.predict(List.of())).isEmpty();
        assertThat(strict.inputSchema().names()).doesNotContain("B").hasSize(12);
        assertThat(strict.ignoredInputs()).containsExactly("B");
        assertThat(strict.task()).isEqualTo(Task.REGRESSION);
    }
}
