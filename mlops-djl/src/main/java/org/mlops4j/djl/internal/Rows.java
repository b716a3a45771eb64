package org.mlops4j.djl.internal;

import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.Task;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.quant.Kernels;

import java.util.List;
import java.util.Locale;

/**
 * Rows in, arrays out, for every engine of the module (no engine classes here). Internal: not an API.
 *
 * <pre>{@code
 * float[] x = Rows.matrix(features);                  // row-major, features.columnCount() per row
 * Rows.requireRows(signature, x.length, features.rowCount());
 * }</pre>
 */
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
        double[] v = doubles(d, features);
        float[] x = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = (float) v[i];
        }
        return x;
    }

    /**
     * @param d        ready numeric features: at least these columns
     * @param features the columns, in the order wanted
     * @return the rows one after another (row-major), as the primitive entry points take them
     */
    public static double[] doubles(Dataset d, List<String> features) {
        if (!d.schema().names().equals(features)) {
            d = d.select(features);
        }
        int n = d.rowCount();
        int in = features.size();
        double[] x = new double[n * in];
        List<Column> cols = d.columns();
        for (int c = 0; c < in; c++) {
            Column col = cols.get(c);
            if (!(col instanceof NumericColumn num)) {
                throw new IllegalArgumentException("column '" + col.name() + "' is categorical; the model reads numbers");
            }
            for (int r = 0; r < n; r++) {
                x[r * in + c] = num.get(r);
            }
        }
        return x;
    }

    /**
     * The {@code double} to {@code float} copy and the standardization in one pass: {@code into[i]} is
     * {@code ((float) rows[from + i] - mean[c]) / scale[c]}, the same float operations as standardizing floats
     * in place, so the same bits.
     *
     * @param rows  row-major numbers
     * @param from  index of the first value to read
     * @param count rows to read
     * @param mean  one mean per column
     * @param scale one scale per column
     * @param into  receives {@code count * mean.length} values from index 0
     */
    public static void standardize(double[] rows, int from, int count, float[] mean, float[] scale, float[] into) {
        // mlops-quant's kernel: the divisions in vectors where the Vector API runs, the same bits either way (its
        // narrowing stays a plain loop: a vector conversion there boxed inside this call chain, see PanamaKernels)
        KERNELS.standardize(rows, from, count, mean, scale, into, 0);
    }

    private static final Kernels KERNELS = Kernels.best();

    /**
     * @param s    the model's signature
     * @param task what the caller asked for
     * @throws IllegalStateException when the model does the other task
     */
    public static void requireTask(ModelSignature s, Task task) {
        if (s.task() != task) {
            throw new IllegalStateException("this is a " + s.task().name().toLowerCase(Locale.ROOT) + " model; use "
                    + (task == Task.REGRESSION ? "predictClass/predictClasses" : "predictValue/predictValues"));
        }
    }

    /**
     * @param s      the model's signature
     * @param length values given
     * @param count  rows asked for
     * @throws IllegalArgumentException when they do not hold {@code count} rows
     */
    public static void requireRows(ModelSignature s, int length, int count) {
        int w = s.features().size();
        if (count < 0 || length < (long) count * w) {
            throw new IllegalArgumentException(length + " values do not hold " + count + " rows of " + w + " features");
        }
    }

    /**
     * @param length places in an output array
     * @param needed values to be written
     * @throws IllegalArgumentException when there are too few places
     */
    public static void requireOut(int length, long needed) {
        if (length < needed) {
            throw new IllegalArgumentException("the output has " + length + " places for " + needed + " values");
        }
    }
}
