package org.mlops4j.djl.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The module's JSON mapper (strict: unknown fields are errors). Internal: not an API.
 *
 * <pre>{@code
 * byte[] bytes = Json.write(signature);
 * ModelSignature back = Json.read(bytes, ModelSignature.class);  // unknown fields are an IOException
 * }</pre>
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Json() {
    }

    /**
     * @param value a record
     * @return its JSON, UTF-8
     */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param bytes JSON
     * @param type  the record type
     * @param <T>   the type
     * @return the value
     * @throws IOException when the JSON is not that type
     */
    public static <T> T read(byte[] bytes, Class<T> type) throws IOException {
        return MAPPER.readValue(bytes, type);
    }
}
