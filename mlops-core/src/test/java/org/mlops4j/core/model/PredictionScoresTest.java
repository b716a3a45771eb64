package org.mlops4j.core.model;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Task;
import org.mlops4j.core.internal.ScoreMap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The array-backed scores of the array models' predictions behave as the copied LinkedHashMap they replace. */
class PredictionScoresTest {

    @Test
    void arrayBackedScoresEqualTheMapTheyReplaceAndCannotBeChanged() {
        List<String> classes = List.of("cat", "dog", "eel");
        double[] batch = {9, 9, 0.2, 0.5, 0.3};
        Prediction p = ArrayPredictions.classification(classes, 1, batch, 2);
        Map<String, Double> want = new LinkedHashMap<>();
        want.put("cat", 0.2);
        want.put("dog", 0.5);
        want.put("eel", 0.3);
        Prediction copied = new Prediction("dog", 0.5, want);
        assertThat(p).isEqualTo(copied);
        assertThat(p.hashCode()).isEqualTo(copied.hashCode());
        assertThat(p.toString()).isEqualTo(copied.toString());
        assertThat(p.scores().keySet()).containsExactly("cat", "dog", "eel");
        assertThat(p.scores().get("eel")).isEqualTo(0.3);
        assertThat(p.scores().get("fox")).isNull();
        assertThat(p.scores().containsKey("cat")).isTrue();
        assertThat(p.value()).isEqualTo(0.5);
        assertThatThrownBy(() -> p.scores().put("fox", 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.scores().entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.scores().entrySet().iterator().next().setValue(1.0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new ScoreMap(classes, new double[4], 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aBatchGivesEachRowItsOwnScores() {
        ArrayModel m = new TwoClasses();
        List<Prediction> p = m.predictRows(new double[] {0.25, 0.9}, 2);
        assertThat(p.get(0).label()).isEqualTo("no");
        assertThat(p.get(0).scores()).containsExactly(Map.entry("no", 0.75), Map.entry("yes", 0.25));
        assertThat(p.get(1).label()).isEqualTo("yes");
        assertThat(p.get(1).scores()).containsExactly(Map.entry("no", 0.09999999999999998), Map.entry("yes", 0.9));
        assertThat(m.predictRow(new double[] {0.9})).isEqualTo(p.get(1));
    }

    @Test
    void aSignatureRefusesAClassListedTwice() {
        assertThatThrownBy(() -> new ModelSignature(Task.CLASSIFICATION, List.of("x"), List.of("a", "b", "a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class 'a' is listed twice");
    }

    /** One feature, the probability of "yes". */
    private static final class TwoClasses implements ArrayModel {
        private final ModelSignature signature = new ModelSignature(Task.CLASSIFICATION, List.of("x"), List.of("no", "yes"));

        @Override
        public ModelSignature signature() {
            return signature;
        }

        @Override
        public String flavor() {
            return "test";
        }

        @Override
        public List<Prediction> predict(org.mlops4j.core.data.Dataset features) {
            double[] x = new double[features.rowCount()];
            for (int r = 0; r < x.length; r++) {
                x[r] = features.numeric("x").get(r);
            }
            return predictRows(x, x.length);
        }

        @Override
        public double predictValue(double[] row) {
            throw new IllegalStateException("classifier");
        }

        @Override
        public void predictValues(double[] rows, int count, double[] out) {
            throw new IllegalStateException("classifier");
        }

        @Override
        public int predictClass(double[] row, double[] scores) {
            double[] s = new double[2];
            predictClasses(row, 1, new int[1], s);
            if (scores != null) {
                System.arraycopy(s, 0, scores, 0, 2);
            }
            return s[1] > s[0] ? 1 : 0;
        }

        @Override
        public void predictClasses(double[] rows, int count, int[] classes, double[] scores) {
            for (int r = 0; r < count; r++) {
                scores[2 * r] = 1 - rows[r];
                scores[2 * r + 1] = rows[r];
                classes[r] = rows[r] > 0.5 ? 1 : 0;
            }
        }
    }
}
