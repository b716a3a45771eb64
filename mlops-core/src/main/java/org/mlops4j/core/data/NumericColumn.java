package org.mlops4j.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable column of finite doubles in which values may be missing.
 *
 * <p>Missing values are stored as NaN internally, which is safe because NaN and infinities are
 * rejected on the way in: a NaN in a {@code NumericColumn} always means "missing".
 * {@snippet :
 * NumericColumn rm = NumericColumn.of("RM", 6.575, 6.421, 7.185);
 * NumericColumn tax = NumericColumn.ofNullable("TAX", java.util.Arrays.asList(296.0, null, 242.0));
 * tax.isMissing(1); // true
 * }
 */
public final class NumericColumn implements Column {
    private final String name;
    private final double[] values;
    private final int missing;

    NumericColumn(String name, double[] values) {
        this.name = Objects.requireNonNull(name, "name");
        this.values = values;
        int m = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                m++;
            }
        }
        this.missing = m;
    }

    /**
     * @param name   column name
     * @param values finite values (copied)
     * @return a column without missing values
     * @throws InvalidDataException naming the index when a value is NaN or infinite
     */
    public static NumericColumn of(String name, double... values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new InvalidDataException("column '" + name + "', row " + (i + 1) + ": " + values[i]
                        + " is not a finite number; expected a finite value (use ofNullable with null for a missing value)",
                        "column '" + name + "'", (long) (i + 1), name, Double.toString(values[i]), null);
            }
        }
        return new NumericColumn(name, values.clone());
    }

    /**
     * @param name   column name
     * @param values values, NaN where missing (copied); what transforms build their output from
     * @return a column
     * @throws InvalidDataException naming the index when a value is infinite
     */
    public static NumericColumn ofMissing(String name, double... values) {
        for (int i = 0; i < values.length; i++) {
            if (Double.isInfinite(values[i])) {
                throw new InvalidDataException("column '" + name + "', row " + (i + 1) + ": " + values[i]
                        + " is not a finite number; expected a finite value or NaN for a missing value",
                        "column '" + name + "'", (long) (i + 1), name, Double.toString(values[i]), null);
            }
        }
        return new NumericColumn(name, values.clone());
    }

    /**
     * @param name   column name
     * @param values values, null where missing
     * @return a column
     * @throws InvalidDataException naming the index when a value is NaN or infinite
     */
    public static NumericColumn ofNullable(String name, List<? extends Number> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            Number n = values.get(i);
            if (n == null) {
                out[i] = Double.NaN;
                continue;
            }
            double v = n.doubleValue();
            if (!Double.isFinite(v)) {
                throw new InvalidDataException("column '" + name + "', row " + (i + 1) + ": " + v
                        + " is not a finite number; expected a finite value or null for a missing value",
                        "column '" + name + "'", (long) (i + 1), name, Double.toString(v), null);
            }
            out[i] = v;
        }
        return new NumericColumn(name, out);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public ColumnType type() {
        return ColumnType.NUMERIC;
    }

    /**
     * @param row 0-based row
     * @return the value, or NaN when missing
     */
    public double get(int row) {
        return values[row];
    }

    @Override
    public boolean isMissing(int row) {
        return Double.isNaN(values[row]);
    }

    @Override
    public int missingCount() {
        return missing;
    }

    @Override
    public Object valueAt(int row) {
        double v = values[row];
        return Double.isNaN(v) ? null : v;
    }

    /** @return a copy of the values, NaN where missing */
    public double[] toArray() {
        return values.clone();
    }

    /** The backing array, for code in this package that promises not to modify it. */
    double[] values() {
        return values;
    }

    @Override
    public NumericColumn rows(int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return new NumericColumn(name, out);
    }

    @Override
    public NumericColumn renamed(String newName) {
        return new NumericColumn(newName, values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericColumn c && c.name.equals(name) && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "NumericColumn[" + name + ", " + values.length + " values, " + missing + " missing]";
    }
}
