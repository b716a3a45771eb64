package org.mlops4j.tracking.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunInfo;
import org.mlops4j.core.tracking.RunStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MLflow's REST 2.0 wire format (protobuf JSON with the proto field names) for the client store and the
 * server, in one place. int64 fields arrive as strings from protobuf printers and as numbers from others:
 * both are read. NaN and infinities are written as the strings protobuf uses. Internal: not an API.
 * {@snippet :
 * ObjectNode body = MlflowJson.object().put("run_id", runId);
 * body.putArray("metrics").add(MlflowJson.metricJson(new Metric("rmse", 3.1, 0, Instant.now())));
 * String wire = MlflowJson.write(body); // {"run_id":"...","metrics":[{"key":"rmse","value":3.1,"timestamp":...,"step":0}]}
 * }
 */
public final class MlflowJson {
    /** Tag MLflow uses for the parent of a nested run. */
    public static final String PARENT_TAG = "mlflow.parentRunId";
    /** Tag MLflow mirrors the run name into. */
    public static final String RUN_NAME_TAG = "mlflow.runName";
    /** Tag MLflow uses for the user who created a run. */
    public static final String USER_TAG = "mlflow.user";

    /** Deepest JSON nesting a request may have; MLflow's requests are at most 4 deep. */
    public static final int MAX_NESTING = 32;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                    .build())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private MlflowJson() {
    }

    /** @return an empty JSON object */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * @param bytes UTF-8 JSON
     * @return the parsed tree
     * @throws IllegalArgumentException when it is not a JSON object
     */
    public static JsonNode parse(byte[] bytes) {
        return parse(MAPPER.reader(), bytes);
    }

    /** Request bodies: a key given twice or anything after the JSON value is refused, never read as one of two meanings. */
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = MAPPER.reader()
            .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * A client's request body, strictly: as {@link #parse(byte[])}, and a duplicate key or content after the JSON
     * value is refused (Jackson would keep the last of two keys and ignore what follows the value).
     *
     * @param bytes UTF-8 JSON
     * @return the parsed tree
     * @throws IllegalArgumentException when it is not one JSON object with distinct keys, naming where and why
     */
    public static JsonNode parseRequest(byte[] bytes) {
        return parse(STRICT, bytes);
    }

    /**
     * Refuses text no store keeps as sent: a NUL character (PostgreSQL's text cannot hold one: the statement failed and the
     * client got a 500) or an unpaired UTF-16 surrogate (stored as '?', a silent change), in any value or key.
     *
     * @param params a request's parameters (its JSON body or its query)
     * @return them
     * @throws IllegalArgumentException naming the field and the character
     */
    public static JsonNode requireStorableText(JsonNode params) {
        requireStorable(params, "");
        return params;
    }

    private static void requireStorable(JsonNode n, String where) {
        if (n.isTextual()) {
            String bad = org.mlops4j.core.internal.Names.unstorable(n.textValue());
            if (bad != null) {
                throw new IllegalArgumentException("field '" + (where.isEmpty() ? "(body)" : where) + "' has " + bad
                        + "; text must be UTF-8 without NUL");
            }
        } else if (n.isObject()) {
            for (java.util.Map.Entry<String, JsonNode> e : n.properties()) {
                String bad = org.mlops4j.core.internal.Names.unstorable(e.getKey());
                String field = where.isEmpty() ? e.getKey() : where + "." + e.getKey();
                if (bad != null) {
                    throw new IllegalArgumentException("a field name has " + bad + "; text must be UTF-8 without NUL");
                }
                requireStorable(e.getValue(), field);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                requireStorable(n.get(i), where + "[" + i + "]");
            }
        }
    }

    private static JsonNode parse(com.fasterxml.jackson.databind.ObjectReader reader, byte[] bytes) {
        try {
            JsonNode n = bytes.length == 0 ? object() : reader.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                return object();
            }
            if (!n.isObject()) {
                throw new IllegalArgumentException("the request body must be a JSON object but was " + n.getNodeType());
            }
            return n;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("the request body is not valid JSON" + where + ": "
                    + org.mlops4j.core.internal.Json.clientMessage(e.getOriginalMessage()), e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the request body could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * @param node JSON
     * @return its text
     */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- reading fields (lenient on type, strict on presence when asked) ----

    /**
     * @param n     object
     * @param field name
     * @return the text, or null when absent or null
     */
    public static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isIntegralNumber()) {
            return v.asText();   // an id or version sent unquoted: its decimal digits, exactly
        }
        if (v.isNumber()) {
            // A JSON number with a fraction or an exponent has no one spelling as text (1e999 would become
            // "Infinity", 1e-7 "1.0E-7"): the client says which text it means.
            throw new IllegalArgumentException("field '" + field + "' must be a string but was a number with a"
                    + " fraction or an exponent; send it quoted, as the text to store");
        }
        throw new IllegalArgumentException("field '" + field + "' must be a string but was " + nodeType(v));
    }

    private static String nodeType(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean (" + v.asText() + ")";
            default -> v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * @param n     object
     * @param field name
     * @return the text
     * @throws IllegalArgumentException naming the field when it is missing or empty
     */
    public static String required(JsonNode n, String field) {
        String s = text(n, field);
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("missing value for required parameter '" + field + "'");
        }
        return s;
    }

    /**
     * @param n     object
     * @param field name
     * @return the number (int64 as string or number), or null when absent
     */
    public static Long longValue(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) { // 2^64 would wrap around to 0 through asLong()
                throw outOfRange(field, v);
            }
            return v.longValue();
        }
        if (v.isTextual()) {
            String text = v.asText().strip();
            if (!text.matches("[+-]?[0-9]{1,19}")) { // ASCII digits only: Long.parseLong also reads '１' and '٣'
                throw new IllegalArgumentException("field '" + field + "' must be an integer but was '" + v.asText() + "'");
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field '" + field + "' must be an integer but was '" + v.asText() + "'");
            }
        }
        if (v.isNumber() && Double.isFinite(v.asDouble())) {
            // 1e3 or 5.0 is a whole number; 1e300 or 0.5 is no long: refused rather than clamped or truncated
            java.math.BigDecimal d = v.decimalValue();
            if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException("field '" + field + "' must be an integer but was " + v);
            }
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw outOfRange(field, v);
            }
        }
        throw new IllegalArgumentException("field '" + field + "' must be an integer but was " + v);
    }

    private static IllegalArgumentException outOfRange(String field, JsonNode v) {
        return new IllegalArgumentException("field '" + field + "' must be an integer between " + Long.MIN_VALUE
                + " and " + Long.MAX_VALUE + " but was " + v);
    }

    /**
     * @param n     object
     * @param field name
     * @return the number (also "NaN", "Infinity", "-Infinity" strings)
     */
    public static double doubleValue(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing value for required parameter '" + field + "'");
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            String s = v.asText().strip();
            switch (s) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity", "inf" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity", "-inf" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("field '" + field + "' must be a number but was '" + s + "'");
                    }
                }
            }
        }
        throw new IllegalArgumentException("field '" + field + "' must be a number but was " + v);
    }

    /**
     * @param n     object
     * @param field name of an array of objects
     * @return its elements (empty when absent)
     */
    public static List<JsonNode> array(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be an array but was " + v.getNodeType());
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /**
     * @param n     object
     * @param field name of an array of {@code {key, value}}
     * @return the pairs, in order (a later duplicate wins)
     */
    public static Map<String, String> keyValues(JsonNode n, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode kv : array(n, field)) {
            String key = required(kv, "key");
            String value = text(kv, "value");
            out.put(key, value == null ? "" : value);
        }
        return out;
    }

    /**
     * @param m a metric JSON object
     * @return the metric
     */
    public static Metric metric(JsonNode m) {
        Long ts = longValue(m, "timestamp");
        Long step = longValue(m, "step");
        if (ts == null) {
            throw new IllegalArgumentException("missing value for required parameter 'timestamp' of metric '" + text(m, "key") + "'");
        }
        return new Metric(required(m, "key"), doubleValue(m, "value"), step == null ? 0 : step, Instant.ofEpochMilli(ts));
    }

    // ---- writing ----

    /**
     * @param array target
     * @param pairs key/value pairs, written as {@code {key, value}} objects
     */
    public static void putKeyValues(ArrayNode array, Map<String, String> pairs) {
        pairs.forEach((k, v) -> array.addObject().put("key", k).put("value", v));
    }

    /**
     * @param m a metric
     * @return its JSON
     */
    public static ObjectNode metricJson(Metric m) {
        ObjectNode o = object().put("key", m.key());
        putDouble(o, "value", m.value());
        return o.put("timestamp", m.timestamp().toEpochMilli()).put("step", m.step());
    }

    /**
     * @param o     target
     * @param field name
     * @param v     value; NaN and infinities as protobuf's strings
     */
    public static void putDouble(ObjectNode o, String field, double v) {
        if (Double.isNaN(v)) {
            o.put(field, "NaN");
        } else if (Double.isInfinite(v)) {
            o.put(field, v > 0 ? "Infinity" : "-Infinity");
        } else {
            o.put(field, v);
        }
    }

    /**
     * @param e an experiment
     * @return MLflow's Experiment message
     */
    public static ObjectNode experimentJson(Experiment e) {
        ObjectNode o = object()
                .put("experiment_id", e.id())
                .put("name", e.name())
                .put("artifact_location", "mlflow-artifacts:/" + e.id())
                .put("lifecycle_stage", "active")
                .put("creation_time", e.createdAt().toEpochMilli())
                .put("last_update_time", e.createdAt().toEpochMilli());
        putKeyValues(o.putArray("tags"), e.tags());
        return o;
    }

    /**
     * @param e MLflow's Experiment message
     * @return the experiment
     */
    public static Experiment experiment(JsonNode e) {
        Long created = longValue(e, "creation_time");
        return new Experiment(required(e, "experiment_id"), required(e, "name"), Instant.ofEpochMilli(created == null ? 0 : created),
                keyValues(e, "tags"));
    }

    /**
     * @param info a run's identity
     * @return its artifact root URI, served by the mlflow-artifacts proxy
     */
    public static String artifactUri(RunInfo info) {
        return "mlflow-artifacts:/" + info.experimentId() + "/" + info.runId() + "/artifacts";
    }

    /**
     * @param info a run's identity
     * @return MLflow's RunInfo message
     */
    public static ObjectNode runInfoJson(RunInfo info, String user) {
        ObjectNode o = object()
                .put("run_id", info.runId())
                .put("run_uuid", info.runId())
                .put("run_name", info.name())
                .put("experiment_id", info.experimentId())
                .put("user_id", user == null ? "" : user)
                .put("status", info.status().name())
                .put("start_time", info.startTime().toEpochMilli())
                .put("artifact_uri", artifactUri(info))
                .put("lifecycle_stage", "active");
        if (info.endTime() != null) {
            o.put("end_time", info.endTime().toEpochMilli());
        }
        return o;
    }

    /**
     * @param run a run
     * @return MLflow's Run message (the parent and the name are mirrored into MLflow's system tags)
     */
    public static ObjectNode runJson(Run run) {
        ObjectNode o = object();
        o.set("info", runInfoJson(run.info(), run.tags().get(USER_TAG)));
        ObjectNode data = o.putObject("data");
        ArrayNode metrics = data.putArray("metrics");
        run.metrics().values().forEach(m -> metrics.add(metricJson(m)));
        putKeyValues(data.putArray("params"), run.params());
        Map<String, String> tags = new LinkedHashMap<>(run.tags());
        tags.put(RUN_NAME_TAG, run.info().name());
        if (run.info().parentRunId() != null) {
            tags.put(PARENT_TAG, run.info().parentRunId());
        }
        putKeyValues(data.putArray("tags"), tags);
        o.putObject("inputs");
        return o;
    }

    /**
     * @param info MLflow's RunInfo message
     * @param tags the run's tags (for the parent)
     * @return the run's identity
     */
    public static RunInfo runInfo(JsonNode info, Map<String, String> tags) {
        String id = text(info, "run_id");
        if (id == null || id.isEmpty()) {
            id = required(info, "run_uuid");
        }
        Long start = longValue(info, "start_time");
        Long end = longValue(info, "end_time");
        String status = text(info, "status");
        RunStatus s = status == null || status.equals("SCHEDULED") ? RunStatus.RUNNING : RunStatus.valueOf(status);
        String name = text(info, "run_name");
        if (name == null || name.isEmpty()) {
            name = tags.getOrDefault(RUN_NAME_TAG, id);
        }
        return new RunInfo(id, required(info, "experiment_id"), name, tags.get(PARENT_TAG), s,
                Instant.ofEpochMilli(start == null ? 0 : start), end == null || end == 0 && s == RunStatus.RUNNING ? null : Instant.ofEpochMilli(end));
    }

    /** @return a tags map copy with MLflow's system mirrors removed, for callers that build runs from JSON */
    public static Map<String, String> withoutMirrors(Map<String, String> tags) {
        Map<String, String> m = new LinkedHashMap<>(tags);
        m.remove(MlflowJson.RUN_NAME_TAG);
        m.remove(MlflowJson.PARENT_TAG);
        return m;
    }
}
