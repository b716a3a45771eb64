package org.mlops4j.core.internal.tribuo;

import org.mlops4j.core.Task;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.tck.ModelFlavorCompatibilityKit;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;

/** The tribuo flavor passes the model-flavor contract (its golden bundle is GoldenBundleTest's). */
class TribuoFlavorTest extends ModelFlavorCompatibilityKit {
    private static final Dataset DATA = TestData.boston().load();
    private static final Dataset FEATURES = DATA.drop("B", "MEDV");
    /** The trainers return compiled models; the Tribuo model they were compiled from is what this flavor writes. */
    private static final Model MODEL = TribuoFits.tribuoSource(RandomForest.regression().trees(5).seed(3)
            .fit(new TrainingSet(FEATURES, Target.of(DATA, "MEDV", Task.REGRESSION)), TrainContext.defaults()));

    @Override
    protected Model model() {
        return MODEL;
    }

    @Override
    protected Dataset readyFeatures() {
        return FEATURES;
    }
}
