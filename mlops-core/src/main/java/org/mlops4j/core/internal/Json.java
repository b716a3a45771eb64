package org.mlops4j.core.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.mlops4j.core.CategoricalProfile;
import org.mlops4j.core.ColumnProfile;
import org.mlops4j.core.Drop;
import org.mlops4j.core.FittedTransform;
import org.mlops4j.core.Impute;
import org.mlops4j.core.Log1p;
import org.mlops4j.core.MinMax;
import org.mlops4j.core.NumericProfile;
import org.mlops4j.core.OneHot;
import org.mlops4j.core.Select;
import org.mlops4j.core.Standardize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one JSON mapper of mlops-core (internal: not part of the API). Formats written with it are
 * persisted (bundles, run artifacts), so it is configured for stability: sorted map keys, ISO-8601
 * instants, pretty printing, explicit type names for the closed hierarchies and no default typing (a
 * file can never name a Java class to instantiate).
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
            .addMixIn(FittedTransform.class, FittedTransformMixin.class)
            .addMixIn(ColumnProfile.class, ColumnProfileMixin.class)
            .build();

    private Json() {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Impute.Fitted.class, name = "impute"),
            @JsonSubTypes.Type(value = Standardize.Fitted.class, name = "standardize"),
            @JsonSubTypes.Type(value = MinMax.Fitted.class, name = "min_max"),
            @JsonSubTypes.Type(value = Log1p.Fitted.class, name = "log1p"),
            @JsonSubTypes.Type(value = OneHot.Fitted.class, name = "one_hot"),
            @JsonSubTypes.Type(value = Drop.Fitted.class, name = "drop"),
            @JsonSubTypes.Type(value = Select.Fitted.class, name = "select")})
    private interface FittedTransformMixin {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = NumericProfile.class, name = "numeric"),
            @JsonSubTypes.Type(value = CategoricalProfile.class, name = "categorical")})
    private interface ColumnProfileMixin {
    }

    /** @return the shared mapper; do not reconfigure it */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * @param value a record or collection
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
     * @param value a value
     * @param type  the declared type to write it as (keeps type ids of list elements)
     * @return UTF-8 JSON bytes
     */
    public static byte[] write(Object value, JavaType type) {
        try {
            return MAPPER.writerFor(type).writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + type + " as JSON: " + e.getMessage(), e);
        }
    }

    /** @return the type {@code List<FittedTransform>}, to write and read a fitted chain */
    public static JavaType transformListType() {
        return MAPPER.getTypeFactory().constructCollectionType(List.class, FittedTransform.class);
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
}
