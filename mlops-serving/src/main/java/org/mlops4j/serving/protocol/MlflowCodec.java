package org.mlops4j.serving.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * MLflow's scoring protocol ({@code POST /invocations}): a JSON object with exactly one of
 * {@code dataframe_split} ({@code {"columns": […], "data": [[…]]}}), {@code dataframe_records}
 * ({@code [{column: value}]}), {@code instances} or {@code inputs} (rows as objects or as arrays in the
 * model's column order, or {@code inputs} as {@code {column: [values]}}), or a {@code text/csv} body with a
 * header line. Every row must give every column (null for a missing value), as MLflow's schema enforcement
 * requires. Answers {@code {"predictions": […]}}; errors {@code {"error_code": …, "message": …}}.
 * Stateless and thread-safe.
 * {@snippet :
 * Batch decoded = MlflowCodec.decodeJson(json.read(body), layout, Limits.defaults());
 * }
 */
public final class MlflowCodec {
    private static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");
    private static final Set<String> SPLIT = Set.of("columns", "data", "index");

    private MlflowCodec() {
    }

    /**
     * @param body   the JSON body
     * @param layout the model's columns
     * @param limits the row limit
     * @return the rows
     * @throws RequestException (400, 413) naming what is wrong
     */
    public static Batch decodeJson(JsonNode body, InputLayout layout, Limits limits) {
        if (!body.isObject()) {
            throw RequestException.badRequest("body", "the body is " + Values.kind(body) + "; expected a JSON object with one of " + FORMATS);
        }
        String format = null;
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (FORMATS.contains(k)) {
                if (format != null) {
                    throw RequestException.badRequest("body", "the body has both \"" + format + "\" and \"" + k + "\"; give exactly one of " + FORMATS);
                }
                format = k;
            } else if (k.equals("params")) {
                JsonNode p = body.get(k);
                if (!p.isNull() && !(p.isObject() && p.isEmpty())) {
                    throw RequestException.badRequest("params", "\"params\" is given but the model takes no parameters");
                }
            } else {
                throw RequestException.badRequest(Values.shorten(k), "unknown field '" + Values.shorten(k) + "'; expected exactly one of " + FORMATS
                        + " (and optionally params)");
            }
        }
        if (format == null) {
            throw RequestException.badRequest("body", "the body has none of " + FORMATS + "; give exactly one");
        }
        JsonNode v = body.get(format);
        return switch (format) {
            case "dataframe_split" -> split(v, layout, limits);
            case "dataframe_records" -> Rows.records(v, format, layout, limits, true, false);
            default -> instances(v, format, layout, limits);
        };
    }

    private static Batch split(JsonNode v, InputLayout layout, Limits limits) {
        if (!v.isObject()) {
            throw RequestException.badRequest("dataframe_split", "\"dataframe_split\" is " + Values.kind(v)
                    + "; expected {\"columns\": [...], \"data\": [[...], ...]}");
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!SPLIT.contains(k)) {
                throw RequestException.badRequest(Values.shorten(k), "dataframe_split: unknown field '" + Values.shorten(k) + "'; expected columns, data, index");
            }
        }
        JsonNode columns = v.get("columns");
        List<String> names = new ArrayList<>();
        if (columns == null || columns.isNull()) {
            names.addAll(layout.names());
        } else {
            if (!columns.isArray()) {
                throw RequestException.badRequest("columns", "dataframe_split.columns is " + Values.kind(columns) + "; expected an array of column names");
            }
            for (JsonNode c : columns) {
                if (!c.isTextual()) {
                    throw RequestException.badRequest("columns", "dataframe_split.columns holds " + Values.kind(c) + "; expected column names");
                }
                names.add(c.textValue());
            }
        }
        JsonNode data = v.get("data");
        Batch b = Rows.positional(data, "dataframe_split.data", names, layout, limits, false);
        JsonNode index = v.get("index");
        if (index != null && !index.isNull() && (!index.isArray() || index.size() != b.rows())) {
            throw RequestException.badRequest("index", "dataframe_split.index has " + (index.isArray() ? org.mlops4j.core.internal.Names.count(index.size(), "entry") : Values.kind(index))
                    + " but data has " + org.mlops4j.core.internal.Names.count(b.rows(), "row"));
        }
        return b;
    }

    private static Batch instances(JsonNode v, String where, InputLayout layout, Limits limits) {
        if (v != null && v.isObject()) {
            return columnar(v, where, layout, limits);
        }
        int n = Rows.checkRows(v, where, limits);
        JsonNode first = v.get(0);
        if (first.isObject()) {
            return Rows.records(v, where, layout, limits, true, false);
        }
        if (first.isArray()) {
            return Rows.positional(v, where, layout.names(), layout, limits, false);
        }
        if (layout.size() == 1) {
            // One column: each element is a row's value.
            ArrayNode wrapped = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < n; i++) {
                wrapped.addArray().add(v.get(i));
            }
            return Rows.positional(wrapped, where, layout.names(), layout, limits, false);
        }
        throw RequestException.badRequest(where, where + "[0] is " + Values.kind(first) + "; expected rows as objects of column to value or as arrays of "
                + layout.size() + " values " + layout.names());
    }

    private static Batch columnar(JsonNode v, String where, InputLayout layout, Limits limits) {
        List<String> names = new ArrayList<>();
        v.fieldNames().forEachRemaining(names::add);
        int[] colOf = Rows.columnsOf(names, where, layout);
        int n = -1;
        for (String name : names) {
            JsonNode col = v.get(name);
            if (!col.isArray()) {
                throw RequestException.badRequest(name, where + "." + name + " is " + Values.kind(col) + "; expected an array of values, one per row");
            }
            if (n >= 0 && col.size() != n) {
                throw RequestException.badRequest(name, where + "." + name + " has " + org.mlops4j.core.internal.Names.count(col.size(), "value") + " but the columns before it have " + n);
            }
            n = col.size();
        }
        if (n == 0) {
            throw RequestException.badRequest(where, where + " has no rows");
        }
        if (n > limits.maxRows()) {
            throw RequestException.tooLarge("rows", where + " has " + n + " rows, more than the limit of " + limits.maxRows() + " per request");
        }
        int c = layout.size();
        double[] values = new double[n * c];
        String[] cats = layout.allNumeric() ? null : new String[n * c];
        for (int i = 0; i < names.size(); i++) {
            JsonNode col = v.get(names.get(i));
            if (colOf[i] < 0) {
                continue; // a column the model does not read
            }
            for (int r = 0; r < n; r++) {
                Rows.put(values, cats, r * c + colOf[i], col.get(r), where + "." + names.get(i) + "[" + r + "]", layout, colOf[i], false);
            }
        }
        return new Batch(layout, n, values, cats);
    }

    /**
     * Reads a {@code text/csv} body: a header line naming the columns, then one line per row; an empty field is
     * a missing value; quotes as RFC 4180.
     *
     * @param body   the body
     * @param layout the model's columns
     * @param limits the row and string limits
     * @return the rows
     */
    public static Batch decodeCsv(byte[] body, InputLayout layout, Limits limits) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw RequestException.badRequest("body", "the CSV body is not valid UTF-8");
        }
        List<List<String>> lines = parseCsv(text, limits);
        if (lines.isEmpty()) {
            throw RequestException.badRequest("body", "the CSV body is empty; expected a header line " + String.join(",", layout.names()) + " and rows");
        }
        List<String> header = lines.get(0);
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            header.set(0, header.get(0).substring(1));
        }
        int[] colOf = Rows.columnsOf(header, "the CSV header", layout);
        int n = lines.size() - 1;
        if (n == 0) {
            throw RequestException.badRequest("body", "the CSV body has a header but no rows");
        }
        if (n > limits.maxRows()) {
            throw RequestException.tooLarge("rows", "the CSV body has " + n + " rows, more than the limit of " + limits.maxRows() + " per request");
        }
        int c = layout.size();
        double[] values = new double[n * c];
        String[] cats = layout.allNumeric() ? null : new String[n * c];
        for (int r = 0; r < n; r++) {
            List<String> line = lines.get(r + 1);
            if (line.size() != header.size()) {
                throw RequestException.badRequest("body", "CSV line " + (r + 2) + " has " + line.size() + " fields; the header has " + header.size());
            }
            for (int i = 0; i < colOf.length; i++) {
                String s = line.get(i);
                int col = colOf[i];
                if (col < 0) {
                    continue; // a column the model does not read
                }
                int slot = r * c + col;
                if (layout.isNumeric(col)) {
                    if (s.isBlank()) {
                        values[slot] = Double.NaN;
                    } else {
                        double d = Values.decimal(s.strip());
                        if (!Double.isFinite(d) || s.strip().length() > limits.maxNumberLength()) {
                            throw RequestException.badRequest(layout.names().get(col), "CSV line " + (r + 2) + ": column '" + layout.names().get(col)
                                    + "' is \"" + Values.shorten(s) + "\"; expected a number");
                        }
                        values[slot] = d;
                    }
                } else {
                    values[slot] = Double.NaN;
                    cats[slot] = s.isEmpty() ? null : s;
                }
            }
        }
        return new Batch(layout, n, values, cats);
    }

    static List<List<String>> parseCsv(String text, Limits limits) {
        List<List<String>> lines = new ArrayList<>();
        List<String> line = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int i = 0;
        int lineNo = 1;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                if (!field.isEmpty()) {
                    throw RequestException.badRequest("body", "CSV line " + lineNo + ": a quote inside an unquoted field");
                }
                quoted = true;
                any = true;
            } else if (ch == ',') {
                line.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || !field.isEmpty()) {
                    line.add(field.toString());
                    lines.add(line);
                    if (lines.size() > limits.maxRows() + 1) {
                        throw RequestException.tooLarge("rows", "the CSV body has more than the limit of " + limits.maxRows() + " rows per request");
                    }
                }
                line = new ArrayList<>();
                field.setLength(0);
                any = false;
                lineNo++;
            } else {
                field.append(ch);
            }
            if (field.length() > limits.maxStringLength()) {
                throw RequestException.badRequest("body", "CSV line " + lineNo + ": a field is longer than " + limits.maxStringLength() + " characters");
            }
            i++;
        }
        if (quoted) {
            throw RequestException.badRequest("body", "CSV line " + lineNo + ": a quoted field is not closed");
        }
        if (any || !field.isEmpty()) {
            line.add(field.toString());
            lines.add(line);
        }
        return lines;
    }

    /**
     * @param values predicted numbers (regression), or null
     * @param labels predicted classes (classification), or null
     * @return {@code {"predictions": […]}}
     */
    public static ObjectNode response(double[] values, String[] labels) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        ArrayNode p = r.putArray("predictions");
        int n = labels != null ? labels.length : values.length;
        for (int i = 0; i < n; i++) {
            if (labels != null) {
                p.add(labels[i]);
            } else {
                p.add(values[i]);
            }
        }
        return r;
    }

    /**
     * @param e the refusal
     * @return {@code {"error_code": …, "message": …}}
     */
    public static ObjectNode error(RequestException e) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("error_code", e.mlflowErrorCode());
        r.put("message", e.getMessage());
        return r;
    }
}
