package org.mlops4j.serving.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;

/**
 * The request for people, {@code POST /predict/{name}}: {@code {"rows": [{"CRIM": 0.02, …}]}}, with the
 * {@code Predictor}'s own rules: a column left out is a missing value (fine when the model imputes it, an
 * error naming it otherwise), numeric text is accepted, a key that is not an input column is refused with the
 * closest column. Answers {@code {"model": …, "version": …, "predictions": […]}}.
 * {@snippet :
 * Batch decoded = RowsCodec.decode(json.read(body), layout, Limits.defaults());
 * }
 */
public final class RowsCodec {
    private RowsCodec() {
    }

    /**
     * @param body   the JSON body
     * @param layout the model's columns
     * @param limits the row limit
     * @return the rows
     */
    public static Batch decode(JsonNode body, InputLayout layout, Limits limits) {
        if (!body.isObject()) {
            throw RequestException.badRequest("body", "the body is " + Values.kind(body) + "; expected {\"rows\": [{column: value, ...}]}");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("rows")) {
                throw RequestException.badRequest(Values.shorten(k), "unknown field '" + Values.shorten(k) + "'; expected {\"rows\": [...]}");
            }
        }
        return Rows.records(body.get("rows"), "rows", layout, limits, false, true);
    }

    /**
     * @param model   model name
     * @param version version served
     * @param id      the prediction id (for feedback)
     * @param values  predicted numbers (regression), or null
     * @param labels  predicted classes (classification), or null
     * @return the response
     */
    public static ObjectNode response(String model, int version, String id, double[] values, String[] labels) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("model", model);
        r.put("version", version);
        r.put("id", id);
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
}
