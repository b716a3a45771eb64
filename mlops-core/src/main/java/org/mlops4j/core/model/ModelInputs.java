package org.mlops4j.core.model;

import org.mlops4j.core.data.CategoricalColumn;
import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.data.SchemaMismatchException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The last check before a model sees features, in training and in prediction: at least one column, every
 * column numeric and every value present. Messages name the column and the row and say what to add
 * ({@code OneHot}, {@code Impute}, a drop). Trainers and predictors of every flavor call it, so a model
 * never receives data it cannot use.
 * {@snippet :
 * ModelInputs.requireReady(features, "add Impute (e.g. transform(Impute.median())) before training", true);
 * Dataset ordered = ModelInputs.align(features, model.signature().features());
 * }
 */
public final class ModelInputs {
    private ModelInputs() {
    }

    /**
     * @param d        features after the transforms
     * @param hint     what the user should do about a missing value ("add Impute..." in training)
     * @param training whether this is training data (a column without any value is then its own error)
     * @throws SchemaMismatchException when no column is left or a column is categorical
     * @throws InvalidDataException    naming the row and column of the first missing value
     */
    public static void requireReady(Dataset d, String hint, boolean training) {
        if (d.columnCount() == 0) {
            throw new SchemaMismatchException("no feature columns are left in " + d.source()
                    + " after the transforms; keep at least one column besides the label");
        }
        for (Column c : d.columns()) {
            if (c instanceof CategoricalColumn) {
                throw new SchemaMismatchException("column '" + c.name() + "' of " + d.source()
                        + " is categorical; encode it with OneHot.columns(\"" + c.name() + "\") or drop it before training");
            }
            if (training && c.missingCount() == c.size()) {
                throw new InvalidDataException("column '" + c.name() + "' of " + d.source() + " has no value in any of its "
                        + org.mlops4j.core.internal.Names.count(c.size(), "row") + "; drop it (.drop(\"" + c.name() + "\")) or give it values",
                        d.source(), null, c.name(), null, null);
            }
            if (c.missingCount() > 0) {
                int r = 0;
                while (!c.isMissing(r)) {
                    r++;
                }
                throw new InvalidDataException(d.origin(r) + ": no value for column '" + c.name() + "' ("
                        + c.missingCount() + " of " + org.mlops4j.core.internal.Names.count(c.size(), "row")
                        + (c.missingCount() == 1 ? " is" : " are") + " missing); " + hint,
                        d.source(), d.lineOf(r), c.name(), null, null);
            }
        }
    }

    /**
     * Reorders to the model's features; a column the model needs and the data lacks is an error.
     *
     * @param d        features after the transforms
     * @param features the columns the model reads, in order
     * @return exactly those columns, in that order
     * @throws SchemaMismatchException naming the missing columns
     */
    public static Dataset align(Dataset d, List<String> features) {
        d.schema().requireColumns(features, "the model (after the transforms)");
        return d.select(features);
    }

    /**
     * Row-major numbers as a data set of numeric columns (NaN is a missing value).
     *
     * @param source what the rows are, for messages ("input")
     * @param names  the column of each position in a row
     * @param rows   at least {@code count * names.size()} values
     * @param count  number of rows
     * @return the columns
     * @throws IllegalArgumentException when {@code rows} holds fewer than {@code count} rows or there are no names
     */
    public static Dataset rowsAsDataset(String source, List<String> names, double[] rows, int count) {
        Objects.requireNonNull(rows, "rows");
        int w = names.size();
        if (w == 0 || count < 0 || rows.length < (long) count * w) {
            throw new IllegalArgumentException(rows.length + " values do not hold " + count + " rows of " + w + " values " + names);
        }
        List<Column> cols = new ArrayList<>(w);
        for (int c = 0; c < w; c++) {
            double[] v = new double[count];
            for (int r = 0; r < count; r++) {
                v[r] = rows[r * w + c];
            }
            cols.add(NumericColumn.ofMissing(names.get(c), v));
        }
        return Dataset.builder(source).add(cols.get(0)).build().withColumnList(cols);
    }
}
