package org.mlops4j.core.data;

import org.mlops4j.core.data.Schema.Field;

/**
 * The kind of values a column holds.
 * {@snippet :
 * Schema schema = Schema.of(Schema.Field.numeric("RM"), Schema.Field.categorical("CHAS"));
 * schema.field("CHAS").type(); // CATEGORICAL
 * }
 */
public enum ColumnType {
    /** Finite double values; a missing value is allowed when the field is nullable. */
    NUMERIC,
    /** Text categories, compared exactly; one-hot encode them before training. */
    CATEGORICAL;

    /** @return the name in lower case, for messages ({@code numeric}) */
    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
