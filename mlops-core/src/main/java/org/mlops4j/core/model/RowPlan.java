package org.mlops4j.core.model;

import org.mlops4j.core.transform.Drop;
import org.mlops4j.core.transform.FittedTransform;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Log1p;
import org.mlops4j.core.transform.MinMax;
import org.mlops4j.core.transform.Select;
import org.mlops4j.core.transform.Standardize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A fitted chain of numeric steps compiled into a plan over one primitive row: what lets a {@link Predictor} over
 * an {@link ArrayModel} skip the {@link org.mlops4j.core.data.Dataset} of the checked path for rows that cannot
 * fail. It knows the built-in steps that map numbers to numbers column by column ({@link Impute}, {@link Standardize},
 * {@link MinMax}, {@link Log1p}) and those that only remove or reorder columns ({@link Drop}, {@link Select}); a
 * chain with any other step (a {@code OneHot}, a step of another module) or one that the checked path would refuse
 * on every row (a step naming a column that is not there) has no plan, and {@link #compile} gives null.
 *
 * <p>Each step computes exactly what its {@code apply} computes, in the same order and with the same operations
 * ({@code (x - center) / scale}, {@link Math#log1p}), so a row's ready features are equal, bit for bit, to those of
 * the checked path. A row that the checked path would refuse or treat differently (a log1p argument of -1 or less,
 * a step giving an infinite value, a feature still missing at the end) makes {@link #ready} answer false, and the
 * caller takes the checked path, which raises the usual error naming the row and column.
 * <pre>{@code
 * RowPlan plan = RowPlan.compile(inputSchema.names(), transforms, model.signature().features());   // null: no plan
 * double[] ready = new double[plan.featureCount()];
 * if (plan.ready(raw, 0, ready, 0, new double[plan.inputCount()])) {
 *     double price = arrayModel.predictValue(ready);
 * }                                                  // else: the checked path
 * }</pre>
 */
final class RowPlan {
    private static final byte FILL = 0;
    private static final byte AFFINE = 1;
    private static final byte LOG1P = 2;

    private final int inputs;
    private final byte[] op;
    private final int[] slot;
    private final double[] a;
    private final double[] b;
    /** The slot each of the model's features is read from, in feature order. */
    private final int[] feature;

    private RowPlan(int inputs, List<Step> steps, int[] feature) {
        this.inputs = inputs;
        int n = steps.size();
        this.op = new byte[n];
        this.slot = new int[n];
        this.a = new double[n];
        this.b = new double[n];
        for (int i = 0; i < n; i++) {
            Step s = steps.get(i);
            op[i] = s.op;
            slot[i] = s.slot;
            a[i] = s.a;
            b[i] = s.b;
        }
        this.feature = feature;
    }

    private record Step(byte op, int slot, double a, double b) {
    }

    /**
     * @param inputNames the raw input columns, in row order
     * @param chain      the fitted steps
     * @param features   the model's features, in order
     * @return the plan, or null when a step is not one it knows or the chain cannot give those features
     */
    static RowPlan compile(List<String> inputNames, List<? extends FittedTransform> chain, List<String> features) {
        if (inputNames.isEmpty() || features.isEmpty()) {
            return null;
        }
        // the columns of the data set between steps, in order, each with the slot of the row that holds it
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (String name : inputNames) {
            if (columns.put(name, columns.size()) != null) {
                return null;
            }
        }
        List<Step> steps = new ArrayList<>();
        for (FittedTransform t : chain) {
            switch (t) {
                case Impute.Fitted f -> {
                    for (Map.Entry<String, Integer> c : columns.entrySet()) {
                        Double fill = f.numeric().get(c.getKey());
                        if (fill != null) {
                            steps.add(new Step(FILL, c.getValue(), fill, 0));
                        }
                    }
                }
                case Standardize.Fitted f -> {
                    if (!affine(columns, f.scales(), steps)) {
                        return null;
                    }
                }
                case MinMax.Fitted f -> {
                    if (!affine(columns, f.scales(), steps)) {
                        return null;
                    }
                }
                case Log1p.Fitted f -> {
                    for (String name : new LinkedHashSet<>(f.columns())) {
                        Integer s = columns.get(name);
                        if (s == null) {
                            return null;
                        }
                        steps.add(new Step(LOG1P, s, 0, 0));
                    }
                }
                case Drop.Fitted f -> f.columns().forEach(columns::remove);
                case Select.Fitted f -> {
                    Map<String, Integer> kept = new LinkedHashMap<>();
                    for (String name : f.columns()) {
                        Integer s = columns.get(name);
                        if (s == null) {
                            return null;
                        }
                        kept.put(name, s);
                    }
                    columns = kept;
                }
                default -> {
                    return null;
                }
            }
        }
        int[] feature = new int[features.size()];
        for (int i = 0; i < feature.length; i++) {
            Integer s = columns.get(features.get(i));
            if (s == null) {
                return null;
            }
            feature[i] = s;
        }
        return new RowPlan(inputNames.size(), steps, feature);
    }

    private static boolean affine(Map<String, Integer> columns, Map<String, Standardize.Scale> scales, List<Step> steps) {
        for (String name : scales.keySet()) {
            if (!columns.containsKey(name)) {
                return false;
            }
        }
        for (Map.Entry<String, Integer> c : columns.entrySet()) {
            Standardize.Scale s = scales.get(c.getKey());
            if (s != null) {
                steps.add(new Step(AFFINE, c.getValue(), s.center(), s.scale()));
            }
        }
        return true;
    }

    /** @return the number of raw values a row has */
    int inputCount() {
        return inputs;
    }

    /** @return the number of ready features a row gives */
    int featureCount() {
        return feature.length;
    }

    /**
     * @param raw     raw rows
     * @param from    where the row starts in {@code raw}
     * @param ready   receives {@link #featureCount()} ready features
     * @param to      where they start in {@code ready}
     * @param scratch at least {@link #inputCount()} values, overwritten
     * @return false when the checked path must take this row (and {@code ready} holds nothing of use)
     */
    boolean ready(double[] raw, int from, double[] ready, int to, double[] scratch) {
        System.arraycopy(raw, from, scratch, 0, inputs);
        byte[] op = this.op;
        int[] slot = this.slot;
        for (int i = 0; i < op.length; i++) {
            int s = slot[i];
            double v = scratch[s];
            switch (op[i]) {
                case FILL -> {
                    if (Double.isNaN(v)) {
                        scratch[s] = a[i];
                    }
                }
                case AFFINE -> {
                    v = (v - a[i]) / b[i];
                    if (Double.isInfinite(v)) {
                        return false;      // the checked path refuses an infinite value between steps
                    }
                    scratch[s] = v;
                }
                default -> {
                    if (v <= -1) {
                        return false;      // undefined: the checked path names the row and value
                    }
                    scratch[s] = Math.log1p(v);
                }
            }
        }
        int[] feature = this.feature;
        for (int f = 0; f < feature.length; f++) {
            double v = scratch[feature[f]];
            if (!Double.isFinite(v)) {
                return false;              // still missing: the checked path says which column
            }
            ready[to + f] = v;
        }
        return true;
    }

    /**
     * @param raw   row-major raw rows, {@code count * inputCount()} values
     * @param count number of rows
     * @return their ready features, row-major, or null when any row must take the checked path
     */
    double[] readyRows(double[] raw, int count) {
        int w = feature.length;
        double[] ready = new double[count * w];
        double[] scratch = new double[inputs];
        for (int r = 0; r < count; r++) {
            if (!ready(raw, r * inputs, ready, r * w, scratch)) {
                return null;
            }
        }
        return ready;
    }
}
