package org.mlops4j.core.data.profile;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProfileTest {

    @Test
    void numericProfileMatchesHandComputedStatistics() {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add((double) i);
        }
        values.add(null);
        Dataset d = Dataset.builder("t").numeric("x", values).build();

        NumericProfile p = (NumericProfile) d.profile().column("x");

        assertThat(p.count()).isEqualTo(100);
        assertThat(p.missing()).isEqualTo(1);
        assertThat(p.min()).isEqualTo(1);
        assertThat(p.max()).isEqualTo(100);
        assertThat(p.mean()).isEqualTo(50.5);
        assertThat(p.std()).isCloseTo(29.011491975882016, within(1e-12)); // sample std of 1..100
        assertThat(p.quantiles().p50()).isEqualTo(50.5);
        assertThat(p.quantiles().p25()).isEqualTo(25.75);   // numpy.percentile(1..100, 25)
        assertThat(p.quantiles().p99()).isCloseTo(99.01, within(1e-9));
        assertThat(p.histogram().edges()).hasSize(11).startsWith(1.0).endsWith(100.0);
        assertThat(p.histogram().counts()).hasSize(10).allMatch(c -> c == 10L);
    }

    @Test
    void constantAndAllMissingColumnsHaveDefinedProfiles() {
        Dataset d = Dataset.builder("t").numeric("k", 3, 3, 3).numeric("none", java.util.Arrays.asList(null, null, null)).build();

        NumericProfile k = (NumericProfile) d.profile().column("k");
        NumericProfile none = (NumericProfile) d.profile().column("none");

        assertThat(k.std()).isZero();
        assertThat(k.histogram().counts()).containsExactly(3L);
        assertThat(none.count()).isZero();
        assertThat(none.mean()).isNaN();
        assertThat(none.histogram().counts()).isEmpty();
    }

    @Test
    void categoricalProfileCountsFrequenciesInOrder() {
        Dataset d = Dataset.builder("t").categorical("c", "b", "a", "b", null, "c", "b", "a").build();

        CategoricalProfile p = (CategoricalProfile) d.profile().column("c");

        assertThat(p.count()).isEqualTo(6);
        assertThat(p.missing()).isEqualTo(1);
        assertThat(p.distinct()).isEqualTo(3);
        assertThat(p.frequencies()).containsExactly(new CategoricalProfile.CategoryCount("b", 3),
                new CategoricalProfile.CategoryCount("a", 2), new CategoricalProfile.CategoryCount("c", 1));
        assertThat(p.otherCount()).isZero();
    }

    @Test
    void manyCategoriesAreCappedWithTheRestCounted() {
        String[] v = new String[120];
        for (int i = 0; i < v.length; i++) {
            v[i] = "id" + i;
        }
        CategoricalProfile p = (CategoricalProfile) Dataset.builder("t").categorical("id", v).build().profile().column("id");

        assertThat(p.frequencies()).hasSize(CategoricalProfile.TOP);
        assertThat(p.otherCount()).isEqualTo(120 - CategoricalProfile.TOP);
    }

    @Test
    void theBostonProfileIsComputedOnceAndCoversEveryColumn() {
        Dataset d = TestData.boston().load();

        DataProfile p = d.profile();

        assertThat(d.profile()).isSameAs(p);
        assertThat(p.columns()).hasSize(14);
        NumericProfile medv = (NumericProfile) p.column("MEDV");
        assertThat(medv.min()).isEqualTo(5.0);
        assertThat(medv.max()).isEqualTo(50.0);
        assertThat(medv.mean()).isCloseTo(22.532806, within(1e-6));
        assertThat(p.summary()).contains("MEDV numeric: n=506 missing=0");
    }
}
