package org.mlops4j.core.transform;

import org.mlops4j.core.data.Dataset;

import java.util.List;

/**
 * Keeps only the named columns, in the given order.
 * {@snippet :
 * Select.columns("RM", "LSTAT", "PTRATIO");
 * }
 *
 * @param columns the columns to keep
 */
public record Select(List<String> columns) implements Transform {

    /** Copies and validates. */
    public Select {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("select needs at least one column name");
        }
    }

    /**
     * @param names the columns to keep
     * @return the step
     */
    public static Select columns(String... names) {
        return new Select(Columns.copy(names));
    }

    @Override
    public Fitted fit(Dataset train) {
        train.schema().requireColumns(columns, "select in " + train.source());
        return new Fitted(columns);
    }

    @Override
    public String describe() {
        return "select(" + String.join(", ", columns) + ")";
    }

    /**
     * The columns to keep.
     *
     * @param columns names, in output order
     */
    public record Fitted(List<String> columns) implements FittedTransform {

        /** Copies the list. */
        public Fitted {
            columns = List.copyOf(columns);
        }

        @Override
        public Dataset apply(Dataset data) {
            return data.select(columns);
        }

        @Override
        public String describe() {
            return "select " + columns;
        }
    }
}
