package org.mlops4j.core.transform;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.SchemaMismatchException;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TransformTest {

    private final Dataset train = Dataset.builder("train")
            .numeric("a", Arrays.asList(1.0, 2.0, null, 5.0))
            .numeric("b", 10, 10, 10, 10)
            .categorical("c", "x", "y", "x", null)
            .build();

    @Test
    void imputeLearnsFillValuesFromTrainingOnly() {
        Impute.Fitted median = Impute.median().fit(train);
        Impute.Fitted mean = Impute.mean().fit(train);
        Impute.Fitted frequent = Impute.mostFrequent().fit(train);

        assertThat(median.numeric()).containsEntry("a", 2.0).containsEntry("b", 10.0);
        assertThat(median.categorical()).isEmpty();
        assertThat(mean.numeric().get("a")).isCloseTo(8.0 / 3, within(1e-12));
        assertThat(frequent.categorical()).containsEntry("c", "x");
        assertThat(frequent.numeric()).containsEntry("a", 1.0); // a tie: the smallest

        Dataset test = Dataset.builder("test").numeric("a", Arrays.asList(null, 100.0)).numeric("b", Arrays.asList(null, 1.0))
                .categorical("c", null, "z").build();
        Dataset filled = median.apply(test);
        assertThat(filled.numeric("a").toArray()).containsExactly(2.0, 100.0);
        assertThat(filled.numeric("b").toArray()).containsExactly(10.0, 1.0); // no missing in training, filled anyway
        assertThat(filled.categorical("c").isMissing(0)).isTrue();            // categorical untouched by median
    }

    @Test
    void constantImputationCoversTheRightColumns() {
        Impute.Fitted zero = Impute.constant(0.0).columns("a").fit(train);
        Impute.Fitted unknown = Impute.constant("unknown").fit(train);

        assertThat(zero.numeric()).containsOnlyKeys("a");
        assertThat(unknown.categorical()).containsEntry("c", "unknown");
        assertThat(unknown.apply(train).categorical("c").get(3)).isEqualTo("unknown");
    }

    @Test
    void imputingAColumnWithoutAnyValueIsAnError() {
        Dataset empty = Dataset.builder("prices.csv").numeric("x", Arrays.asList(null, null)).build();

        assertThatThrownBy(() -> Impute.median().fit(empty))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("cannot impute median column 'x': all 2 training rows of prices.csv are missing");
    }

    @Test
    void transformsRefuseUnknownOrIllTypedColumns() {
        assertThatThrownBy(() -> Standardize.columns("zz").fit(train))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("unknown column 'zz' for standardize; columns are [a, b, c]");
        assertThatThrownBy(() -> Drop.columns("A", "zz").fit(train))
                .as("a misspelt column is named with the closest real one; a far-off one is not guessed at")
                .hasMessageEndingWith("columns are [a, b, c]; did you mean 'a' for 'A'?");
        assertThatThrownBy(() -> Impute.median().columns("c").fit(train))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("column 'c' is categorical but numeric is needed");
        assertThatThrownBy(() -> OneHot.columns("a").fit(train))
                .hasMessageContaining("column 'a' is numeric but categorical is needed")
                .hasMessageContaining("Csv.categorical(\"a\")");
    }

    @Test
    void standardizeUsesTrainingMeanAndStdAndKeepsConstantColumnsFinite() {
        Standardize.Fitted s = Standardize.all().fit(train);

        assertThat(s.scales().get("a").center()).isCloseTo(8.0 / 3, within(1e-12));
        assertThat(s.scales().get("b")).isEqualTo(new Standardize.Scale(10, 1));
        Dataset out = s.apply(Dataset.builder("t").numeric("a", 8.0 / 3).numeric("b", 12).categorical("c", "x").build());
        assertThat(out.numeric("a").get(0)).isCloseTo(0, within(1e-12));
        assertThat(out.numeric("b").get(0)).isEqualTo(2.0);
        assertThat(s.apply(train).numeric("a").isMissing(2)).isTrue();
    }

    @Test
    void minMaxMapsTheTrainingRangeToZeroOne() {
        MinMax.Fitted m = MinMax.columns("a").fit(train);

        Dataset out = m.apply(Dataset.builder("t").numeric("a", 1, 5, 9).numeric("b", 0, 0, 0).categorical("c", "x", "x", "x").build());

        assertThat(out.numeric("a").toArray()).containsExactly(0.0, 1.0, 2.0);
    }

    @Test
    void log1pRefusesValuesWithoutALogarithmNamingTheRow() {
        Log1p.Fitted l = Log1p.columns("a").fit(train);
        assertThat(l.apply(train).numeric("a").get(0)).isEqualTo(Math.log1p(1.0));

        Dataset bad = Dataset.builder("request").numeric("a", 3, -1).build();
        assertThatThrownBy(() -> l.apply(bad))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("request row 2, column 'a': log1p of -1.0 is undefined; expected values greater than -1");
        assertThatThrownBy(() -> Log1p.all().fit(bad)).hasMessageContaining("log1p of -1.0 is undefined");
    }

    @Test
    void oneHotEncodesSeenCategoriesAndHandlesUnknownOnes() {
        OneHot.Fitted lenient = OneHot.all().fit(train);
        OneHot.Fitted strict = OneHot.all().failOnUnknown().fit(train);

        assertThat(lenient.categories()).containsEntry("c", List.of("x", "y"));
        Dataset test = Dataset.builder("request").numeric("a", 1, 2, 3).numeric("b", 1, 1, 1).categorical("c", "y", null, "z").build();
        Dataset out = lenient.apply(test);
        assertThat(out.schema().names()).containsExactly("a", "b", "c=x", "c=y");
        assertThat(out.numeric("c=x").toArray()).containsExactly(0.0, 0.0, 0.0);
        assertThat(out.numeric("c=y").toArray()).containsExactly(1.0, 0.0, 0.0);
        assertThatThrownBy(() -> strict.apply(test))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("request row 3, column 'c': category 'z' was not seen in training; expected one of [x, y]");
    }

    @Test
    void oneHotRefusesColumnsWithTooManyCategories() {
        Dataset ids = Dataset.builder("t").categorical("id", "a", "b", "c").build();

        assertThatThrownBy(() -> OneHot.all().maxCategories(2).fit(ids))
                .hasMessageContaining("it has 3 categories in t, more than the limit of 2");
    }

    @Test
    void dropToleratesAbsentColumnsAtApplyTimeButSelectDoesNot() {
        Drop.Fitted drop = Drop.columns("b").fit(train);
        Select.Fitted select = Select.columns("a", "b").fit(train);
        Dataset withoutB = train.drop("b");

        assertThat(drop.apply(withoutB).schema().names()).containsExactly("a", "c");
        assertThatThrownBy(() -> select.apply(withoutB)).isInstanceOf(SchemaMismatchException.class);
        assertThatThrownBy(() -> Drop.columns("B").fit(train)).hasMessageContaining("unknown column 'B' for drop in train");
    }

    @Test
    void aFittedChainSurvivesJsonUnchanged() throws Exception {
        List<FittedTransform> chain = List.of(Drop.columns("b").fit(train), Impute.median().fit(train),
                Impute.mostFrequent().columns("c").fit(train), Standardize.all().fit(train), OneHot.all().fit(train),
                MinMax.all().fit(train), Log1p.columns("a").fit(train), Select.columns("a", "c").fit(train));

        byte[] json = TransformTypes.writeChain(chain);
        List<FittedTransform> back = TransformTypes.readChain(json, "transforms.json");

        assertThat(back).isEqualTo(chain);
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).contains("\"type\" : \"impute\"");
    }

    @Test
    void builtInTransformsValidateTheirArguments() {
        assertThatThrownBy(() -> Impute.constant(Double.NaN)).hasMessage("the constant must be finite but was NaN");
        assertThatThrownBy(() -> Drop.columns(new String[0])).hasMessage("drop needs at least one column name");
        assertThatThrownBy(() -> Standardize.columns("a", " ")).hasMessageContaining("must not be null or blank");
        assertThatThrownBy(() -> OneHot.all().maxCategories(0)).hasMessage("maxCategories must be >= 1 but was 0");
    }

    @Test
    void transformsDescribeThemselvesCompactly() {
        assertThat(Impute.median().describe()).isEqualTo("impute(median)");
        assertThat(Impute.constant(0).columns("ZN").describe()).isEqualTo("impute(constant=0.0: ZN)");
        assertThat(Standardize.all().describe()).isEqualTo("standardize(all)");
        assertThat(Drop.columns("B").describe()).isEqualTo("drop(B)");
    }
}
