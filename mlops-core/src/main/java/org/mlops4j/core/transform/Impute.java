package org.mlops4j.core.transform;

import org.mlops4j.core.data.CategoricalColumn;
import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.ColumnType;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.data.profile.Quantiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fills missing values with a statistic of the training split: mean, median, a constant, or the most
 * frequent value. Without {@link #columns}, mean / median / numeric constant cover every numeric
 * column, a text constant every categorical column, and most-frequent every column. Columns without
 * missing values in training are covered too, so a value missing only at inference is filled.
 * {@snippet :
 * Impute.median();                                  // every numeric column
 * Impute.constant(0.0).columns("ZN");               // one column
 * Impute.mostFrequent().columns("CHAS", "RAD");
 * Impute.constant("unknown");                       // every categorical column
 * }
 *
 * @param strategy         how the fill value is chosen
 * @param columns          columns to impute; empty for all that fit the strategy
 * @param numericConstant  the fill value for {@link Strategy#CONSTANT} on numbers, else null
 * @param categoryConstant the fill value for {@link Strategy#CONSTANT} on categories, else null
 */
public record Impute(Strategy strategy, List<String> columns, Double numericConstant, String categoryConstant)
        implements Transform {

    /** How {@link Impute} chooses the fill value. */
    public enum Strategy {
        /** Arithmetic mean of the present training values (numeric columns). */
        MEAN,
        /** Median of the present training values (numeric columns). */
        MEDIAN,
        /** A value given by the user. */
        CONSTANT,
        /** The most frequent present training value; ties go to the smallest value. */
        MOST_FREQUENT
    }

    /** Validates the combination. */
    public Impute {
        Objects.requireNonNull(strategy, "strategy");
        columns = List.copyOf(columns);
        if (strategy == Strategy.CONSTANT && (numericConstant == null) == (categoryConstant == null)) {
            throw new IllegalArgumentException("a constant imputation needs exactly one of a number or a category");
        }
        if (numericConstant != null && !Double.isFinite(numericConstant)) {
            throw new IllegalArgumentException("the constant must be finite but was " + numericConstant);
        }
    }

    /** @return mean imputation of every numeric column */
    public static Impute mean() {
        return new Impute(Strategy.MEAN, List.of(), null, null);
    }

    /** @return median imputation of every numeric column */
    public static Impute median() {
        return new Impute(Strategy.MEDIAN, List.of(), null, null);
    }

    /** @return most-frequent imputation of every column */
    public static Impute mostFrequent() {
        return new Impute(Strategy.MOST_FREQUENT, List.of(), null, null);
    }

    /**
     * @param value fill value for numeric columns
     * @return constant imputation of every numeric column
     */
    public static Impute constant(double value) {
        return new Impute(Strategy.CONSTANT, List.of(), value, null);
    }

    /**
     * @param category fill value for categorical columns
     * @return constant imputation of every categorical column
     */
    public static Impute constant(String category) {
        return new Impute(Strategy.CONSTANT, List.of(), null, Objects.requireNonNull(category, "category"));
    }

    /**
     * @param names the columns to impute
     * @return this imputation restricted to those columns
     */
    public Impute columns(String... names) {
        return new Impute(strategy, Columns.copy(names), numericConstant, categoryConstant);
    }

    @Override
    public Fitted fit(Dataset train) {
        String what = "impute " + strategy.name().toLowerCase(java.util.Locale.ROOT);
        ColumnType only = switch (strategy) {
            case MEAN, MEDIAN -> ColumnType.NUMERIC;
            case CONSTANT -> numericConstant != null ? ColumnType.NUMERIC : ColumnType.CATEGORICAL;
            case MOST_FREQUENT -> null;
        };
        Map<String, Double> numbers = new LinkedHashMap<>();
        Map<String, String> categories = new LinkedHashMap<>();
        for (String name : Columns.resolve(train, columns, only, what)) {
            Column c = train.column(name);
            if (strategy == Strategy.CONSTANT) {
                if (numericConstant != null) {
                    numbers.put(name, numericConstant);
                } else {
                    categories.put(name, categoryConstant);
                }
                continue;
            }
            if (c.missingCount() == c.size()) {
                throw new InvalidDataException("cannot " + what + " column '" + name + "': all " + c.size()
                        + " training rows of " + train.source() + " are missing; drop the column or impute a constant",
                        train.source(), null, name, null, null);
            }
            if (c instanceof NumericColumn n) {
                numbers.put(name, switch (strategy) {
                    case MEAN -> mean(n);
                    case MEDIAN -> median(n);
                    default -> mostFrequent(n);
                });
            } else {
                categories.put(name, mostFrequent((CategoricalColumn) c));
            }
        }
        return new Fitted(numbers, categories);
    }

    private static double mean(NumericColumn c) {
        double sum = 0;
        int k = 0;
        for (double v : c.toArray()) {
            if (!Double.isNaN(v)) {
                sum += v;
                k++;
            }
        }
        return sum / k;
    }

    private static double[] presentSorted(NumericColumn c) {
        double[] out = new double[c.size() - c.missingCount()];
        int k = 0;
        for (double v : c.toArray()) {
            if (!Double.isNaN(v)) {
                out[k++] = v;
            }
        }
        Arrays.sort(out);
        return out;
    }

    private static double median(NumericColumn c) {
        return Quantiles.of(presentSorted(c), 0.5);
    }

    private static double mostFrequent(NumericColumn c) {
        double[] s = presentSorted(c);
        double best = s[0];
        int bestRun = 0;
        for (int i = 0; i < s.length; ) {
            int j = i;
            while (j < s.length && s[j] == s[i]) {
                j++;
            }
            if (j - i > bestRun) {
                bestRun = j - i;
                best = s[i];
            }
            i = j;
        }
        return best;
    }

    private static String mostFrequent(CategoricalColumn c) {
        Map<String, Integer> counts = new HashMap<>();
        for (String v : c.toArray()) {
            if (v != null) {
                counts.merge(v, 1, Integer::sum);
            }
        }
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            int n = e.getValue();
            if (n > bestCount || (n == bestCount && e.getKey().compareTo(best) < 0)) {
                best = e.getKey();
                bestCount = n;
            }
        }
        return best;
    }

    @Override
    public String describe() {
        return "impute(" + strategy.name().toLowerCase(java.util.Locale.ROOT)
                + (strategy == Strategy.CONSTANT ? "=" + (numericConstant != null ? numericConstant : categoryConstant) : "")
                + (columns.isEmpty() ? "" : ": " + String.join(", ", columns)) + ")";
    }

    /**
     * Fill values learned from the training split.
     *
     * @param numeric     fill value per numeric column
     * @param categorical fill value per categorical column
     */
    public record Fitted(Map<String, Double> numeric, Map<String, String> categorical) implements FittedTransform {

        /** Copies the maps, keeping their order. */
        public Fitted {
            numeric = Collections.unmodifiableMap(new LinkedHashMap<>(numeric));
            categorical = Collections.unmodifiableMap(new LinkedHashMap<>(categorical));
        }

        @Override
        public Dataset apply(Dataset data) {
            List<Column> out = new ArrayList<>(data.columnCount());
            for (Column c : data.columns()) {
                if (c.missingCount() == 0) {
                    out.add(c);
                } else if (c instanceof NumericColumn n && numeric.containsKey(c.name())) {
                    double fill = numeric.get(c.name());
                    double[] v = n.toArray();
                    for (int i = 0; i < v.length; i++) {
                        if (Double.isNaN(v[i])) {
                            v[i] = fill;
                        }
                    }
                    out.add(NumericColumn.ofMissing(c.name(), v));
                } else if (c instanceof CategoricalColumn k && categorical.containsKey(c.name())) {
                    String fill = categorical.get(c.name());
                    String[] v = k.toArray();
                    for (int i = 0; i < v.length; i++) {
                        if (v[i] == null) {
                            v[i] = fill;
                        }
                    }
                    out.add(CategoricalColumn.of(c.name(), v));
                } else {
                    out.add(c);
                }
            }
            return data.withColumnList(out);
        }

        @Override
        public String describe() {
            Map<String, Object> all = new LinkedHashMap<>(numeric);
            all.putAll(categorical);
            return "impute " + all;
        }
    }
}
