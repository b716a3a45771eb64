package org.mlops4j.core.data.profile;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mlops4j.core.internal.Json;

import java.io.IOException;

/** The {@code profile.json} codec: column profiles carry an allow-listed {@code kind}, never a class name. */
final class ProfileJson {
    private static final ObjectMapper MAPPER = Json.mapper().copy().addMixIn(ColumnProfile.class, ColumnProfileMixin.class);

    private ProfileJson() {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = NumericProfile.class, name = "numeric"),
            @JsonSubTypes.Type(value = CategoricalProfile.class, name = "categorical")})
    private interface ColumnProfileMixin {
    }

    static byte[] write(DataProfile profile) {
        try {
            return MAPPER.writeValueAsBytes(profile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a data profile as JSON: " + e.getMessage(), e);
        }
    }

    static DataProfile read(byte[] json) {
        try {
            return MAPPER.readValue(json, DataProfile.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a data profile (profile.json): " + e.getMessage(), e);
        }
    }
}
