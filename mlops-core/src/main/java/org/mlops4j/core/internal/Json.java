package org.mlops4j.core.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one JSON mapper of mlops4j (internal: not part of the API). Formats written with it are persisted
 * (bundles, run artifacts, {@code pipeline.json}), so it is configured for stability: sorted map keys,
 * ISO-8601 instants, pretty printing, and no default typing, so a file can never name a Java class to
 * instantiate. Polymorphic values (fitted transforms, column profiles, the parts of a pipeline spec) are
 * written by their own codecs under allow-listed type names, never through this mapper's type handling.
 *
 * <pre>{@code
 * byte[] bytes = Json.write(manifest);                          // sorted keys, ISO-8601 instants
 * BundleManifest back = Json.read(bytes, BundleManifest.class);
 * }</pre>
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .build();

    private Json() {
    }

    /** Puts a {@code "type"} property with the allow-listed name first in every value of a family. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    private interface TypeNameMixin {
    }

    /**
     * A copy of the shared mapper that writes and reads values of the given families under allow-listed
     * names: each base type's values carry {@code "type": "<name>"}, and reading resolves names only to
     * the classes given here (an unknown name fails; no class name is ever read from a file).
     *
     * @param families base type to (name to class) of its allowed subtypes
     * @return the mapper
     */
    public static ObjectMapper withTypeNames(Map<Class<?>, Map<String, Class<?>>> families) {
        ObjectMapper m = MAPPER.copy();
        families.forEach((base, names) -> {
            m.addMixIn(base, TypeNameMixin.class);
            names.forEach((name, type) -> m.registerSubtypes(new NamedType(type, name)));
        });
        return m;
    }

    /** @return the shared mapper; do not reconfigure it */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * @param value a record, collection or JSON tree
     * @return UTF-8 JSON bytes
     */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * @param value a record or collection
     * @return JSON text
     */
    public static String writeString(Object value) {
        return new String(write(value), StandardCharsets.UTF_8);
    }

    /**
     * @param json JSON bytes
     * @param type target type
     * @param <T>  target type
     * @return the value
     * @throws IOException when the JSON does not fit the type
     */
    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    /**
     * @param json JSON bytes
     * @param type target type (for generics)
     * @param <T>  target type
     * @return the value
     * @throws IOException when the JSON does not fit the type
     */
    public static <T> T read(byte[] json, JavaType type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    private static final java.util.regex.Pattern SOURCE = java.util.regex.Pattern.compile("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)|(?:\\s+starting)?(?:\\s+at)?\\s*\\[Source:[^\\]]*\\]");
    private static final java.util.regex.Pattern BOUND = java.util.regex.Pattern.compile("\\s*\\(bound as `[^`]*`\\)");
    private static final java.util.regex.Pattern FROM = java.util.regex.Pattern.compile(",?\\s*(?:from|as per) `[^`]*`");
    private static final java.util.regex.Pattern TICKED = java.util.regex.Pattern.compile("`[^`]*\\.[^`]*`");

    /**
     * A JSON parser's message as a client may read it: its first line (at most 300 characters), without the
     * parser's notes on its source, the Java type it was binding to or the setting that holds a limit (which name
     * classes of the server, never what the client sent wrong).
     * {@snippet :
     * String m = org.mlops4j.core.internal.Json.clientMessage("Trailing token (of type START_OBJECT) found after value (bound as `com.fasterxml.jackson.databind.JsonNode`): not allowed");
     * // "Trailing token (of type START_OBJECT) found after value: not allowed"
     * }
     *
     * @param message the parser's message (its original message, without the location), or null
     * @return the message for a 400 answer ("" for null)
     */
    public static String clientMessage(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String s = nl < 0 ? message : message.substring(0, nl);
        s = SOURCE.matcher(s).replaceAll("");
        s = BOUND.matcher(s).replaceAll("");
        s = FROM.matcher(s).replaceAll("");
        s = TICKED.matcher(s).replaceAll("a setting").strip();
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
