package com.example.mlops;

import org.junit.jupiter.api.Nested;
import org.mlops4j.core.Task;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.tck.ModelFlavorCompatibilityKit;
import org.mlops4j.core.tck.TrainerCompatibilityKit;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainingSet;

/** The outside trainer and flavor pass the same contract kits as mlops4j's own. */
class LineContractsTest {
    private static final Dataset DATA = TestData.boston().load();
    private static final TrainingSet TRAIN = new TrainingSet(DATA.select("LSTAT", "RM"), Target.of(DATA, "MEDV", Task.REGRESSION));

    @Nested
    class Trainers extends TrainerCompatibilityKit {
        @Override
        protected Trainer trainer() {
            return new LineTrainer("LSTAT");
        }

        @Override
        protected TrainingSet trainingSet() {
            return TRAIN;
        }
    }

    @Nested
    class Flavor extends ModelFlavorCompatibilityKit {
        @Override
        protected Model model() {
            return new LineTrainer("RM").fit(TRAIN, TrainContext.defaults());
        }

        @Override
        protected Dataset readyFeatures() {
            return TRAIN.features();
        }
    }
}
