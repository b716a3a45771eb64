package org.mlops4j.core.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.ColumnType;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.internal.Names;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code manifest.json} against its schema before anything is bound: every field of the right JSON
 * type, no unknown field, the values in range, and only {@link BundleIntegrityException}s (never a
 * {@code NullPointerException} or {@code ClassCastException} from a malformed file).
 */
final class ManifestCheck {
    private static final ObjectMapper STRICT = strict();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** Fields every v1 manifest has. */
    private static final Set<String> REQUIRED = Set.of("format", "formatVersion", "flavor", "task", "label", "algorithm",
            "hyperparameters", "inputSchema", "features", "classes", "metrics", "lineage", "environment", "createdAt", "files");
    /** Fields added within v1: absent (or null) in manifests that earlier v1 writers wrote. */
    private static final Set<String> OPTIONAL = Set.of("training", "inputRanges", "output", "ignoredInputs");
    /** Files a bundle may hold beside the ones its manifest lists. */
    static final Set<String> UNLISTED = Set.of(ModelBundle.MANIFEST, BundleSignature.FILE, BundleArchive.EXPORT_FILE);
    private static final int MAX_NAME = 200;

    private ManifestCheck() {
    }

    private static ObjectMapper strict() {
        ObjectMapper m = Json.mapper().copy();
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20)
                .maxNumberLength(64).build());
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return m;
    }

    /**
     * @param bytes the manifest's content
     * @param where the bundle, for messages
     * @return the manifest, every field checked
     * @throws BundleIntegrityException naming the field and what was expected
     */
    static BundleManifest read(byte[] bytes, String where) {
        String at = "bundle " + where + ": " + ModelBundle.MANIFEST;
        JsonNode root;
        try {
            root = STRICT.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            throw new BundleIntegrityException(at + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new BundleIntegrityException(at + " must be a JSON object but is " + kind(root));
        }
        String format = text(root, "format", at, true);
        if (!BundleManifest.FORMAT.equals(format)) {
            throw new BundleIntegrityException(at + ": format is " + Names.quote(format) + "; expected '" + BundleManifest.FORMAT
                    + "' (this is not an mlops4j model bundle)");
        }
        JsonNode version = root.get("formatVersion");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
            throw new BundleIntegrityException(at + ": formatVersion must be an integer but is " + kind(version));
        }
        int v = version.intValue();
        if (v < 1 || v > BundleManifest.FORMAT_VERSION) {
            JsonNode env = root.path("environment").path("mlops.version");
            String writer = env.isTextual() ? "mlops4j " + env.asText() : "a newer mlops4j release";
            throw new UnsupportedBundleException("bundle " + where + " has format version " + v + "; this mlops4j ("
                    + ModelBundle.class.getPackage().getImplementationVersion() + ") reads format versions 1 to " + BundleManifest.FORMAT_VERSION
                    + (v > BundleManifest.FORMAT_VERSION ? "; read it with " + writer + " (the release that wrote it) or a newer one" : ""));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!REQUIRED.contains(f) && !OPTIONAL.contains(f)) {
                throw new BundleIntegrityException(at + " has an unknown field " + Names.quote(f) + "; format version " + v + " has "
                        + REQUIRED.stream().sorted().toList() + " and optionally " + OPTIONAL.stream().sorted().toList());
            }
        }
        for (String f : REQUIRED) {
            if (!root.has(f)) {
                throw new BundleIntegrityException(at + " has no field '" + f + "'");
            }
        }
        String flavor = text(root, "flavor", at, true);
        name(flavor, at + ": flavor");
        Task task = enumValue(Task.class, text(root, "task", at, true), at + ": task");
        String label = text(root, "label", at, true);
        name(label, at + ": label");
        text(root, "algorithm", at, true);
        stringMap(root.get("hyperparameters"), at + ": hyperparameters");
        stringMap(root.get("environment"), at + ": environment");

        JsonNode schema = object(root.get("inputSchema"), at + ": inputSchema");
        onlyFields(schema, Set.of("fields"), at + ": inputSchema");
        JsonNode fields = array(schema.get("fields"), at + ": inputSchema.fields");
        if (fields.isEmpty()) {
            throw new BundleIntegrityException(at + ": inputSchema.fields is empty; a model takes at least one input column");
        }
        Set<String> inputs = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            String p = at + ": inputSchema.fields[" + i + "]";
            JsonNode f = object(fields.get(i), p);
            onlyFields(f, Set.of("name", "type", "nullable"), p);
            String n = text(f, "name", p, true);
            name(n, p + ".name");
            enumValue(ColumnType.class, text(f, "type", p, true), p + ".type");
            if (!f.path("nullable").isBoolean()) {
                throw new BundleIntegrityException(p + ".nullable must be true or false but is " + kind(f.get("nullable")));
            }
            if (!inputs.add(n)) {
                throw new BundleIntegrityException(p + ": column " + Names.quote(n) + " appears twice in inputSchema");
            }
        }
        if (inputs.contains(label)) {
            throw new BundleIntegrityException(at + ": the label " + Names.quote(label) + " is also an input column");
        }
        List<String> features = strings(root.get("features"), at + ": features");
        if (features.isEmpty()) {
            throw new BundleIntegrityException(at + ": features is empty; a model reads at least one column");
        }
        unique(features, at + ": features");
        List<String> classes = strings(root.get("classes"), at + ": classes");
        unique(classes, at + ": classes");
        if (task == Task.REGRESSION && !classes.isEmpty()) {
            throw new BundleIntegrityException(at + ": a regression model has no classes but classes is " + classes);
        }
        if (task == Task.CLASSIFICATION && classes.isEmpty()) {
            throw new BundleIntegrityException(at + ": a classification model lists its classes but classes is empty");
        }
        JsonNode metrics = object(root.get("metrics"), at + ": metrics");
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().doubleValue())) {
                throw new BundleIntegrityException(at + ": metrics." + e.getKey() + " must be a finite number but is " + kind(e.getValue()));
            }
        }
        JsonNode lineage = object(root.get("lineage"), at + ": lineage");
        Set<String> lineageFields = Set.of("runId", "experimentId", "datasetVersion", "datasetSource", "parent");
        onlyFields(lineage, lineageFields, at + ": lineage");
        for (String f : lineageFields) {
            text(lineage, f, at + ": lineage", false);
        }
        String created = text(root, "createdAt", at, true);
        try {
            Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw new BundleIntegrityException(at + ": createdAt must be an ISO-8601 instant (2026-11-26T06:28:27Z) but is "
                    + Names.quote(created), e);
        }
        checkFiles(array(root.get("files"), at + ": files"), at);
        JsonNode training = root.get("training");
        if (training != null && !training.isNull()) {
            object(training, at + ": training");
            onlyFields(training, Set.of("rows", "refit", "trainedOn", "metricsFrom"), at + ": training");
            if (!training.path("rows").isIntegralNumber() || training.path("rows").longValue() < 0) {
                throw new BundleIntegrityException(at + ": training.rows must be a count but is " + kind(training.get("rows")));
            }
            if (!training.path("refit").isBoolean()) {
                throw new BundleIntegrityException(at + ": training.refit must be true or false but is " + kind(training.get("refit")));
            }
            text(training, "trainedOn", at + ": training", false);
            text(training, "metricsFrom", at + ": training", false);
        }
        JsonNode ranges = root.get("inputRanges");
        if (ranges != null && !ranges.isNull()) {
            object(ranges, at + ": inputRanges");
            for (Iterator<Map.Entry<String, JsonNode>> it = ranges.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = at + ": inputRanges." + e.getKey();
                if (!inputs.contains(e.getKey())) {
                    throw new BundleIntegrityException(p + ": " + Names.quote(e.getKey()) + " is not an input column of inputSchema");
                }
                JsonNode r = object(e.getValue(), p);
                onlyFields(r, Set.of("min", "max", "values"), p);
                JsonNode min = r.get("min");
                JsonNode max = r.get("max");
                for (JsonNode n : new JsonNode[] {min, max}) {
                    if (n != null && !n.isNull() && !(n.isNumber() && Double.isFinite(n.doubleValue()))) {
                        throw new BundleIntegrityException(p + ": min and max must be finite numbers or null but one is " + kind(n));
                    }
                }
                if (min != null && max != null && min.isNumber() && max.isNumber() && min.doubleValue() > max.doubleValue()) {
                    throw new BundleIntegrityException(p + ": min " + min + " is above max " + max);
                }
                if (r.has("values") && !r.get("values").isNull()) {
                    strings(r.get("values"), p + ".values");
                }
            }
        }
        JsonNode ignored = root.get("ignoredInputs");
        if (ignored != null && !ignored.isNull() && v < 2) {
            throw new BundleIntegrityException(at + ": ignoredInputs is a field of format version 2 but the manifest says formatVersion " + v);
        }
        if (ignored != null && !ignored.isNull()) {
            List<String> names = strings(ignored, at + ": ignoredInputs");
            unique(names, at + ": ignoredInputs");
            for (String n : names) {
                name(n, at + ": ignoredInputs");
                if (inputs.contains(n) || n.equals(label)) {
                    throw new BundleIntegrityException(at + ": ignoredInputs lists " + Names.quote(n) + ", which is "
                            + (n.equals(label) ? "the label" : "an input column of inputSchema") + "; a column is read or ignored, not both");
                }
            }
        }
        JsonNode output = root.get("output");
        if (output != null && !output.isNull()) {
            String p = at + ": output";
            object(output, p);
            onlyFields(output, Set.of("name", "type", "classes"), p);
            String n = text(output, "name", p, true);
            if (!n.equals(label)) {
                throw new BundleIntegrityException(p + ".name is " + Names.quote(n) + " but the label is " + Names.quote(label));
            }
            ColumnType type = enumValue(ColumnType.class, text(output, "type", p, true), p + ".type");
            if ((type == ColumnType.NUMERIC) != (task == Task.REGRESSION)) {
                throw new BundleIntegrityException(p + ".type is " + type + " but the task is " + task);
            }
            List<String> oc = output.has("classes") && !output.get("classes").isNull() ? strings(output.get("classes"), p + ".classes") : List.of();
            if (!oc.equals(classes)) {
                throw new BundleIntegrityException(p + ".classes " + oc + " differ from classes " + classes);
            }
        }
        try {
            return STRICT.treeToValue(root, BundleManifest.class);
        } catch (IOException | RuntimeException e) {
            throw new BundleIntegrityException(at + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void checkFiles(JsonNode files, String at) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            String p = at + ": files[" + i + "]";
            JsonNode f = object(files.get(i), p);
            onlyFields(f, Set.of("path", "sha256", "size"), p);
            String path = text(f, "path", p, true);
            checkFileName(path, p + ".path");
            if (UNLISTED.contains(path)) {
                throw new BundleIntegrityException(p + ".path: " + path + " is not listed in the manifest (it is not covered by it)");
            }
            if (!seen.add(path.toLowerCase(Locale.ROOT))) {
                throw new BundleIntegrityException(p + ".path: " + path + " is listed twice");
            }
            String sha = text(f, "sha256", p, true);
            if (!SHA256.matcher(sha).matches()) {
                throw new BundleIntegrityException(p + ".sha256 must be 64 lowercase hex digits but is " + Names.quote(sha));
            }
            JsonNode size = f.get("size");
            if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
                throw new BundleIntegrityException(p + ".size must be a byte count but is " + kind(size));
            }
        }
        for (String required : List.of(ModelBundle.TRANSFORMS, ModelBundle.PROFILE)) {
            if (!seen.contains(required)) {
                throw new BundleIntegrityException(at + ": the manifest does not list " + required);
            }
        }
    }

    /**
     * @param name a bundle file name from a manifest or a zip
     * @param at   where it was read, for the message
     * @throws BundleIntegrityException unless it is a plain file name
     */
    static void checkFileName(String name, String at) {
        String why = fileNameProblem(name);
        if (why != null) {
            throw new BundleIntegrityException(at + ": " + Names.quote(name) + " " + why + "; bundle files are plain names"
                    + " (letters, digits, '_', '-', '.', not starting with '.')");
        }
    }

    /** @return why a name is not a plain bundle file name, or null */
    static String fileNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        if (name.startsWith("/") || name.startsWith("\\") || (name.length() > 1 && name.charAt(1) == ':')) {
            return "is an absolute path";
        }
        for (String part : name.split("[/\\\\]", -1)) {
            if (part.equals("..")) {
                return "escapes the bundle ('..')";
            }
        }
        if (name.contains("/") || name.contains("\\")) {
            return "is in a folder";
        }
        if (name.startsWith(".")) {
            return "starts with '.'";
        }
        if (name.length() > MAX_NAME) {
            return "is longer than " + MAX_NAME + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')) {
                return "has the character " + (c < 32 || c > 126 ? String.format("U+%04X", (int) c) : "'" + c + "'");
            }
        }
        return null;
    }

    private static void name(String value, String at) {
        if (value.isBlank() || value.length() > MAX_NAME) {
            throw new BundleIntegrityException(at + " must be a non-blank name of at most " + MAX_NAME + " characters but is " + Names.quote(value));
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String at) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(value)) {
                return e;
            }
        }
        throw new BundleIntegrityException(at + " must be one of " + List.of(type.getEnumConstants()) + " but is " + Names.quote(value));
    }

    private static String text(JsonNode parent, String field, String at, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new BundleIntegrityException(at + ": " + field + " must be a string but is " + kind(n));
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new BundleIntegrityException(at + ": " + field + " must be a string but is " + kind(n));
        }
        return n.textValue();
    }

    private static JsonNode object(JsonNode n, String at) {
        if (n == null || !n.isObject()) {
            throw new BundleIntegrityException(at + " must be a JSON object but is " + kind(n));
        }
        return n;
    }

    private static JsonNode array(JsonNode n, String at) {
        if (n == null || !n.isArray()) {
            throw new BundleIntegrityException(at + " must be a JSON array but is " + kind(n));
        }
        return n;
    }

    private static void onlyFields(JsonNode n, Set<String> known, String at) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new BundleIntegrityException(at + " has an unknown field " + Names.quote(f) + "; expected " + known.stream().sorted().toList());
            }
        }
    }

    private static List<String> strings(JsonNode n, String at) {
        array(n, at);
        String[] out = new String[n.size()];
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual()) {
                throw new BundleIntegrityException(at + "[" + i + "] must be a string but is " + kind(e));
            }
            out[i] = e.textValue();
        }
        return List.of(out);
    }

    private static void stringMap(JsonNode n, String at) {
        object(n, at);
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new BundleIntegrityException(at + "." + e.getKey() + " must be a string but is " + kind(e.getValue()));
            }
        }
    }

    private static void unique(List<String> values, String at) {
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (v.isBlank()) {
                throw new BundleIntegrityException(at + " has a blank entry");
            }
            if (!seen.add(v)) {
                throw new BundleIntegrityException(at + " lists " + Names.quote(v) + " twice");
            }
        }
    }

    static String kind(JsonNode n) {
        if (n == null) {
            return "missing";
        }
        String shown = n.toString();
        return n.getNodeType().name().toLowerCase(Locale.ROOT) + " " + (shown.length() > 60 ? shown.substring(0, 60) + "..." : shown);
    }
}
