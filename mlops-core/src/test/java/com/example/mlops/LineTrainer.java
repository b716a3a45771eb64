package com.example.mlops;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainerSpec;
import org.mlops4j.core.train.TrainingSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trainer written outside mlops4j: least squares on one feature. Its model is of a kind mlops4j does
 * not know ({@link Line}, flavor {@code example-line}), stored by {@link LineFlavor}.
 *
 * @param feature the one feature to regress on
 */
public record LineTrainer(String feature) implements Trainer {

    @Override
    public TrainerSpec spec() {
        return new TrainerSpec("example_line", Task.REGRESSION, Map.of("feature", feature));
    }

    @Override
    public Model fit(TrainingSet train, TrainContext context) {
        Dataset f = train.features();
        double n = f.rowCount();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int r = 0; r < f.rowCount(); r++) {
            double x = f.numeric(feature).get(r);
            double y = train.target().value(r);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double intercept = (sy - slope * sx) / n;
        context.report("fit_rows", n, 1);
        return new Line(f.schema().names(), feature, slope, intercept);
    }

    /**
     * The fitted line.
     *
     * @param features  every feature the model was trained beside (it reads one)
     * @param feature   the feature it reads
     * @param slope     slope
     * @param intercept intercept
     */
    public record Line(List<String> features, String feature, double slope, double intercept) implements Model {

        @Override
        public ModelSignature signature() {
            return new ModelSignature(Task.REGRESSION, features, List.of());
        }

        @Override
        public String flavor() {
            return LineFlavor.NAME;
        }

        @Override
        public List<Prediction> predict(Dataset ready) {
            List<Prediction> out = new ArrayList<>(ready.rowCount());
            for (int r = 0; r < ready.rowCount(); r++) {
                out.add(Prediction.ofValue(intercept + slope * ready.numeric(feature).get(r)));
            }
            return out;
        }
    }
}
