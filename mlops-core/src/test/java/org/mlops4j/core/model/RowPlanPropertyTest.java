package org.mlops4j.core.model;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.ColumnType;
import org.mlops4j.core.data.Schema;
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
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random chains of the built-in numeric steps over random rows: a predictor whose chain compiles to a
 * {@link RowPlan} gives what the same chain gives on the checked path (hidden behind wrappers the plan does not
 * know), value for value and error for error, on every primitive entry point. The model is a weighted sum whose
 * {@code predict(Dataset)} and array entry points compute the same numbers, so any difference is the plan's.
 */
class RowPlanPropertyTest {
    private static final int CHAINS = 300;

    /** sum of w[i] * x[i] over the features, the same on every entry point. */
    private record WeightedSum(List<String> features, double[] w) implements ArrayModel {
        @Override
        public ModelSignature signature() {
            return new ModelSignature(Task.REGRESSION, features, List.of());
        }

        @Override
        public String flavor() {
            return "test-weighted-sum";
        }

        @Override
        public List<Prediction> predict(Dataset data) {
            List<Prediction> out = new ArrayList<>();
            for (int r = 0; r < data.rowCount(); r++) {
                double[] row = new double[features.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = data.numeric(features.get(c)).get(r);
                }
                out.add(Prediction.ofValue(predictValue(row)));
            }
            return out;
        }

        @Override
        public double predictValue(double[] row) {
            double s = 0;
            for (int i = 0; i < w.length; i++) {
                s += w[i] * row[i];
            }
            return s;
        }

        @Override
        public void predictValues(double[] rows, int count, double[] out) {
            double[] row = new double[w.length];
            for (int r = 0; r < count; r++) {
                System.arraycopy(rows, r * w.length, row, 0, w.length);
                out[r] = predictValue(row);
            }
        }

        @Override
        public int predictClass(double[] row, double[] scores) {
            throw new IllegalStateException("regression");
        }

        @Override
        public void predictClasses(double[] rows, int count, int[] classes, double[] scores) {
            throw new IllegalStateException("regression");
        }
    }

    private record Opaque(FittedTransform step) implements FittedTransform {
        @Override
        public Dataset apply(Dataset data) {
            return step.apply(data);
        }
    }

    private static List<String> some(Random rnd, List<String> from, int atLeast) {
        List<String> out = new ArrayList<>();
        for (String s : from) {
            if (rnd.nextInt(3) == 0) {
                out.add(s);
            }
        }
        while (out.size() < atLeast && !from.isEmpty()) {
            out.add(from.get(rnd.nextInt(from.size())));
        }
        return out;
    }

    private static double value(Random rnd) {
        return switch (rnd.nextInt(11)) {
            case 0 -> Double.NaN;
            case 1 -> -1 - rnd.nextDouble();                 // refused by log1p
            case 10 -> -1.0;                                 // refused too: log1p(-1) is -infinity
            case 2 -> rnd.nextGaussian() * 1e300;            // overflows a narrow scale
            default -> rnd.nextGaussian() * 10;
        };
    }

    /** A random chain over the columns; it also tracks the columns left, so the model reads what is there (or not). */
    private static List<FittedTransform> chain(Random rnd, List<String> inputs, List<String> left, List<String> dropped) {
        List<String> cols = new ArrayList<>(inputs);
        List<FittedTransform> chain = new ArrayList<>();
        int steps = rnd.nextInt(6);
        for (int s = 0; s < steps; s++) {
            List<String> pick = some(rnd, cols, 1);
            switch (rnd.nextInt(6)) {
                case 0 -> {
                    Map<String, Double> fill = new LinkedHashMap<>();
                    pick.forEach(c -> fill.put(c, rnd.nextGaussian()));
                    chain.add(new Impute.Fitted(fill, Map.of()));
                }
                case 1, 2 -> {
                    Map<String, Standardize.Scale> scales = new LinkedHashMap<>();
                    pick.forEach(c -> scales.put(c, new Standardize.Scale(rnd.nextGaussian() * 3,
                            rnd.nextInt(8) == 0 ? 1e-300 : 0.1 + rnd.nextDouble() * 5)));
                    if (rnd.nextInt(20) == 0) {
                        scales.put("nowhere", new Standardize.Scale(0, 1));   // the checked path refuses every row
                    }
                    chain.add(rnd.nextBoolean() ? new Standardize.Fitted(scales) : new MinMax.Fitted(scales));
                }
                case 3 -> chain.add(new Log1p.Fitted(pick));
                case 4 -> {
                    if (cols.size() > 1) {
                        List<String> gone = pick.subList(0, Math.min(pick.size(), cols.size() - 1));
                        chain.add(new Drop.Fitted(gone));
                        dropped.addAll(gone);
                        cols.removeAll(gone);
                    }
                }
                default -> {
                    List<String> kept = new ArrayList<>(new LinkedHashSet<>(pick));
                    java.util.Collections.shuffle(kept, rnd);
                    chain.add(new Select.Fitted(kept));
                    cols = kept;
                }
            }
        }
        left.addAll(cols);
        return chain;
    }

    private static Object outcome(java.util.concurrent.Callable<?> call) {
        try {
            Object o = call.call();
            if (o instanceof double[] d) {
                return java.util.Arrays.toString(d);
            }
            return o;
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    @Test
    void randomChainsGiveWhatTheCheckedPathGives() {
        Random rnd = new Random(20261206L);
        int planned = 0;
        int fastRows = 0;
        for (int t = 0; t < CHAINS; t++) {
            int width = 2 + rnd.nextInt(5);
            List<String> inputs = new ArrayList<>();
            for (int c = 0; c < width; c++) {
                inputs.add("x" + c);
            }
            List<String> left = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            List<FittedTransform> chain = chain(rnd, inputs, left, dropped);
            List<String> features = new ArrayList<>(left);
            if (rnd.nextInt(10) == 0) {
                features.add(inputs.get(rnd.nextInt(width)));     // perhaps dropped: the model needs what is not there
            } else if (!dropped.isEmpty() && rnd.nextInt(3) == 0) {
                features.add(dropped.get(rnd.nextInt(dropped.size())));   // surely not there (unless selected again)
            }
            features = new ArrayList<>(new LinkedHashSet<>(features));
            java.util.Collections.shuffle(features, rnd);
            double[] w = new double[features.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = rnd.nextGaussian();
            }
            WeightedSum model = new WeightedSum(features, w);
            List<Schema.Field> fields = new ArrayList<>();
            for (String name : inputs) {
                fields.add(new Schema.Field(name, ColumnType.NUMERIC, true));
            }
            Schema input = new Schema(fields);
            Predictor mine = Predictor.of(model, chain, input);
            Predictor reference = Predictor.of(model, chain.stream().<FittedTransform>map(Opaque::new).toList(), input);
            if (!chain.isEmpty() && RowPlan.compile(inputs, chain, features) != null) {
                planned++;
            }
            double[] batch = new double[20 * width];
            for (int r = 0; r < 20; r++) {
                double[] row = new double[width];
                for (int c = 0; c < width; c++) {
                    row[c] = rnd.nextInt(3) == 0 ? value(rnd) : rnd.nextGaussian() * 10;
                }
                System.arraycopy(row, 0, batch, r * width, width);
                String what = "chain " + t + " " + chain.stream().map(FittedTransform::describe).toList() + " features "
                        + features + " row " + java.util.Arrays.toString(row);
                Object expected = outcome(() -> reference.predict(row));
                assertThat(outcome(() -> mine.predict(row))).as(what).isEqualTo(expected);
                assertThat(outcome(() -> mine.predictValues(row))).as(what).isEqualTo(outcome(() -> reference.predictValues(row)));
                if (!(expected instanceof String)) {
                    fastRows++;
                }
            }
            String what = "chain " + t + " " + chain.stream().map(FittedTransform::describe).toList();
            assertThat(outcome(() -> mine.predictBatch(batch))).as(what).isEqualTo(outcome(() -> reference.predictBatch(batch)));
            assertThat(outcome(() -> mine.predictValues(batch))).as(what).isEqualTo(outcome(() -> reference.predictValues(batch)));
        }
        assertThat(planned).as("chains that compiled").isGreaterThan(CHAINS / 2);
        assertThat(fastRows).as("rows that were predicted").isGreaterThan(CHAINS * 5);
    }
}
