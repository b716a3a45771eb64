package org.mlops4j.core.model;

import org.mlops4j.core.data.Dataset;

import java.util.List;
import java.util.Map;

/**
 * A trained model: immutable, thread-safe, and able to predict from features that are ready (numeric,
 * complete, in the order of {@link ModelSignature#features()}). Raw rows go through a {@link Predictor},
 * which applies the fitted preprocessing first. A model is written into a bundle by the
 * {@link org.mlops4j.core.model.spi.ModelFlavor} its {@link #flavor()} names, and read back by the same.
 *
 * <p>mlops-core's trainers train with Tribuo and return the compiled form of what Tribuo trained
 * ({@link org.mlops4j.core.model.compiled.TreeEnsemble}, {@link org.mlops4j.core.model.compiled.LinearModel},
 * flavor {@code compiled}; bundles of the older {@code tribuo} flavor still load); other modules add their own
 * kinds (a DJL network, an ONNX graph) with a trainer and a flavor of their own.
 * {@snippet :
 * Model model = RandomForest.regression().fit(trainingSet, TrainContext.defaults());
 * model.signature().features();                // [CRIM, ZN, ...]
 * List<Prediction> p = model.predict(readyFeatures);
 * }
 */
public interface Model {

    /** @return the task, the features the model reads and the classes it knows */
    ModelSignature signature();

    /** @return the name of the {@link org.mlops4j.core.model.spi.ModelFlavor} that stores this model */
    String flavor();

    /**
     * @param features ready features: at least the columns of {@link ModelSignature#features()}, numeric and
     *                 complete (a {@link Predictor} guarantees it)
     * @return one prediction per row, in order
     */
    List<Prediction> predict(Dataset features);

    /**
     * The model's own view of which features matter (for tree models, how much each feature's splits reduce
     * impurity), for model cards; larger is more important. Model-agnostic permutation importance is computed by
     * the card itself.
     *
     * @return feature name to importance, or empty when the model has no such notion (the default)
     */
    default Map<String, Double> featureImportance() {
        return Map.of();
    }
}
