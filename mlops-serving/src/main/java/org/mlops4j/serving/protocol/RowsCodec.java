package org.mlops4j.serving.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;

/**
 * The request for people, {@code POST /predict/{name}}: {@code {"rows": [{"CRIM": 0.02, …}]}}, with the
 * {@code Predictor}'s rules for values: {@code null} is a missing value (imputed when the model's fitted chain
 * imputes it, as the house-price model's median imputation does; an error naming the column otherwise), numeric
 * text is accepted, a key that is not an input column is refused with the closest column. A column left out of a
 * row is refused (400 naming it): a forgotten key is more likely a mistake than a missing value, so a missing
 * value is said with {@code null}. Answers {@code {"model": …, "version": …, "predictions": […]}}.
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
        return Rows.records(body.get("rows"), "rows", layout, limits, true, true);
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
