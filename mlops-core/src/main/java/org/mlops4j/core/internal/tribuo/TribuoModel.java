package org.mlops4j.core.internal.tribuo;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted Tribuo model as an mlops4j {@link Model} (flavor {@code tribuo}). Immutable; Tribuo models are
 * thread-safe for prediction. Internal: not an API.
 *
 * <pre>{@code
 * Model model = result.model();                       // from a pipeline that trained with Tribuo
 * if (model instanceof TribuoModel t) {
 *     org.tribuo.Model<?> tribuo = t.tribuoModel();    // for Tribuo interop
 * }
 * List<Prediction> p = model.predict(features);
 * }</pre>
 */
public final class TribuoModel implements Model {
    private final ModelSignature signature;
    private final org.tribuo.Model<?> model;

    TribuoModel(Task task, org.tribuo.Model<?> model, List<String> features, List<String> classes) {
        this.signature = new ModelSignature(task, features, classes);
        this.model = model;
    }

    /** @return the Tribuo model (for mlops4j's own compilers and flavors) */
    public org.tribuo.Model<?> tribuoModel() {
        return model;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public String flavor() {
        return TribuoFlavor.NAME;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public List<Prediction> predict(Dataset features) {
        Task task = signature.task();
        String[] names = features.schema().names().toArray(new String[0]);
        double[][] cols = TribuoFits.columns(features);
        List<Example> examples = new ArrayList<>(features.rowCount());
        for (int r = 0; r < features.rowCount(); r++) {
            examples.add(task == Task.REGRESSION
                    ? new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, TribuoFits.row(cols, r))
                    : new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, TribuoFits.row(cols, r)));
        }
        List<org.tribuo.Prediction> raw = ((org.tribuo.Model) model).predict((Iterable) examples);
        List<Prediction> out = new ArrayList<>(raw.size());
        for (org.tribuo.Prediction p : raw) {
            if (task == Task.REGRESSION) {
                out.add(Prediction.ofValue(((Regressor) p.getOutput()).getValues()[0]));
            } else {
                Label label = (Label) p.getOutput();
                Map<String, Double> scores = new LinkedHashMap<>();
                Map<String, Label> all = p.getOutputScores();
                all.keySet().stream().sorted().forEach(k -> scores.put(k, all.get(k).getScore()));
                double score = scores.getOrDefault(label.getLabel(), label.getScore());
                out.add(new Prediction(label.getLabel(), score, scores));
            }
        }
        return out;
    }

    /** Tribuo's own feature ranking ({@code getTopFeatures}), summed over outputs; empty when Tribuo gives none. */
    @Override
    public java.util.Map<String, Double> featureImportance() {
        try {
            java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
            java.util.Map<String, ? extends java.util.List<? extends com.oracle.labs.mlrg.olcut.util.Pair<String, Double>>> top =
                    model.getTopFeatures(-1);
            for (java.util.List<? extends com.oracle.labs.mlrg.olcut.util.Pair<String, Double>> list : top.values()) {
                for (com.oracle.labs.mlrg.olcut.util.Pair<String, Double> p : list) {
                    if (p.getB() != null && Double.isFinite(p.getB())) {
                        out.merge(p.getA(), Math.abs(p.getB()), Double::sum);
                    }
                }
            }
            return out;
        } catch (RuntimeException e) {
            return java.util.Map.of();
        }
    }

    @Override
    public String toString() {
        return "TribuoModel[" + model.getClass().getSimpleName() + ", " + signature.task() + ", " + signature.features().size()
                + " features]";
    }
}
