package org.mlops4j.serving.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlops4j.core.internal.Names;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Rows given as JSON objects or as positional arrays, into a {@link Batch}. */
final class Rows {
    private Rows() {
    }

    /**
     * @param records     JSON objects, one per row
     * @param where       the field holding them, for messages
     * @param layout      the model's columns
     * @param allRequired whether every column must be present (MLflow's schema enforcement) or absent means missing
     * @param text        whether numeric text is accepted
     */
    static Batch records(JsonNode records, String where, InputLayout layout, Limits limits, boolean allRequired, boolean text) {
        int n = checkRows(records, where, limits);
        int c = layout.size();
        double[] values = new double[n * c];
        String[] cats = layout.allNumeric() ? null : new String[n * c];
        boolean[] seen = new boolean[c];
        for (int r = 0; r < n; r++) {
            JsonNode row = records.get(r);
            String at = where + "[" + r + "]";
            if (!row.isObject()) {
                throw RequestException.badRequest(where, at + " is " + Values.kind(row) + "; expected an object of column to value");
            }
            java.util.Arrays.fill(seen, false);
            for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int col = layout.index(e.getKey());
                if (col < 0) {
                    if (layout.isIgnored(e.getKey())) {
                        continue;
                    }
                    throw unknown(at, e.getKey(), layout);
                }
                seen[col] = true;
                put(values, cats, r * c + col, e.getValue(), at, layout, col, text);
            }
            for (int col = 0; col < c; col++) {
                if (!seen[col]) {
                    if (allRequired) {
                        throw RequestException.badRequest(layout.names().get(col), at + " lacks column '" + layout.names().get(col)
                                + "'; every row needs " + layout.names() + " (null for a missing value)");
                    }
                    values[r * c + col] = Double.NaN;
                }
            }
        }
        return new Batch(layout, n, values, cats);
    }

    /**
     * @param rows    arrays, one per row
     * @param columns the column of each position
     */
    static Batch positional(JsonNode rows, String where, List<String> columns, InputLayout layout, Limits limits, boolean text) {
        int n = checkRows(rows, where, limits);
        int c = layout.size();
        int[] colOf = columnsOf(columns, where, layout);
        double[] values = new double[n * c];
        String[] cats = layout.allNumeric() ? null : new String[n * c];
        for (int r = 0; r < n; r++) {
            JsonNode row = rows.get(r);
            String at = where + "[" + r + "]";
            if (!row.isArray()) {
                throw RequestException.badRequest(where, at + " is " + Values.kind(row) + "; expected an array of " + columns.size() + " values");
            }
            if (row.size() != columns.size()) {
                throw RequestException.badRequest(where, at + " has " + org.mlops4j.core.internal.Names.count(row.size(), "value") + "; expected " + columns.size() + " (" + columns + ")");
            }
            for (int i = 0; i < colOf.length; i++) {
                if (colOf[i] >= 0) {
                    put(values, cats, r * c + colOf[i], row.get(i), at, layout, colOf[i], text);
                }
            }
        }
        return new Batch(layout, n, values, cats);
    }

    /** @return the layout column of each given column, -1 for one the model accepts and ignores */
    static int[] columnsOf(List<String> columns, String where, InputLayout layout) {
        int[] colOf = new int[columns.size()];
        boolean[] seen = new boolean[layout.size()];
        java.util.Set<String> ignoredSeen = new java.util.HashSet<>();
        for (int i = 0; i < colOf.length; i++) {
            int col = layout.index(columns.get(i));
            if (col < 0 && layout.isIgnored(columns.get(i))) {
                if (!ignoredSeen.add(columns.get(i))) {
                    throw RequestException.badRequest(columns.get(i), where + ": column '" + columns.get(i) + "' is given twice");
                }
                colOf[i] = -1;
                continue;
            }
            if (col < 0) {
                throw unknown(where, columns.get(i), layout);
            }
            if (seen[col]) {
                throw RequestException.badRequest(columns.get(i), where + ": column '" + columns.get(i) + "' is given twice");
            }
            seen[col] = true;
            colOf[i] = col;
        }
        List<String> missing = new ArrayList<>();
        for (int col = 0; col < seen.length; col++) {
            if (!seen[col]) {
                missing.add(layout.names().get(col));
            }
        }
        if (!missing.isEmpty()) {
            throw RequestException.badRequest(missing.get(0), where + " lacks the column" + (missing.size() == 1 ? " " : "s ") + missing
                    + "; the model's inputs are " + layout.names() + " (null for a missing value)");
        }
        return colOf;
    }

    static int checkRows(JsonNode rows, String where, Limits limits) {
        if (rows == null || rows.isNull() || !rows.isArray()) {
            throw RequestException.badRequest(where, "\"" + where + "\" is " + Values.kind(rows) + "; expected an array of rows");
        }
        if (rows.isEmpty()) {
            throw RequestException.badRequest(where, "\"" + where + "\" has no rows");
        }
        if (rows.size() > limits.maxRows()) {
            throw RequestException.tooLarge("rows", "\"" + where + "\" has " + rows.size() + " rows, more than the limit of "
                    + limits.maxRows() + " per request");
        }
        return rows.size();
    }

    static void put(double[] values, String[] cats, int slot, JsonNode v, String at, InputLayout layout, int col, boolean text) {
        String name = layout.names().get(col);
        if (layout.isNumeric(col)) {
            values[slot] = Values.number(v, at, name, true, text);
        } else {
            values[slot] = Double.NaN;
            cats[slot] = Values.category(v, at, name);
        }
    }

    static RequestException unknown(String at, String key, InputLayout layout) {
        String closest = Names.closest(key, layout.names());
        return RequestException.badRequest("unknown_column", at + ": '" + Values.shorten(key) + "' is not an input column of the model"
                + (closest == null ? "." : "; did you mean '" + closest + "'?") + " Its input columns are " + layout.names()
                + (layout.ignored().isEmpty() ? "" : " (accepted and ignored: " + layout.ignored() + ")"));
    }
}
