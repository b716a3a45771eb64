package org.mlops4j.core.train;

import org.junit.jupiter.api.Nested;
import org.mlops4j.core.Task;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.tck.TrainerCompatibilityKit;

/** Every built-in trainer passes the trainer contract, for both tasks. */
class BuiltInTrainersTest {
    private static final Dataset BOSTON = TestData.boston().load();
    private static final TrainingSet HOUSES = new TrainingSet(BOSTON.drop("B", "MEDV"), Target.of(BOSTON, "MEDV", Task.REGRESSION));
    private static final Dataset IRIS = TestData.iris().load();
    private static final TrainingSet IRISES = new TrainingSet(IRIS.drop("species"), Target.of(IRIS, "species", Task.CLASSIFICATION));

    @Nested
    class ForestRegression extends TrainerCompatibilityKit {
        @Override
        protected Trainer trainer() {
            return RandomForest.regression().trees(8).seed(5);
        }

        @Override
        protected TrainingSet trainingSet() {
            return HOUSES;
        }
    }

    @Nested
    class ForestClassification extends TrainerCompatibilityKit {
        @Override
        protected Trainer trainer() {
            return RandomForest.classification().trees(8).seed(5);
        }

        @Override
        protected TrainingSet trainingSet() {
            return IRISES;
        }
    }

    @Nested
    class TreeRegression extends TrainerCompatibilityKit {
        @Override
        protected Trainer trainer() {
            return DecisionTree.regression().maxDepth(5);
        }

        @Override
        protected TrainingSet trainingSet() {
            return HOUSES;
        }
    }

    @Nested
    class LinearClassification extends TrainerCompatibilityKit {
        @Override
        protected Trainer trainer() {
            return Linear.classification().epochs(5);
        }

        @Override
        protected TrainingSet trainingSet() {
            return IRISES;
        }
    }
}
