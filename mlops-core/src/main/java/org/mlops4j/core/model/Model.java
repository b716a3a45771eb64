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
     * The primitive entry point every flavor has: ready features as numbers, row-major, each row in
     * {@link ModelSignature#features()} order (numeric, complete: a {@link Predictor} guarantees it). A
     * {@link Predictor} whose raw rows are the model's ready rows calls this instead of building a
     * {@link Dataset}. The default builds one and calls {@link #predict(Dataset)}; a model that can read the
     * array directly (the compiled models, the deep-model flavors) overrides it, and must give exactly what
     * {@link #predict(Dataset)} gives for the same values.
     * {@snippet :
     * double[] rows = {6.5, 4.98, 0.006,   5.9, 9.14, 0.027};   // two rows of [RM, LSTAT, CRIM]
     * List<Prediction> p = model.predictRows(rows, 2);
     * }
     *
     * @param rows  at least {@code count * signature().features().size()} values
     * @param count number of rows
     * @return one prediction per row, in order
     * @throws IllegalArgumentException when {@code rows} holds fewer than {@code count} rows
     */
    default List<Prediction> predictRows(double[] rows, int count) {
        return predict(ModelInputs.rowsAsDataset("input", signature().features(), rows, count));
    }

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
