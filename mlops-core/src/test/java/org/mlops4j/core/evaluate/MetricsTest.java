package org.mlops4j.core.evaluate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {

    @Test
    void regressionMetricsMatchHandComputedValues() {
        RegressionMetrics m = RegressionMetrics.of(new double[] {3, -0.5, 2, 7}, new double[] {2.5, 0.0, 2, 8});

        assertThat(m.rmse()).isCloseTo(Math.sqrt(0.375), within(1e-12));
        assertThat(m.mae()).isEqualTo(0.5);
        assertThat(m.r2()).isCloseTo(0.9486081370449679, within(1e-12)); // scikit-learn's r2_score example
        assertThat(m.mape()).isCloseTo((0.5 / 3 + 0.5 / 0.5 + 0 + 1.0 / 7) / 4, within(1e-12));
        assertThat(m.values()).containsOnlyKeys("rmse", "mae", "r2", "mape");
    }

    @Test
    void undefinedRegressionMetricsAreNaNNotErrors() {
        RegressionMetrics m = RegressionMetrics.of(new double[] {0, 0}, new double[] {1, 1});

        assertThat(m.r2()).isNaN();
        assertThat(m.mape()).isNaN();
        assertThat(m.rmse()).isEqualTo(1.0);
    }

    @Test
    void classificationMetricsMatchHandComputedValues() {
        String[] truth = {"cat", "cat", "dog", "dog", "dog", "bird"};
        String[] pred = {"cat", "dog", "dog", "dog", "cat", "dog"};

        ClassificationMetrics m = ClassificationMetrics.of(truth, pred);

        assertThat(m.accuracy()).isCloseTo(3.0 / 6, within(1e-12));
        // F1: cat 2*1/(2+1+1)=0.5, dog 2*2/(4+2+1)=4/7, bird 0 -> mean over 3 classes
        assertThat(m.macroF1()).isCloseTo((0.5 + 4.0 / 7 + 0) / 3, within(1e-12));
        assertThat(m.confusion().labels()).containsExactly("bird", "cat", "dog");
        assertThat(m.confusion().count("dog", "cat")).isEqualTo(1);
        assertThat(m.confusion().count("bird", "dog")).isEqualTo(1);
        assertThat(m.confusion().table()).contains("true\\pred");
    }

    @Test
    void crossValidationReportsMeanAndPopulationStd() {
        CrossValidation cv = CrossValidation.of(List.of(
                RegressionMetrics.of(new double[] {1}, new double[] {2}),
                RegressionMetrics.of(new double[] {1}, new double[] {4})));

        assertThat(cv.mean("rmse")).isEqualTo(2.0);
        assertThat(cv.std("rmse")).isEqualTo(1.0);
        assertThatThrownBy(() -> cv.mean("accuracy")).hasMessageContaining("no metric 'accuracy'");
    }

    @Test
    void mismatchedLengthsAreProgrammingErrors() {
        assertThatThrownBy(() -> RegressionMetrics.of(new double[] {1}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("truth has 1 values but predictions have 2");
    }
}
