package org.mlops4j.serving.protocol;

import org.mlops4j.core.data.Schema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The raw input columns of a served model, in the model's order, and which are numeric: what every
 * decoder checks a request against. Immutable.
 * {@snippet :
 * InputLayout layout = InputLayout.of(predictor.inputSchema());
 * layout.index("RM");   // its position, or -1
 * }
 */
public final class InputLayout {
    private final List<String> names;
    private final boolean[] numeric;
    private final Map<String, Integer> index = new HashMap<>();
    private final boolean allNumeric;
    private final java.util.Set<String> ignored;

    private InputLayout(List<String> names, boolean[] numeric, java.util.Collection<String> ignored) {
        this.names = List.copyOf(names);
        this.ignored = java.util.Set.copyOf(ignored);
        this.numeric = numeric.clone();
        boolean all = true;
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
            all &= numeric[i];
        }
        this.allNumeric = all;
    }

    /**
     * @param schema the model's raw input schema
     * @return its layout
     */
    public static InputLayout of(Schema schema) {
        return of(schema, List.of());
    }

    /**
     * @param schema  the model's raw input schema (the columns it reads)
     * @param ignored columns a request may carry that the model does not read ({@code Predictor.ignoredInputs()}):
     *                accepted and skipped, not refused as unknown
     * @return its layout
     */
    public static InputLayout of(Schema schema, java.util.Collection<String> ignored) {
        Objects.requireNonNull(schema, "schema");
        boolean[] numeric = new boolean[schema.size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = schema.fields().get(i).isNumeric();
        }
        return new InputLayout(schema.names(), numeric, ignored);
    }

    /** @return column names in order */
    public List<String> names() {
        return names;
    }

    /** @return number of columns */
    public int size() {
        return names.size();
    }

    /**

     * @param column position

     * @return whether it is numeric

     */
    public boolean isNumeric(int column) {
        return numeric[column];
    }

    /** @return whether every column is numeric (then a [N, C] tensor can carry the rows) */
    public boolean allNumeric() {
        return allNumeric;
    }

    /**

     * @param name column name

     * @return its position, or -1

     */
    public int index(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /**
     * @param name a column name from a request
     * @return whether it is a column the model does not read, accepted and ignored
     */
    public boolean isIgnored(String name) {
        return ignored.contains(name);
    }

    /** @return columns accepted and ignored, sorted */
    public List<String> ignored() {
        return ignored.stream().sorted().toList();
    }

    /** @return whether both have the same columns of the same types in the same order */
    public boolean sameAs(InputLayout other) {
        return names.equals(other.names) && java.util.Arrays.equals(numeric, other.numeric);
    }

    @Override
    public String toString() {
        return "InputLayout" + names;
    }
}
