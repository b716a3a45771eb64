package org.mlops4j.core.model;

import org.mlops4j.core.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Model} that also predicts from primitive arrays of ready features, without allocating per
 * prediction: one row is a {@code double[]} in the order of {@link ModelSignature#features()}, a batch is
 * the rows one after another (row-major). The compiled models of
 * {@link org.mlops4j.core.model.compiled} are array models, and so are the deep flavors of mlops-djl
 * ({@code djl}, {@code onnx}, {@code quantized-dense}); a {@link Predictor} over one offers the same
 * primitive entry points for raw rows.
 *
 * <p>Regression models answer {@link #predictValue}/{@link #predictValues}; classification models answer
 * {@link #predictClass}/{@link #predictClasses}, giving the index of the class in
 * {@link ModelSignature#classes()} and, when asked, the score of every class in that order. The other
 * pair throws {@link IllegalStateException}. Every call is thread-safe.
 * {@snippet :
 * ArrayModel forest = (ArrayModel) predictor.model();
 * double price = forest.predictValue(readyRow);          // readyRow.length == forest.width()
 * double[] prices = new double[1000];
 * forest.predictValues(readyRows, 1000, prices);        // readyRows.length == 1000 * forest.width()
 * }
 */
public interface ArrayModel extends Model {

    /** @return the number of features in a row, {@code signature().features().size()} */
    default int width() {
        return signature().features().size();
    }

    /**
     * @param row ready features, at least {@link #width()} values
     * @return the predicted number
     * @throws IllegalStateException for a classification model
     */
    double predictValue(double[] row);

    /**
     * @param rows  row-major ready features, at least {@code count * width()} values
     * @param count number of rows
     * @param out   receives one predicted number per row, at least {@code count} long
     * @throws IllegalStateException for a classification model
     */
    void predictValues(double[] rows, int count, double[] out);

    /**
     * @param row    ready features, at least {@link #width()} values
     * @param scores receives the score of every class in {@link ModelSignature#classes()} order (at least
     *               that many values), or null when only the class is wanted
     * @return the index of the predicted class in {@link ModelSignature#classes()}
     * @throws IllegalStateException for a regression model
     */
    int predictClass(double[] row, double[] scores);

    /**
     * @param rows    row-major ready features, at least {@code count * width()} values
     * @param count   number of rows
     * @param classes receives the predicted class index per row, at least {@code count} long
     * @param scores  receives {@code classes().size()} scores per row (row-major), or null
     * @throws IllegalStateException for a regression model
     */
    void predictClasses(double[] rows, int count, int[] classes, double[] scores);

    /**
     * @param row ready features
     * @return the prediction as a {@link Prediction}, exactly what {@link #predict(org.mlops4j.core.data.Dataset)} gives for it
     */
    default Prediction predictRow(double[] row) {
        ModelSignature s = signature();
        if (s.task() == Task.REGRESSION) {
            return Prediction.ofValue(predictValue(row));
        }
        double[] scores = new double[s.classes().size()];
        int c = predictClass(row, scores);
        return ArrayPredictions.classification(s.classes(), c, scores, 0);
    }

    /**
     * Through {@link #predictValues} or {@link #predictClasses}, without a {@link org.mlops4j.core.data.Dataset}.
     *
     * @param rows  row-major ready features, at least {@code count * width()} values
     * @param count number of rows
     * @return one prediction per row, exactly what {@link #predictRow} gives for each
     */
    @Override
    default List<Prediction> predictRows(double[] rows, int count) {
        ModelSignature s = signature();
        if (rows.length < (long) count * width()) {
            throw new IllegalArgumentException(rows.length + " values do not hold " + count + " rows of " + width() + " features");
        }
        List<Prediction> out = new ArrayList<>(count);
        if (s.task() == Task.REGRESSION) {
            double[] v = new double[count];
            predictValues(rows, count, v);
            for (double d : v) {
                out.add(Prediction.ofValue(d));
            }
            return out;
        }
        int k = s.classes().size();
        int[] classes = new int[count];
        double[] scores = new double[count * k];
        predictClasses(rows, count, classes, scores);
        for (int r = 0; r < count; r++) {
            // each row its own k scores: a prediction kept from a large batch does not hold the batch's array
            out.add(ArrayPredictions.classification(s.classes(), classes[r], java.util.Arrays.copyOfRange(scores, r * k, r * k + k), 0));
        }
        return out;
    }
}
