package org.mlops4j.core.train;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.transform.Standardize;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {

    private static PipelineResult regression(Trainer a) {
        return Pipeline.from(TestData.boston()).label("MEDV").drop("B").transform(Standardize.all()).train(a).run();
    }

    private static PipelineResult classification(Trainer a) {
        return Pipeline.from(TestData.iris()).label("species").transform(Standardize.all())
                .split(Split.trainTest(0.7).seed(3).stratified()).train(a).run();
    }

    @Test
    void everyRegressionAlgorithmLearnsTheHousePrices() {
        // Predicting the mean gives an RMSE near 9.2 on this data; each algorithm must do much better.
        assertThat(regression(RandomForest.regression().trees(30)).holdout().get("rmse")).isLessThan(4.5);
        assertThat(regression(DecisionTree.regression().maxDepth(6)).holdout().get("rmse")).isLessThan(6.0);
        assertThat(regression(Linear.regression().epochs(30).learningRate(0.5)).holdout().get("rmse")).isLessThan(6.5);
    }

    @Test
    void everyClassificationAlgorithmSeparatesIrises() {
        assertThat(classification(RandomForest.classification().trees(30)).holdout().get("accuracy")).isGreaterThan(0.9);
        assertThat(classification(DecisionTree.classification().maxDepth(4)).holdout().get("accuracy")).isGreaterThan(0.85);
        PipelineResult linear = classification(Linear.classification().epochs(40));
        assertThat(linear.holdout().get("accuracy")).isGreaterThan(0.85);
        assertThat(linear.predictor().classes()).containsExactly("0", "1", "2");
        Prediction p = linear.testPredictions().get(0);
        assertThat(p.scores()).containsOnlyKeys("0", "1", "2");
        assertThat(p.value()).isEqualTo(p.scores().get(p.label()));
    }

    @Test
    void theSameSeedGivesTheSameModelAndAnotherSeedAnotherModel() {
        List<Prediction> a = regression(RandomForest.regression().trees(20).seed(7)).testPredictions();
        List<Prediction> b = regression(RandomForest.regression().trees(20).seed(7)).testPredictions();
        List<Prediction> c = regression(RandomForest.regression().trees(20).seed(8)).testPredictions();

        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void featureSamplingMakesAForestInsteadOfBaggedTrees() {
        RandomForest rf = RandomForest.regression();
        assertThat(rf.effectiveFeatureFraction(12)).isEqualTo(1.0);
        assertThat(RandomForest.classification().effectiveFeatureFraction(16)).isEqualTo(4.0 / 16);
        assertThat(rf.featureFraction(0.5).effectiveFeatureFraction(12)).isEqualTo(0.5);
        List<Prediction> bagged = regression(rf.trees(10)).testPredictions();
        List<Prediction> forest = regression(rf.trees(10).featureFraction(0.5)).testPredictions();
        assertThat(forest).isNotEqualTo(bagged);
    }

    @Test
    void hyperparametersAreValidatedWhenSet() {
        assertThatThrownBy(() -> RandomForest.regression().trees(0)).hasMessage("trees must be >= 1 but was 0");
        assertThatThrownBy(() -> RandomForest.regression().featureFraction(1.5))
                .hasMessage("featureFraction must be > 0 and <= 1 but was 1.5");
        assertThatThrownBy(() -> DecisionTree.regression().maxDepth(0)).hasMessage("maxDepth must be >= 1 but was 0");
        assertThatThrownBy(() -> Linear.regression().learningRate(0)).hasMessage("learningRate must be > 0 and finite but was 0.0");
        assertThatThrownBy(() -> RandomForest.regression().minChildWeight(Double.NaN)).hasMessageContaining("minChildWeight");
    }

    @Test
    void hyperparametersAreRecordedWithStableKeys() {
        assertThat(RandomForest.regression().trees(100).seed(42).hyperparameters())
                .containsEntry("trees", "100").containsEntry("max_depth", "unlimited").containsEntry("seed", "42")
                .containsEntry("feature_fraction", "auto");
        assertThat(Linear.regression().hyperparameters()).containsOnlyKeys("epochs", "learning_rate", "minibatch", "seed");
    }
}
