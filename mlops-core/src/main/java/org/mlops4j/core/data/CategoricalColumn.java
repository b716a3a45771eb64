package org.mlops4j.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable column of text categories in which values may be missing (null).
 * {@snippet :
 * CategoricalColumn chas = CategoricalColumn.of("CHAS", java.util.Arrays.asList("river", "inland", null));
 * chas.get(2);       // null
 * chas.isMissing(2); // true
 * }
 */
public final class CategoricalColumn implements Column {
    private final String name;
    private final String[] values;
    private final int missing;

    CategoricalColumn(String name, String[] values) {
        this.name = Objects.requireNonNull(name, "name");
        this.values = values;
        int m = 0;
        for (String v : values) {
            if (v == null) {
                m++;
            }
        }
        this.missing = m;
    }

    /**
     * @param name   column name
     * @param values categories, null where missing (copied)
     * @return a column
     */
    public static CategoricalColumn of(String name, List<String> values) {
        return new CategoricalColumn(name, values.toArray(new String[0]));
    }

    /**
     * @param name   column name
     * @param values categories, null where missing (copied)
     * @return a column
     */
    public static CategoricalColumn of(String name, String... values) {
        return new CategoricalColumn(name, values.clone());
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
        return ColumnType.CATEGORICAL;
    }

    /**
     * @param row 0-based row
     * @return the category, or null when missing
     */
    public String get(int row) {
        return values[row];
    }

    @Override
    public boolean isMissing(int row) {
        return values[row] == null;
    }

    @Override
    public int missingCount() {
        return missing;
    }

    @Override
    public Object valueAt(int row) {
        return values[row];
    }

    /** @return a copy of the values, null where missing */
    public String[] toArray() {
        return values.clone();
    }

    String[] values() {
        return values;
    }

    @Override
    public CategoricalColumn rows(int[] rows) {
        String[] out = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return new CategoricalColumn(name, out);
    }

    @Override
    public CategoricalColumn renamed(String newName) {
        return new CategoricalColumn(newName, values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalColumn c && c.name.equals(name) && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "CategoricalColumn[" + name + ", " + values.length + " values, " + missing + " missing]";
    }
}
