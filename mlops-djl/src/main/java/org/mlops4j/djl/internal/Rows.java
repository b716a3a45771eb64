package org.mlops4j.djl.internal;

import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.model.Prediction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows in, predictions out, for every engine of the module (no engine classes here). Internal: not an API. */
public final class Rows {
    private Rows() {
    }

    /**
     * @param d ready numeric features
     * @return row-major floats
     */
    public static float[] matrix(Dataset d) {
        return matrix(d, d.schema().names());
    }

    /**
     * @param d        ready numeric features: at least these columns (a predictor has already put them in this order)
     * @param features the columns, in the order wanted
     * @return row-major floats
     */
    public static float[] matrix(Dataset d, List<String> features) {
        if (!d.schema().names().equals(features)) {
            d = d.select(features);
        }
        int n = d.rowCount();
        int in = features.size();
        float[] x = new float[n * in];
        List<Column> cols = d.columns();
        for (int c = 0; c < in; c++) {
            Column col = cols.get(c);
            if (!(col instanceof NumericColumn num)) {
                throw new IllegalArgumentException("column '" + col.name() + "' is categorical; the model reads numbers");
            }
            for (int r = 0; r < n; r++) {
                x[r * in + c] = (float) num.get(r);
            }
        }
        return x;
    }

    /**
     * @param rows  row-major numbers, at least {@code count * width} values
     * @param count rows
     * @param width values per row
     * @return the same rows as floats
     * @throws IllegalArgumentException when {@code rows} is too short
     */
    public static float[] matrix(double[] rows, int count, int width) {
        if (count < 0 || rows.length < (long) count * width) {
            throw new IllegalArgumentException(rows.length + " values do not hold " + count + " rows of " + width + " features");
        }
        float[] x = new float[count * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rows[i];
        }
        return x;
    }

    /**
     * @param classes class names, in score order
     * @param scores  a non-negative score per class
     * @param sum     what the scores are divided by
     * @return the prediction: the arg-max class, its share, and every class's share
     */
    public static Prediction classified(List<String> classes, double[] scores, double sum) {
        Map<String, Double> m = new LinkedHashMap<>();
        int best = 0;
        for (int c = 0; c < scores.length; c++) {
            m.put(classes.get(c), scores[c] / sum);
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return new Prediction(classes.get(best), scores[best] / sum, m);
    }
}
