package org.mlops4j.core.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonClientMessageTest {
    @Test
    void keepsWhatIsWrongAndDropsTheParsersNotes() {
        assertThat(Json.clientMessage("Trailing token (of type START_OBJECT) found after value (bound as `com.fasterxml.jackson.databind.JsonNode`):"
                + " not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`"))
                .isEqualTo("Trailing token (of type START_OBJECT) found after value: not allowed");
        assertThat(Json.clientMessage("Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED"
                + " (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])\n at [Source: x; line: 1, column: 2]"))
                .isEqualTo("Unexpected end-of-input: expected close marker for Object");
        assertThat(Json.clientMessage("Unexpected close marker '}': expected ']' (for Array starting at [Source: REDACTED"
                + " (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 11])"))
                .isEqualTo("Unexpected close marker '}': expected ']' (for Array)");
        assertThat(Json.clientMessage("Document nesting depth (17) exceeds the maximum allowed (16, from `StreamReadConstraints.getMaxNestingDepth()`)"))
                .isEqualTo("Document nesting depth (17) exceeds the maximum allowed (16)");
        assertThat(Json.clientMessage("Duplicate field 'name'")).isEqualTo("Duplicate field 'name'");
        assertThat(Json.clientMessage(null)).isEmpty();
        assertThat(Json.clientMessage("x".repeat(400))).hasSize(301);
    }
}
