package org.mlops4j.core.data;

/**
 * One immutable column of a {@link Dataset}: numbers ({@link NumericColumn}) or categories
 * ({@link CategoricalColumn}). Missing values are explicit, never a sentinel the user must know about.
 * {@snippet :
 * Column c = dataset.column("RM");
 * if (c instanceof NumericColumn n) {
 *     double first = n.get(0);
 * }
 * }
 */
public sealed interface Column permits NumericColumn, CategoricalColumn {

    /** @return the column name */
    String name();

    /** @return the number of values, missing ones included */
    int size();

    /** @return the value type */
    ColumnType type();

    /**
     * @param row 0-based row
     * @return whether the value in that row is missing
     */
    boolean isMissing(int row);

    /** @return how many values are missing */
    int missingCount();

    /**
     * @param row 0-based row
     * @return the value as a Java object: a {@code Double}, a {@code String}, or null when missing
     */
    Object valueAt(int row);

    /**
     * @param rows 0-based rows, in the order wanted (repeats allowed)
     * @return a new column holding those rows
     */
    Column rows(int[] rows);

    /**
     * @param newName the name of the copy
     * @return the same values under another name
     */
    Column renamed(String newName);
}
