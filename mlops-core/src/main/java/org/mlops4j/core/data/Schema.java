package org.mlops4j.core.data;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * The ordered, typed columns of a {@link Dataset}. Immutable; names are unique and case-sensitive.
 * {@snippet :
 * Schema s = Schema.of(Schema.Field.numeric("CRIM"), Schema.Field.numeric("RM"), Schema.Field.categorical("CHAS"));
 * s.names();         // [CRIM, RM, CHAS]
 * s.field("RM");     // RM:numeric?
 * s.indexOf("CHAS"); // 2
 * }
 *
 * @param fields the columns, in order
 */
public record Schema(List<Field> fields) {

    /** Copies the list (an immutable list that also knows each name's position) and rejects duplicate names. */
    public Schema {
        fields = fields instanceof Indexed indexed ? indexed : new Indexed(fields);
    }

    /**
     * @param fields the columns, in order
     * @return a schema of these fields
     */
    public static Schema of(Field... fields) {
        return new Schema(List.of(fields));
    }

    /** @return the column names, in order */
    public List<String> names() {
        return ((Indexed) fields).names;
    }

    /** @return the number of columns */
    public int size() {
        return fields.size();
    }

    /**
     * @param name column name
     * @return whether a column of that name exists
     */
    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /**
     * @param name column name
     * @return the position of the column, or -1
     */
    public int indexOf(String name) {
        Integer i = ((Indexed) fields).positions.get(name);
        return i == null ? -1 : i;
    }

    /**
     * @param name column name
     * @return the field, when present
     */
    public Optional<Field> find(String name) {
        int i = indexOf(name);
        return i < 0 ? Optional.empty() : Optional.of(fields.get(i));
    }

    /**
     * @param name column name
     * @return the field
     * @throws SchemaMismatchException naming the existing columns when there is no such column
     */
    public Field field(String name) {
        return find(name).orElseThrow(() -> new SchemaMismatchException(
                "unknown column '" + name + "'; columns are " + names()));
    }

    /**
     * Checks that every name exists.
     *
     * @param names   column names asked for
     * @param purpose what the names are for, used in the message ("drop", "standardize")
     * @throws SchemaMismatchException naming the unknown columns and the existing ones
     */
    public void requireColumns(Collection<String> names, String purpose) {
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            if (!contains(n)) {
                unknown.add(n);
            }
        }
        if (!unknown.isEmpty()) {
            throw new SchemaMismatchException("unknown column" + (unknown.size() > 1 ? "s " : " ")
                    + quoteAll(unknown) + " for " + purpose + "; columns are " + names() + didYouMean(unknown));
        }
    }

    private String didYouMean(List<String> unknown) {
        StringBuilder b = new StringBuilder();
        for (String u : unknown) {
            String c = org.mlops4j.core.internal.Names.closest(u, names());
            if (c != null) {
                b.append(b.isEmpty() ? "; did you mean " : ", ").append("'").append(c).append("' for '").append(u).append("'");
            }
        }
        return b.isEmpty() ? "" : b.append('?').toString();
    }

    /**
     * @param type a column type
     * @return the names of the columns of that type, in order
     */
    public List<String> namesOfType(ColumnType type) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.type() == type) {
                out.add(f.name());
            }
        }
        return List.copyOf(out);
    }

    static String quoteAll(Collection<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append('\'').append(n).append('\'');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Schema" + fields;
    }

    /**
     * The fields as an immutable list that also holds each name's position, so that {@link #indexOf} and
     * {@link #contains} are one hash look-up (a schema of hundreds of columns is checked per row by a predictor).
     * It equals, hashes and serializes as any list of the same fields.
     */
    private static final class Indexed extends AbstractList<Field> implements RandomAccess {
        private final Field[] items;
        private final HashMap<String, Integer> positions;
        private final List<String> names;

        Indexed(List<Field> fields) {
            this.items = List.copyOf(fields).toArray(new Field[0]);
            this.positions = HashMap.newHashMap(items.length);
            String[] n = new String[items.length];
            for (int i = 0; i < items.length; i++) {
                n[i] = items[i].name();
                if (positions.putIfAbsent(n[i], i) != null) {
                    throw new IllegalArgumentException("duplicate column name '" + n[i] + "' in schema " + List.of(items));
                }
            }
            this.names = List.of(n);
        }

        @Override
        public Field get(int index) {
            return items[index];
        }

        @Override
        public int size() {
            return items.length;
        }
    }

    /**
     * One column of a schema: its name, its type, and whether values may be missing.
     * {@snippet :
     * Schema.Field rm = Schema.Field.numeric("RM");                 // nullable
     * Schema.Field chas = Schema.Field.categorical("CHAS").required();
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
            return name + ":" + type.name().toLowerCase(Locale.ROOT) + (nullable ? "?" : "");
        }
    }
}
