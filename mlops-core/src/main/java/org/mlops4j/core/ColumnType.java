package org.mlops4j.core;

/**
 * The kind of values a column holds.
 * {@snippet :
 * Schema schema = Schema.of(Field.numeric("RM"), Field.categorical("CHAS"));
 * schema.field("CHAS").type(); // CATEGORICAL
 * }
 */
public enum ColumnType {
    /** Finite double values; a missing value is allowed when the field is nullable. */
    NUMERIC,
    /** Text categories, compared exactly; one-hot encode them before training. */
    CATEGORICAL
}
