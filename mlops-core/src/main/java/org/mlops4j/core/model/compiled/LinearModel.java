package org.mlops4j.core.model.compiled;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.ArrayModel;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A compiled linear model: one row of weights per output over the trainer's features plus a bias, summed in
 * the trainer's feature order from 0.0 (then the bias), exactly as Tribuo's linear SGD models do; for
 * classification optionally followed by the softmax ({@link Normalizer#SOFTMAX}: subtract the maximum,
 * exponentiate, divide by the sum, in class order) and the first highest score in the trainer's class order.
 * Immutable and thread-safe; the primitive entry points allocate nothing.
 * {@snippet :
 * LinearModel linear = (LinearModel) Linear.regression().fit(trainingSet, TrainContext.defaults());
 * double y = linear.predictValue(readyRow);
 * }
 */
public final class LinearModel implements ArrayModel {
    /** What turns the raw scores of a classifier into its scores. */
    public enum Normalizer {
        /** The raw scores. */
        NONE,
        /** {@code exp(s - max) / Σ exp(s - max)} in class order. */
        SOFTMAX
    }

    static final int MAX_TERMS = 1 << 26;

    private final ModelSignature signature;
    private final int outputs;
    private final int terms;
    private final int[] columns;
    private final double[] weights;
    private final Normalizer normalizer;
    private final int[] classOrder;
    private final Model source;
    private final ThreadLocal<double[]> scratch;

    private LinearModel(ModelSignature signature, int[] columns, double[] weights, Normalizer normalizer, int[] classOrder,
                        Model source) {
        this.signature = signature;
        this.outputs = signature.task() == Task.REGRESSION ? 1 : signature.classes().size();
        this.columns = columns;
        this.terms = columns.length;
        this.weights = weights;
        this.normalizer = normalizer;
        this.classOrder = classOrder;
        this.source = source;
        this.scratch = signature.task() == Task.REGRESSION ? null : ThreadLocal.withInitial(() -> new double[outputs]);
    }

    /**
     * @param signature  task, features and classes
     * @param columns    for each of the trainer's features, in its order, the index of that feature in the signature
     * @param weights    per output (one for regression; one per class, indexed by class index), the weight of each
     *                   of {@code columns} then the bias: {@code outputs * (columns.length + 1)} values
     * @param normalizer classification: how scores are normalised; regression: {@link Normalizer#NONE}
     * @param classOrder classification: class indices in the trainer's order (ties go to the first); regression: null
     * @param source     the model this was compiled from, in memory only, or null
     * @return the compiled model
     * @throws IllegalArgumentException naming the first entry out of range
     */
    public static LinearModel of(ModelSignature signature, int[] columns, double[] weights, Normalizer normalizer,
                                 int[] classOrder, Model source) {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(normalizer, "normalizer");
        boolean regression = signature.task() == Task.REGRESSION;
        int width = signature.features().size();
        int k = regression ? 1 : signature.classes().size();
        check(width >= 1, "the signature has no features");
        check(columns.length >= 1 && columns.length <= MAX_TERMS, "term count " + columns.length + " is not in [1, " + MAX_TERMS + "]");
        check(k >= 1 && k <= TreeEnsemble.MAX_CLASSES, "output count " + k + " is not in [1, " + TreeEnsemble.MAX_CLASSES + "]");
        check(weights.length == (long) k * (columns.length + 1), weights.length + " weights for " + k + " outputs of "
                + columns.length + " terms and a bias");
        for (int j = 0; j < columns.length; j++) {
            check(columns[j] >= 0 && columns[j] < width, "term " + j + " reads feature " + columns[j] + ", outside the "
                    + width + " features");
        }
        if (regression) {
            check(normalizer == Normalizer.NONE && classOrder == null && signature.classes().isEmpty(),
                    "a regression model has neither classes nor a normalizer");
        } else {
            check(classOrder != null && classOrder.length == k, "classification needs the order of its " + k + " classes");
            boolean[] seen = new boolean[k];
            for (int i = 0; i < k; i++) {
                check(classOrder[i] >= 0 && classOrder[i] < k && !seen[classOrder[i]],
                        "class order entry " + i + " (" + classOrder[i] + ") is out of range or repeated");
                seen[classOrder[i]] = true;
            }
        }
        return new LinearModel(signature, columns.clone(), weights.clone(), normalizer,
                classOrder == null ? null : classOrder.clone(), source);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public String flavor() {
        return CompiledFlavor.NAME;
    }

    /** @return how a classifier's scores are normalised */
    public Normalizer normalizer() {
        return normalizer;
    }

    /** @return the model this was compiled from, while in memory (for Tribuo interop); empty once read from a bundle */
    public Optional<Model> source() {
        return Optional.ofNullable(source);
    }

    private double score(double[] x, int o, int output) {
        final int[] cols = columns;
        final double[] w = weights;
        int base = output * (terms + 1);
        double s = 0.0;
        for (int j = 0; j < cols.length; j++) {
            s += w[base + j] * x[o + cols[j]];
        }
        return s + w[base + terms] * 1.0;
    }

    @Override
    public double predictValue(double[] row) {
        requireTask(Task.REGRESSION);
        requireRow(row.length, 1);
        return score(row, 0, 0);
    }

    @Override
    public void predictValues(double[] rows, int count, double[] out) {
        requireTask(Task.REGRESSION);
        requireRow(rows.length, count);
        requireOut(out.length, count);
        int w = signature.features().size();
        for (int r = 0; r < count; r++) {
            out[r] = score(rows, r * w, 0);
        }
    }

    @Override
    public int predictClass(double[] row, double[] scores) {
        requireTask(Task.CLASSIFICATION);
        requireRow(row.length, 1);
        double[] acc = scores == null ? scratch.get() : scores;
        requireOut(acc.length, outputs);
        return classify(row, 0, acc, 0);
    }

    @Override
    public void predictClasses(double[] rows, int count, int[] classes, double[] scores) {
        requireTask(Task.CLASSIFICATION);
        requireRow(rows.length, count);
        requireOut(classes.length, count);
        if (scores != null) {
            requireOut(scores.length, (long) count * outputs);
        }
        int w = signature.features().size();
        double[] one = scores == null ? scratch.get() : null;
        for (int r = 0; r < count; r++) {
            classes[r] = scores == null ? classify(rows, r * w, one, 0) : classify(rows, r * w, scores, r * outputs);
        }
    }

    private int classify(double[] x, int o, double[] acc, int a) {
        final int k = outputs;
        final int[] order = classOrder;
        for (int c = 0; c < k; c++) {
            acc[a + c] = score(x, o, c);
        }
        if (normalizer == Normalizer.SOFTMAX) {
            double max = -Double.MAX_VALUE;
            for (int i = 0; i < k; i++) {
                double s = acc[a + order[i]];
                if (max < s) {
                    max = s;
                }
            }
            double sum = 0.0;
            for (int i = 0; i < k; i++) {
                int c = order[i];
                acc[a + c] = Math.exp(acc[a + c] - max);
                sum += acc[a + c];
            }
            for (int i = 0; i < k; i++) {
                acc[a + order[i]] /= sum;
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        int best = order[0];
        for (int i = 0; i < k; i++) {
            int c = order[i];
            if (acc[a + c] > max) {
                max = acc[a + c];
                best = c;
            }
        }
        return best;
    }

    private void requireTask(Task task) {
        if (signature.task() != task) {
            throw new IllegalStateException("this is a " + signature.task().name().toLowerCase(Locale.ROOT)
                    + " model; use " + (task == Task.REGRESSION ? "predictClass/predictClasses" : "predictValue/predictValues"));
        }
    }

    private void requireRow(int length, int count) {
        int w = signature.features().size();
        if (count < 0 || length < (long) count * w) {
            throw new IllegalArgumentException(count + " row(s) of " + w + " features " + (count == 1 ? signature.features() + " " : "")
                    + "need " + (long) count * w + " values but " + length + " were given");
        }
    }

    private static void requireOut(int length, long needed) {
        if (length < needed) {
            throw new IllegalArgumentException("the output has " + length + " places for " + needed + " values");
        }
    }

    @Override
    public List<Prediction> predict(Dataset features) {
        double[] rows = Rows.rowMajor(features, signature.features());
        int count = features.rowCount();
        List<Prediction> out = new ArrayList<>(count);
        if (signature.task() == Task.REGRESSION) {
            double[] v = new double[count];
            predictValues(rows, count, v);
            for (double x : v) {
                out.add(Prediction.ofValue(x));
            }
        } else {
            int[] c = new int[count];
            double[] s = new double[count * outputs];
            predictClasses(rows, count, c, s);
            for (int r = 0; r < count; r++) {
                out.add(Rows.classification(signature.classes(), c[r], s, r * outputs));
            }
        }
        return out;
    }

    int[] columns() {
        return columns;
    }

    double[] weights() {
        return weights;
    }

    int[] classOrder() {
        return classOrder;
    }

    @Override
    public String toString() {
        return "LinearModel[" + signature.task().name().toLowerCase(Locale.ROOT) + ", " + outputs + " output(s), " + terms
                + " terms, " + normalizer.name().toLowerCase(Locale.ROOT) + "]";
    }
}
