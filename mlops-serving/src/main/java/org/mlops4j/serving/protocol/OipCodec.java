package org.mlops4j.serving.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The Open Inference Protocol V2 infer request and response for tabular models. A request carries either
 * one numeric tensor {@code [N, C]} (C = the model's input columns, in order; any name) or one tensor per
 * column named after it ({@code [N]} or {@code [N, 1]}; {@code BYTES} for categorical columns). {@code data}
 * may be flat (row-major) or nested as the shape says; {@code len(data) == prod(shape)} and the datatype
 * are checked on every path. Stateless and thread-safe.
 * {@snippet :
 * OipCodec.Decoded d = OipCodec.decode(json.read(body), layout, Limits.defaults());
 * d.id();        // echoed in the response
 * d.batch();     // the rows
 * }
 */
public final class OipCodec {
    private static final Set<String> TOP = Set.of("id", "parameters", "inputs", "outputs");
    private static final Set<String> INPUT = Set.of("name", "shape", "datatype", "data", "parameters");

    private OipCodec() {
    }

    /**
     * A decoded infer request.
     *
     * @param id      the request's id, or null
     * @param batch   the rows
     * @param outputs the output names asked for (empty: all)
     */
    public record Decoded(String id, Batch batch, List<String> outputs) {
    }

    /**
     * @param body   the JSON body
     * @param layout the model's input columns
     * @param limits the row limit
     * @return the request
     * @throws RequestException (400, 413) naming the field and what was expected
     */
    public static Decoded decode(JsonNode body, InputLayout layout, Limits limits) {
        if (!body.isObject()) {
            throw RequestException.badRequest("body", "the infer request is " + Values.kind(body)
                    + "; expected a JSON object with \"inputs\"");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP.contains(k)) {
                throw RequestException.badRequest(Values.shorten(k), "unknown field '" + Values.shorten(k)
                        + "' in the infer request; expected id, parameters, inputs, outputs");
            }
        }
        String id = null;
        JsonNode idNode = body.get("id");
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isTextual()) {
                throw RequestException.badRequest("id", "\"id\" is " + Values.kind(idNode) + "; expected a string");
            }
            id = idNode.textValue();
        }
        JsonNode params = body.get("parameters");
        if (params != null && !params.isObject() && !params.isNull()) {
            throw RequestException.badRequest("parameters", "\"parameters\" is " + Values.kind(params) + "; expected an object");
        }
        List<String> outputs = outputs(body.get("outputs"));
        JsonNode inputs = body.get("inputs");
        if (inputs == null || inputs.isNull()) {
            throw RequestException.badRequest("inputs", "the infer request has no \"inputs\"; expected one tensor [N, "
                    + layout.size() + "] or one tensor per input column " + layout.names());
        }
        if (!inputs.isArray() || inputs.isEmpty()) {
            throw RequestException.badRequest("inputs", "\"inputs\" is " + (inputs.isArray() ? "empty" : Values.kind(inputs))
                    + "; expected a non-empty array of tensors");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).isObject()) {
                throw RequestException.badRequest("inputs", "inputs[" + i + "] is " + Values.kind(inputs.get(i))
                        + "; expected an object with name, shape, datatype, data");
            }
        }
        boolean perColumn = inputs.size() > 1 || (layout.size() == 1 && isColumnName(inputs.get(0), layout))
                || (isColumnName(inputs.get(0), layout) && rank(inputs.get(0)) == 1);
        Batch batch = perColumn ? perColumn(inputs, layout, limits) : matrix(inputs.get(0), layout, limits);
        return new Decoded(id, batch, outputs);
    }

    private static boolean isColumnName(JsonNode input, InputLayout layout) {
        JsonNode n = input.get("name");
        return n != null && n.isTextual() && layout.index(n.textValue()) >= 0;
    }

    private static int rank(JsonNode input) {
        JsonNode s = input.get("shape");
        return s != null && s.isArray() ? s.size() : -1;
    }

    private static List<String> outputs(JsonNode outputs) {
        if (outputs == null || outputs.isNull()) {
            return List.of();
        }
        if (!outputs.isArray()) {
            throw RequestException.badRequest("outputs", "\"outputs\" is " + Values.kind(outputs) + "; expected an array of {\"name\": …}");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            JsonNode o = outputs.get(i);
            JsonNode n = o.isObject() ? o.get("name") : null;
            if (n == null || !n.isTextual()) {
                throw RequestException.badRequest("outputs", "outputs[" + i + "] has no \"name\" string");
            }
            names.add(n.textValue());
        }
        return names;
    }

    private record Tensor(String name, long[] shape, Datatype datatype, JsonNode data, String where) {
    }

    private static Tensor tensor(JsonNode in, int i, Limits limits) {
        String where = "inputs[" + i + "]";
        for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!INPUT.contains(k)) {
                throw RequestException.badRequest(Values.shorten(k), where + ": unknown field '" + Values.shorten(k)
                        + "'; expected name, shape, datatype, data, parameters");
            }
        }
        JsonNode name = in.get("name");
        if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
            throw RequestException.badRequest("name", where + ": \"name\" is " + (name == null ? "missing" : Values.kind(name))
                    + "; expected a non-empty string");
        }
        where = where + " ('" + Values.shorten(name.textValue()) + "')";
        JsonNode shape = in.get("shape");
        if (shape == null || !shape.isArray() || shape.isEmpty()) {
            throw RequestException.badRequest("shape", where + ": \"shape\" is " + (shape == null ? "missing" : shape.isArray() ? "empty" : Values.kind(shape))
                    + "; expected an array of dimensions such as [N, C]");
        }
        if (shape.size() > 8) {
            throw RequestException.badRequest("shape", where + ": \"shape\" has " + shape.size() + " dimensions; a tabular input has 1 or 2");
        }
        long[] dims = new long[shape.size()];
        long product = 1;
        for (int d = 0; d < dims.length; d++) {
            JsonNode x = shape.get(d);
            if (!x.isIntegralNumber() || !x.canConvertToLong() || x.longValue() < 0) {
                throw RequestException.badRequest("shape", where + ": shape[" + d + "] is " + Values.kind(x) + "; expected a whole number >= 0");
            }
            dims[d] = x.longValue();
            try {
                product = Math.multiplyExact(product, dims[d]);
            } catch (ArithmeticException e) {
                throw RequestException.tooLarge("shape", where + ": shape " + Arrays.toString(dims) + " is too large");
            }
        }
        Datatype dt = Datatype.parse(in.has("datatype") && in.get("datatype").isTextual() ? in.get("datatype").textValue() : null, where + ".datatype");
        JsonNode data = in.get("data");
        if (data == null || data.isNull()) {
            throw RequestException.badRequest("data", where + ": \"data\" is missing");
        }
        if (!data.isArray()) {
            throw RequestException.badRequest("data", where + ": \"data\" is " + Values.kind(data) + "; expected an array");
        }
        if (dims[0] > limits.maxRows()) {
            throw RequestException.tooLarge("rows", where + ": " + dims[0] + " rows is more than the limit of " + limits.maxRows() + " per request");
        }
        return new Tensor(name.textValue(), dims, dt, data, where);
    }

    /** The values of a tensor, flattened, checking nesting against the shape and the count against prod(shape). */
    private static List<JsonNode> flatten(Tensor t) {
        long expected = 1;
        for (long d : t.shape) {
            expected *= d;
        }
        List<JsonNode> flat = new ArrayList<>((int) Math.min(expected, 1 << 20));
        boolean nested = !t.data.isEmpty() && t.data.get(0).isArray();
        if (nested) {
            collect(t.data, t.shape, 0, flat, t.where + ".data", t);
        } else {
            for (JsonNode v : t.data) {
                if (v.isArray() || v.isObject()) {
                    throw RequestException.badRequest("data", t.where + ".data mixes nested and flat values; give one or the other");
                }
                flat.add(v);
            }
        }
        if (flat.size() != expected) {
            throw RequestException.badRequest("data", t.where + ": shape " + Arrays.toString(t.shape) + " needs " + expected
                    + " values but data has " + flat.size());
        }
        return flat;
    }

    private static void collect(JsonNode node, long[] shape, int dim, List<JsonNode> out, String where, Tensor t) {
        if (dim >= shape.length) {
            throw RequestException.badRequest("data", where + " is nested deeper than shape " + Arrays.toString(shape));
        }
        if (!node.isArray() || node.size() != shape[dim]) {
            throw RequestException.badRequest("data", where + " has " + (node.isArray() ? node.size() + " elements" : Values.kind(node))
                    + " but shape " + Arrays.toString(shape) + " needs " + shape[dim] + " at dimension " + dim);
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode c = node.get(i);
            if (dim == shape.length - 1) {
                if (c.isArray() || c.isObject()) {
                    throw RequestException.badRequest("data", where + "[" + i + "] is nested deeper than shape " + Arrays.toString(shape));
                }
                out.add(c);
            } else {
                collect(c, shape, dim + 1, out, where + "[" + i + "]", t);
            }
        }
    }

    private static double number(JsonNode v, Tensor t, int index, String column) {
        String where = t.where + ".data[" + index + "]";
        if (!v.isNumber()) {
            throw RequestException.badRequest(column, where + " (column '" + column + "') is " + Values.kind(v) + "; " + t.datatype + " needs numbers");
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw RequestException.badRequest(column, where + " (column '" + column + "') is outside the range of " + t.datatype);
        }
        return t.datatype.check(d, where + " (column '" + column + "')");
    }

    private static Batch matrix(JsonNode in, InputLayout layout, Limits limits) {
        Tensor t = tensor(in, 0, limits);
        int c = layout.size();
        if (!layout.allNumeric()) {
            throw RequestException.badRequest("inputs", t.where + ": the model has categorical columns, so one [N, " + c
                    + "] tensor cannot carry its rows; send one tensor per column " + layout.names() + " (BYTES for the categorical ones)");
        }
        if (t.shape.length != 2 || t.shape[1] != c) {
            throw RequestException.badRequest("shape", t.where + ": shape " + Arrays.toString(t.shape) + " does not fit the model: expected [N, " + c
                    + "] with the columns " + layout.names() + " in that order, or one tensor per column named after it");
        }
        if (!t.datatype.isNumeric()) {
            throw RequestException.badRequest("datatype", t.where + ": datatype " + t.datatype + " does not fit numeric columns; use FP32 or FP64");
        }
        if (t.shape[0] == 0) {
            throw RequestException.badRequest("shape", t.where + ": shape " + Arrays.toString(t.shape) + " has no rows");
        }
        List<JsonNode> flat = flatten(t);
        double[] values = new double[flat.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(flat.get(i), t, i, layout.names().get(i % c));
        }
        return Batch.numeric(layout, (int) t.shape[0], values);
    }

    private static Batch perColumn(JsonNode inputs, InputLayout layout, Limits limits) {
        int c = layout.size();
        Tensor[] byColumn = new Tensor[c];
        long rows = -1;
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = tensor(inputs.get(i), i, limits);
            int col = layout.index(t.name);
            if (col < 0 && layout.isIgnored(t.name)) {
                continue; // a column the model does not read
            }
            if (col < 0) {
                String closest = org.mlops4j.core.internal.Names.closest(t.name, layout.names());
                throw RequestException.badRequest("inputs", t.where + ": '" + Values.shorten(t.name) + "' is not an input of the model"
                        + (closest == null ? "." : "; did you mean '" + closest + "'?") + " Inputs are " + layout.names()
                        + (layout.ignored().isEmpty() ? "" : " (accepted and ignored: " + layout.ignored() + ")"));
            }
            if (byColumn[col] != null) {
                throw RequestException.badRequest(t.name, t.where + ": input '" + t.name + "' is given twice");
            }
            if (t.shape.length > 2 || (t.shape.length == 2 && t.shape[1] != 1)) {
                throw RequestException.badRequest("shape", t.where + ": shape " + Arrays.toString(t.shape) + " does not fit one column; expected [N] or [N, 1]");
            }
            if (layout.isNumeric(col) ? !t.datatype.isNumeric() : t.datatype != Datatype.BYTES) {
                throw RequestException.badRequest("datatype", t.where + ": datatype " + t.datatype + " does not fit column '" + t.name + "', which is "
                        + (layout.isNumeric(col) ? "numeric (use FP32 or FP64)" : "categorical (use BYTES)"));
            }
            if (rows >= 0 && t.shape[0] != rows) {
                throw RequestException.badRequest("shape", t.where + ": " + org.mlops4j.core.internal.Names.count(t.shape[0], "row") + " but the inputs before it have " + rows
                        + "; every input needs the same number of rows");
            }
            rows = t.shape[0];
            byColumn[col] = t;
        }
        List<String> missing = new ArrayList<>();
        for (int col = 0; col < c; col++) {
            if (byColumn[col] == null) {
                missing.add(layout.names().get(col));
            }
        }
        if (!missing.isEmpty()) {
            throw RequestException.badRequest(missing.get(0), "the infer request lacks the input" + (missing.size() == 1 ? " " : "s ") + missing
                    + "; the model's inputs are " + layout.names());
        }
        if (rows == 0) {
            throw RequestException.badRequest("shape", "the inputs have no rows");
        }
        int n = (int) rows;
        double[] values = new double[n * c];
        String[] cats = layout.allNumeric() ? null : new String[n * c];
        for (int col = 0; col < c; col++) {
            Tensor t = byColumn[col];
            List<JsonNode> flat = flatten(t);
            String name = layout.names().get(col);
            for (int r = 0; r < n; r++) {
                JsonNode v = flat.get(r);
                if (layout.isNumeric(col)) {
                    values[r * c + col] = number(v, t, r, name);
                } else {
                    if (!v.isTextual()) {
                        throw RequestException.badRequest(name, t.where + ".data[" + r + "] is " + Values.kind(v) + "; BYTES needs strings");
                    }
                    values[r * c + col] = Double.NaN;
                    cats[r * c + col] = v.textValue();
                }
            }
        }
        return new Batch(layout, n, values, cats);
    }

    /**
     * @param modelName    the model
     * @param version      its version
     * @param id           the request's id, or null
     * @param outputName   the output tensor's name
     * @param values       predicted numbers (regression), or null
     * @param labels       predicted classes (classification), or null
     * @return the infer response
     */
    public static ObjectNode response(String modelName, String version, String id, String outputName, double[] values, String[] labels) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode r = f.objectNode();
        r.put("model_name", modelName);
        r.put("model_version", version);
        if (id != null) {
            r.put("id", id);
        }
        ObjectNode out = r.putArray("outputs").addObject();
        out.put("name", outputName);
        int n = labels != null ? labels.length : values.length;
        out.putArray("shape").add(n).add(1);
        out.put("datatype", labels != null ? "BYTES" : "FP64");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < n; i++) {
            if (labels != null) {
                data.add(labels[i]);
            } else {
                data.add(values[i]);
            }
        }
        return r;
    }

    /**
     * @param message the error
     * @return {@code {"error": message}}
     */
    public static ObjectNode error(String message) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("error", message);
        return e;
    }
}
