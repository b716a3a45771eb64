package org.mlops4j.core.model.compiled;

import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.internal.ScoreMap;
import org.mlops4j.core.model.Prediction;

import java.util.List;

/** Ready features as row-major arrays, and primitive outputs as {@link Prediction}s. */
final class Rows {
    private Rows() {
    }

    /** The named numeric columns of a data set, row by row. */
    static double[] rowMajor(Dataset features, List<String> names) {
        int rows = features.rowCount();
        int width = names.size();
        double[] out = new double[Math.multiplyExact(rows, width)];
        for (int c = 0; c < width; c++) {
            NumericColumn col = features.numeric(names.get(c));
            for (int r = 0; r < rows; r++) {
                out[r * width + c] = col.get(r);
            }
        }
        return out;
    }

    /** A classification prediction: scores keyed by class name in the signature's (sorted) order. */
    static Prediction classification(List<String> classes, int predicted, double[] scores, int offset) {
        // array-backed: its own copy of the row's scores, so a prediction kept from a large batch does not hold the batch's array
        double[] own = java.util.Arrays.copyOfRange(scores, offset, offset + classes.size());
        return new Prediction(classes.get(predicted), own[predicted], new ScoreMap(classes, own, 0));
    }
}
