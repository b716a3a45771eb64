package org.mlops4j.core.transform;

import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.ColumnType;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.NumericColumn;

import java.util.ArrayList;
import java.util.List;

/**
 * Replaces x by ln(1 + x), for skewed non-negative columns (crime rates, prices). A value at or below -1
 * has no logarithm and is an error naming its row, in training and at inference. Missing values stay
 * missing. Learns nothing, but is part of the fitted chain like every step.
 * {@snippet :
 * Log1p.columns("CRIM", "LSTAT");
 * }
 *
 * @param columns columns to transform; empty for every numeric column
 */
public record Log1p(List<String> columns) implements Transform {

    /** Copies the list. */
    public Log1p {
        columns = List.copyOf(columns);
    }

    /** @return log1p of every numeric column */
    public static Log1p all() {
        return new Log1p(List.of());
    }

    /**
     * @param names numeric columns
     * @return log1p of those columns
     */
    public static Log1p columns(String... names) {
        return new Log1p(Columns.copy(names));
    }

    @Override
    public Fitted fit(Dataset train) {
        Fitted f = new Fitted(Columns.resolve(train, columns, ColumnType.NUMERIC, "log1p"));
        f.apply(train); // fail at fit time, with the training row, for values <= -1
        return f;
    }

    @Override
    public String describe() {
        return "log1p(" + Columns.orAll(columns) + ")";
    }

    /**
     * The columns to transform.
     *
     * @param columns numeric columns
     */
    public record Fitted(List<String> columns) implements FittedTransform {

        /** Copies the list. */
        public Fitted {
            columns = List.copyOf(columns);
        }

        @Override
        public Dataset apply(Dataset data) {
            List<Column> out = new ArrayList<>(columns.size());
            for (String name : columns) {
                if (!data.schema().contains(name)) {
                    throw Columns.missing(data, name, "log1p");
                }
                double[] v = data.numeric(name).toArray();
                for (int i = 0; i < v.length; i++) {
                    if (v[i] <= -1) {
                        throw new InvalidDataException(data.origin(i) + ", column '" + name + "': log1p of "
                                + v[i] + " is undefined; expected values greater than -1",
                                data.source(), data.lineOf(i), name, Double.toString(v[i]), null);
                    }
                    v[i] = Math.log1p(v[i]);
                }
                out.add(NumericColumn.ofMissing(name, v));
            }
            return data.withColumns(out);
        }

        @Override
        public String describe() {
            return "log1p " + columns;
        }
    }
}
