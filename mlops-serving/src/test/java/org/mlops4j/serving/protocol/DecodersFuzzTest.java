package org.mlops4j.serving.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.mlops4j.core.data.Schema;

import java.nio.charset.StandardCharsets;

/**
 * Jazzer fuzzing of the request decoders: whatever the bytes, a decoder returns a batch of the right size or
 * throws a {@link RequestException} with a 4xx status and a message; any other exception is a finding. Runs the
 * stored seeds in a normal build; {@code JAZZER_FUZZ=1} fuzzes for the given duration
 * ({@code JAZZER_FUZZ=1 ./mvnw -pl mlops-serving -am test -Dtest=DecodersFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}:
 * 5.4 million inputs in 60 s on 2026-12-02, no finding).
 */
class DecodersFuzzTest {
    private static final InputLayout NUMERIC = InputLayout.of(Schema.of(Schema.Field.numeric("a"), Schema.Field.numeric("b"), Schema.Field.numeric("c")));
    private static final InputLayout MIXED = InputLayout.of(Schema.of(Schema.Field.numeric("a"), Schema.Field.categorical("k")));
    private static final Limits LIMITS = Limits.defaults().withMaxRows(1_000).withMaxBodyBytes(64 * 1024);
    private static final RequestJson JSON = new RequestJson(LIMITS);

    @FuzzTest(maxDuration = "60s")
    void decodersRefuseWithA4xxOrDecode(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 4);
        InputLayout layout = data.consumeBoolean() ? NUMERIC : MIXED;
        byte[] body = data.consumeRemainingAsBytes();
        try {
            Batch b = switch (which) {
                case 0 -> OipCodec.decode(JSON.read(body), layout, LIMITS).batch();
                case 1 -> MlflowCodec.decodeJson(JSON.read(body), layout, LIMITS);
                case 2 -> MlflowCodec.decodeCsv(body, layout, LIMITS);
                case 3 -> RowsCodec.decode(JSON.read(body), layout, LIMITS);
                default -> {
                    JsonNode n = JSON.read(body);
                    yield n.isObject() && n.has("inputs") ? OipCodec.decode(n, layout, LIMITS).batch() : MlflowCodec.decodeCsv(
                            new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), layout, LIMITS);
                }
            };
            if (b.rows() < 1 || b.rows() > LIMITS.maxRows() || b.values().length != b.rows() * layout.size()) {
                throw new AssertionError("a decoded batch of " + b.rows() + " rows and " + b.values().length + " values");
            }
        } catch (RequestException e) {
            if (e.status() < 400 || e.status() > 499 || e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("refusal with status " + e.status() + ": " + e.getMessage(), e);
            }
        }
    }
}
