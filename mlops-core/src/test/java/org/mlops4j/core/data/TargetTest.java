package org.mlops4j.core.data;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.Task;
import org.mlops4j.core.TestData;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.RandomForest;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A label that is probably not what the task needs is refused, naming the value and the fix. */
class TargetTest {

    @Test
    void aClassificationOnAContinuousLabelIsRefusedSuggestingARegression() {
        assertThatThrownBy(() -> Pipeline.from(TestData.boston()).label("MEDV").train(RandomForest.classification().trees(3)).run())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("label 'MEDV': 21.6 is not a whole number")
                .hasMessageContaining("random_forest classification would make every value a class")
                .hasMessageContaining("RandomForest.regression()").hasMessageContaining("acceptAnyClasses()");
    }

    @Test
    void aLabelWithNearlyAsManyClassesAsRowsIsRefused() {
        String[] ids = new String[40];
        double[] x = new double[40];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "customer-" + (i % 30);
            x[i] = i;
        }
        Dataset d = Dataset.builder("customers").numeric("x", x).categorical("who", ids).build();

        assertThatThrownBy(() -> Target.of(d, "who", Task.CLASSIFICATION))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("label 'who' in customers has 30 classes in 40 rows")
                .hasMessageContaining("acceptAnyClasses()");
        assertThat(Target.classesAsGiven(d, "who").classes()).hasSize(30);
        assertThat(Pipeline.from(d).label("who").acceptAnyClasses().train(DecisionTree.classification()).run().holdout().n())
                .isEqualTo(8);
    }

    @Test
    void wholeNumbersWithFewClassesAreClassesAndAcceptingAnyClassesIsForClassificationsOnly() {
        double[] y = new double[30];
        Arrays.setAll(y, i -> i % 3);
        double[] x = new double[30];
        Arrays.setAll(x, i -> i);
        Dataset d = Dataset.builder("codes").numeric("x", x).numeric("y", y).build();

        assertThat(Target.of(d, "y", Task.CLASSIFICATION).classes()).containsExactly("0", "1", "2");
        assertThatThrownBy(() -> Pipeline.from(d).label("y").acceptAnyClasses().train(DecisionTree.regression()).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("acceptAnyClasses() is for a classification label");
    }

    @Test
    void countsInMessagesAgreeWithTheirNounAndAMisspeltLabelGetsTheClosestColumn() {
        Dataset one = Dataset.builder("one").numeric("x", 1, 2, 3).numeric("y", java.util.Arrays.asList(1.0, null, 3.0)).build();
        Dataset two = Dataset.builder("two").numeric("x", 1, 2, 3).numeric("y", java.util.Arrays.asList(null, null, 3.0)).build();

        assertThatThrownBy(() -> Target.of(one, "y", Task.REGRESSION)).hasMessageContaining("(1 row lacks one)");
        assertThatThrownBy(() -> Target.of(two, "y", Task.REGRESSION)).hasMessageContaining("(2 rows lack one)");
        assertThatThrownBy(() -> Pipeline.from(TestData.boston()).label("MEDVV").train(DecisionTree.regression()).run())
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("unknown label column 'MEDVV'").hasMessageEndingWith("; did you mean 'MEDV'?");
        assertThatThrownBy(() -> one.join(two, "X", Dataset.Join.INNER)).hasMessageEndingWith("; did you mean 'x'?");
        assertThatThrownBy(() -> one.column("Y")).hasMessageEndingWith("; did you mean 'y'?");
        assertThat(org.mlops4j.core.internal.Names.count(1, "row")).isEqualTo("1 row");
        assertThat(org.mlops4j.core.internal.Names.count(0, "entry")).isEqualTo("0 entries");
        assertThat(one.toString()).startsWith("Dataset[one, 3 rows x 2 columns");
        assertThat(one.rows(new int[] {0}).toString()).contains(", 1 row x 2 columns");
        org.mlops4j.core.data.validate.Expectations e = org.mlops4j.core.data.validate.Expectations.infer(one.profile());
        assertThat(e.validate(one.rows(new int[] {0}), java.util.Set.of()).toString()).endsWith(": 1 row meets the expectations");
    }
}
