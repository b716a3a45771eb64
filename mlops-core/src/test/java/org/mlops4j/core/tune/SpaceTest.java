package org.mlops4j.core.tune;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.train.RandomForest;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpaceTest {
    private static final Space<RandomForest> BASE = Space.of(RandomForest.regression().seed(42));

    @Test
    void aConfigurationIsTheBaseTrainerWithItsWithersApplied() {
        Space<RandomForest> s = BASE.ints("trees", RandomForest::trees, 50, 500, 50)
                .ints("max_depth", RandomForest::maxDepth, 3, 20)
                .logDoubles("min_child_weight", RandomForest::minChildWeight, 1, 20)
                .doubles("feature_fraction", RandomForest::featureFraction, 0.3, 1.0);

        RandomForest rf = s.apply(Map.of("trees", 200, "max_depth", 8, "min_child_weight", 2.5, "feature_fraction", 0.5));

        assertThat(rf).isEqualTo(RandomForest.regression().seed(42).trees(200).maxDepth(8).minChildWeight(2.5).featureFraction(0.5));
        assertThat(s.describe()).containsEntry("trees", "int[50..500/50]").containsEntry("min_child_weight", "log float[1.0..20.0]");
        assertThatThrownBy(() -> s.apply(Map.of("trees", 200))).hasMessageContaining("parameter 'max_depth' has no value");
    }

    @Test
    void everyBadSpecificationFailsAtOnceNamingTheParameter() {
        assertThatThrownBy(() -> BASE.ints("trees", RandomForest::trees, 500, 50)).hasMessage("parameter 'trees': low 500 is above high 50");
        assertThatThrownBy(() -> BASE.doubles("ff", RandomForest::featureFraction, 0.5, 0.5)).hasMessageContaining("parameter 'ff'")
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> BASE.logDoubles("mcw", RandomForest::minChildWeight, 0, 10))
                .hasMessage("parameter 'mcw': a log range needs low > 0 but low was 0.0");
        assertThatThrownBy(() -> BASE.logInts("trees", RandomForest::trees, -1, 10)).hasMessageContaining("parameter 'trees': a log range");
        assertThatThrownBy(() -> BASE.ints("trees", RandomForest::trees, 1, 10).ints("trees", RandomForest::trees, 1, 5))
                .hasMessage("parameter 'trees' is already in the space; each parameter once");
        assertThatThrownBy(() -> BASE.ints("trees", RandomForest::trees, 1, 10, 0)).hasMessageContaining("parameter 'trees': step");
        assertThatThrownBy(() -> BASE.doubles("ff", RandomForest::featureFraction, 0.1, 1, -0.1)).hasMessageContaining("parameter 'ff': step");
        assertThatThrownBy(() -> BASE.choice("depth", RandomForest::maxDepth, List.<Integer>of())).hasMessageContaining("parameter 'depth': a choice");
        assertThatThrownBy(() -> BASE.choice("depth", RandomForest::maxDepth, List.of(3, 3))).hasMessageContaining("repeat a value");
        assertThatThrownBy(() -> BASE.doubles("ff", RandomForest::featureFraction, 0.1, Double.POSITIVE_INFINITY))
                .hasMessageContaining("must be finite");
        assertThatThrownBy(() -> BASE.ints("trees", RandomForest::trees, 1, 5).when("mode", "x"))
                .hasMessageContaining("its condition names 'mode', which is not a parameter added before it");
        assertThatThrownBy(() -> BASE.choice("mode", (RandomForest rf, String m) -> rf, List.of("a", "b"))
                .ints("trees", RandomForest::trees, 1, 5).when("mode", "c")).hasMessageContaining("'mode' never takes c");
        assertThatThrownBy(() -> BASE.when("x", 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aConditionalParameterIsSetOnlyWhenItsParentHasOneOfItsValues() {
        Space<RandomForest> s = BASE.choice("sampling", (RandomForest rf, String m) -> m.equals("all") ? rf.featureFraction(1.0) : rf,
                        List.of("all", "some"))
                .doubles("feature_fraction", RandomForest::featureFraction, 0.2, 0.9).when("sampling", "some");

        assertThat(s.apply(Map.of("sampling", "all")).featureFraction()).isEqualTo(1.0);
        assertThat(s.apply(Map.of("sampling", "some", "feature_fraction", 0.4)).featureFraction()).isEqualTo(0.4);
        assertThat(s.describe().get("feature_fraction")).endsWith("when sampling in [some]");
    }

    @Test
    void aStepBeyondTheRangeOrAConditionTheParentCanNeverMeetFailsNamingBoth() {
        assertThatThrownBy(() -> BASE.ints("trees", RandomForest::trees, 1, 5, 10))
                .hasMessage("parameter 'trees': step 10 is larger than the range 1..5, so only 1 would ever be tried;"
                        + " lower the step or widen the range");
        assertThatThrownBy(() -> BASE.doubles("ff", RandomForest::featureFraction, 0.1, 0.2, 0.5))
                .hasMessageContaining("parameter 'ff': step 0.5 is larger than the range [0.1, 0.2]");
        assertThat(BASE.ints("trees", RandomForest::trees, 5, 5, 10).names()).as("one fixed value is not a mistake").containsExactly("trees");

        Space<RandomForest> depth = BASE.ints("max_depth", RandomForest::maxDepth, 2, 10, 2);
        assertThatThrownBy(() -> depth.ints("trees", RandomForest::trees, 1, 5).when("max_depth", "4"))
                .hasMessage("parameter 'trees': 'max_depth' never takes '4'; it takes the ints 2..10 in steps of 2");
        assertThatThrownBy(() -> depth.ints("trees", RandomForest::trees, 1, 5).when("max_depth", 4L))
                .hasMessageContaining("'max_depth' never takes 4 (Long)");
        assertThatThrownBy(() -> depth.ints("trees", RandomForest::trees, 1, 5).when("max_depth", 12))
                .hasMessageContaining("'max_depth' never takes 12 (Integer)");
        assertThatThrownBy(() -> depth.ints("trees", RandomForest::trees, 1, 5).when("max_depth", 3))
                .hasMessageContaining("'max_depth' never takes 3 (Integer)");
        assertThat(depth.ints("trees", RandomForest::trees, 1, 5).when("max_depth", 4, 10).describe().get("trees"))
                .endsWith("when max_depth in [4, 10]");

        assertThatThrownBy(() -> BASE.doubles("ff", RandomForest::featureFraction, 0.2, 0.9).ints("trees", RandomForest::trees, 1, 5)
                .when("ff", 0.5)).hasMessageContaining("'ff' is a continuous float range");
        Space<RandomForest> stepped = BASE.doubles("ff", RandomForest::featureFraction, 0.1, 0.9, 0.1);
        assertThat(stepped.ints("trees", RandomForest::trees, 1, 5).when("ff", 0.3).names()).contains("trees");
        assertThatThrownBy(() -> stepped.ints("trees", RandomForest::trees, 1, 5).when("ff", 0.35))
                .hasMessageContaining("'ff' never takes 0.35 (Double); it takes the floats 0.1..0.9 in steps of 0.1");
        assertThatThrownBy(() -> stepped.ints("trees", RandomForest::trees, 1, 5).when("ff", 1))
                .hasMessageContaining("'ff' never takes 1 (Integer)");
    }

    @Test
    void aNameThatCannotBeATrackedParamIsRefusedWhenTheSpaceIsMadeNotMidStudy() {
        for (String bad : List.of("a'b", "<script>", "x=y", "tab\tname", "a".repeat(101), "-lead", ".hidden")) {
            assertThatThrownBy(() -> BASE.ints(bad, RandomForest::trees, 1, 5)).as(bad)
                    .hasMessage("parameter '" + bad + "': a name is 1-100 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        assertThat(BASE.ints("min_child_weight.v2-b", RandomForest::trees, 1, 5).names()).containsExactly("min_child_weight.v2-b");
    }
}
