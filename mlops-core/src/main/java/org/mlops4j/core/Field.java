package org.mlops4j.core;

import java.util.Objects;

/**
 * One column of a {@link Schema}: its name, its type, and whether values may be missing.
 * {@snippet :
 * Field rm = Field.numeric("RM");                 // nullable
 * Field chas = Field.categorical("CHAS").required();
 * }
 *
 * @param name     column name, non-blank
 * @param type     value type
 * @param nullable whether a value may be missing
 */
public record Field(String name, ColumnType type, boolean nullable) {

    /** Validates the name and type. */
    public Field {
        Objects.requireNonNull(name, "field name");
        Objects.requireNonNull(type, "field type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("field name must not be blank");
        }
    }

    /**
     * @param name column name
     * @return a nullable numeric field
     */
    public static Field numeric(String name) {
        return new Field(name, ColumnType.NUMERIC, true);
    }

    /**
     * @param name column name
     * @return a nullable categorical field
     */
    public static Field categorical(String name) {
        return new Field(name, ColumnType.CATEGORICAL, true);
    }

    /** @return this field, with missing values not allowed */
    public Field required() {
        return new Field(name, type, false);
    }

    /** @return whether values are numbers */
    public boolean isNumeric() {
        return type == ColumnType.NUMERIC;
    }

    @Override
    public String toString() {
        return name + ":" + type.name().toLowerCase(java.util.Locale.ROOT) + (nullable ? "?" : "");
    }
}
