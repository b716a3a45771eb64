package org.mlops4j.core.train;

import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelInputs;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.transform.FittedTransform;
import org.mlops4j.core.transform.Transform;

import java.util.ArrayList;
import java.util.List;

/**
 * Preprocessing fitted on training rows and the model trained after it: the unit the pipeline fits for
 * the holdout and again for every cross-validation fold, so no test row ever reaches a fitted statistic.
 * Immutable and thread-safe.
 * {@snippet :
 * FittedChain fitted = FittedChain.fit(List.of(Impute.median(), Standardize.all()), RandomForest.regression(),
 *         trainFeatures, trainTarget, TrainContext.defaults());
 * List<Prediction> predictions = fitted.predict(testFeatures);
 * }
 *
 * @param transforms the fitted chain, in order
 * @param model      the model trained on the chain's output
 */
public record FittedChain(List<FittedTransform> transforms, Model model) {

    /** Copies the chain. */
    public FittedChain {
        transforms = List.copyOf(transforms);
    }

    /**
     * Fits each transform on the output of the previous one, checks that the result is ready for a
     * model, and trains.
     *
     * @param transforms    unfitted transforms, in order
     * @param trainer       the trainer
     * @param rawFeatures   raw training features
     * @param target        their target, row for row
     * @param context       for the trainer
     * @return the fitted chain and model
     */
    public static FittedChain fit(List<? extends Transform> transforms, Trainer trainer, Dataset rawFeatures, Target target,
                                  TrainContext context) {
        List<FittedTransform> chain = new ArrayList<>(transforms.size());
        Dataset d = rawFeatures;
        for (Transform t : transforms) {
            FittedTransform f = t.fit(d);
            chain.add(f);
            d = f.apply(d);
        }
        ModelInputs.requireReady(d, "add Impute (e.g. transform(Impute.median())) before training, or drop the column", true);
        return new FittedChain(chain, trainer.fit(new TrainingSet(d, target), context));
    }

    /**
     * @param rawFeatures raw features, as the chain was fitted on
     * @return one prediction per row
     */
    public List<Prediction> predict(Dataset rawFeatures) {
        Dataset ready = ModelInputs.align(FittedTransform.applyAll(transforms, rawFeatures), model.signature().features());
        ModelInputs.requireReady(ready, "expected a value (the model has no imputation for this column)", false);
        return model.predict(ready);
    }
}
