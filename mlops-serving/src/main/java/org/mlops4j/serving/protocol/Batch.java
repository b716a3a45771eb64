package org.mlops4j.serving.protocol;

import java.util.Objects;

/**
 * Decoded rows in a model's input layout: numbers row-major in one {@code double[]} (NaN where a value is
 * missing) and, when the model has categorical columns, their values in a parallel {@code String[]}.
 * The decoders build it; the scorer reads it. Not copied: a batch belongs to one request.
 * {@snippet :
 * Batch b = Batch.numeric(layout, 1, new double[] {0.00632, 18, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1, 296, 15.3, 4.98});
 * b.value(0, layout.index("RM"));   // 6.575
 * }
 */
public final class Batch {
    private final InputLayout layout;
    private final int rows;
    private final double[] values;
    private final String[] categories;

    /**
     * @param layout     the columns
     * @param rows       number of rows
     * @param values     {@code rows * layout.size()} numbers, row-major (NaN missing; ignored for categorical columns)
     * @param categories {@code rows * layout.size()} categories, row-major (null missing), or null when every column is numeric
     */
    public Batch(InputLayout layout, int rows, double[] values, String[] categories) {
        this.layout = Objects.requireNonNull(layout, "layout");
        if (rows < 0 || values.length != (long) rows * layout.size()) {
            throw new IllegalArgumentException(rows + " rows of " + layout.size() + " columns need " + (long) rows * layout.size()
                    + " values but got " + values.length);
        }
        if (categories == null && !layout.allNumeric()) {
            throw new IllegalArgumentException("the layout has categorical columns: pass their values");
        }
        this.rows = rows;
        this.values = values;
        this.categories = categories;
    }

    /**
     * @param layout an all-numeric layout
     * @param rows   number of rows
     * @param values the numbers, row-major
     * @return the batch
     */
    public static Batch numeric(InputLayout layout, int rows, double[] values) {
        return new Batch(layout, rows, values, null);
    }

    /** @return the columns */
    public InputLayout layout() {
        return layout;
    }

    /** @return number of rows */
    public int rows() {
        return rows;
    }

    /** @return the numbers, row-major (the scorer's primitive path reads this directly) */
    public double[] values() {
        return values;
    }

    /** @return categories row-major, or null when every column is numeric */
    public String[] categories() {
        return categories;
    }

    /**

     * @param row row

     * @param column column

     * @return the number (NaN missing)

     */
    public double value(int row, int column) {
        return values[row * layout.size() + column];
    }

    /**

     * @param row row

     * @param column column

     * @return the category, or null

     */
    public String category(int row, int column) {
        return categories == null ? null : categories[row * layout.size() + column];
    }
}
