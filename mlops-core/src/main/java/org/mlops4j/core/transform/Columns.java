package org.mlops4j.core.transform;

import org.mlops4j.core.data.ColumnType;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Schema.Field;
import org.mlops4j.core.data.SchemaMismatchException;

import java.util.ArrayList;
import java.util.List;

/** Resolves the columns a transform works on; shared checks with messages that name the transform. */
final class Columns {
    private Columns() {
    }

    /**
     * @param requested named columns, or empty for every column of {@code type}
     * @param type      the type the transform accepts, or null for any
     */
    static List<String> resolve(Dataset d, List<String> requested, ColumnType type, String transform) {
        if (requested.isEmpty()) {
            return type == null ? d.schema().names() : d.schema().namesOfType(type);
        }
        d.schema().requireColumns(requested, transform);
        if (type != null) {
            for (String n : requested) {
                Field f = d.schema().field(n);
                if (f.type() != type) {
                    throw new SchemaMismatchException(transform + ": column '" + n + "' is " + f.type().lower()
                            + " but " + type.lower() + " is needed" + (type == ColumnType.CATEGORICAL
                            ? " (declare it categorical in the source, e.g. Csv.categorical(\"" + n + "\"))" : ""));
                }
            }
        }
        return List.copyOf(requested);
    }

    /** @return the names joined, or {@code all} when there are none (the step covers every column of its type) */
    static String orAll(List<String> columns) {
        return columns.isEmpty() ? "all" : String.join(", ", columns);
    }

    static List<String> copy(String... names) {
        List<String> out = new ArrayList<>(names.length);
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("column names must not be null or blank but were " + java.util.Arrays.toString(names));
            }
            out.add(n);
        }
        return List.copyOf(out);
    }

    static SchemaMismatchException missing(Dataset d, String column, String transform) {
        return new SchemaMismatchException(transform + ": column '" + column + "' is missing from " + d.source()
                + "; columns are " + d.schema().names());
    }
}
