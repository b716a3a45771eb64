package org.mlops4j.core.transform;

import org.mlops4j.core.Pipeline;
import org.mlops4j.core.data.Dataset;

import java.util.List;

/**
 * Removes columns. At inference, rows may simply leave dropped columns out.
 * {@snippet :
 * Drop.columns("B");  // Pipeline.drop("B") is the same step
 * }
 *
 * @param columns the columns to remove
 */
public record Drop(List<String> columns) implements Transform {

    /** Copies and validates. */
    public Drop {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("drop needs at least one column name");
        }
    }

    /**
     * @param names the columns to remove
     * @return the step
     */
    public static Drop columns(String... names) {
        return new Drop(Columns.copy(names));
    }

    @Override
    public Fitted fit(Dataset train) {
        train.schema().requireColumns(columns, "drop in " + train.source());
        return new Fitted(columns);
    }

    @Override
    public String describe() {
        return "drop(" + String.join(", ", columns) + ")";
    }

    /**
     * The columns to remove.
     *
     * @param columns names
     */
    public record Fitted(List<String> columns) implements FittedTransform {

        /** Copies the list. */
        public Fitted {
            columns = List.copyOf(columns);
        }

        @Override
        public Dataset apply(Dataset data) {
            return data.drop(columns.stream().filter(data.schema()::contains).toList());
        }

        @Override
        public String describe() {
            return "drop " + columns;
        }
    }
}
