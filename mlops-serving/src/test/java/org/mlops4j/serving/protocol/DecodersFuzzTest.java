package org.mlops4j.serving.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.mlops4j.core.data.Schema;

import java.nio.charset.StandardCharsets;

/**
 * Jazzer fuzzing of the request decoders: whatever the bytes, a decoder returns a batch of the right size with
 * only finite numbers (NaN for a missing value) or throws a {@link RequestException} with a 4xx status and a
 * message free of class names; any other exception is a finding. The build's surefire execution {@code fuzz}
 * fuzzes it for 5 s with a fixed libFuzzer seed ({@code -Dmlops.fuzz.seed}, default 20261202; {@code -Pfuzz} for
 * 10 minutes, {@code -Dmlops.fuzz.runs=N} for an exact replay):
 * {@code ./mvnw -pl mlops-serving -am test -Dtest=DecodersFuzzTest -Dsurefire.failIfNoSpecifiedTests=false -Dmlops.fuzz.seed=7}.
 */
class DecodersFuzzTest {
    private static final InputLayout NUMERIC = InputLayout.of(Schema.of(Schema.Field.numeric("a"), Schema.Field.numeric("b"), Schema.Field.numeric("c")));
    private static final InputLayout MIXED = InputLayout.of(Schema.of(Schema.Field.numeric("a"), Schema.Field.categorical("k")));
    private static final Limits LIMITS = Limits.defaults().withMaxRows(1_000).withMaxBodyBytes(64 * 1024);
    private static final RequestJson JSON = new RequestJson(LIMITS);

    @FuzzTest(maxDuration = "5s")
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
            for (double v : b.values()) {
                if (Double.isInfinite(v)) {
                    throw new AssertionError("a decoded batch holds " + v);
                }
            }
        } catch (RequestException e) {
            if (e.status() < 400 || e.status() > 499 || e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("refusal with status " + e.status() + ": " + e.getMessage(), e);
            }
            String sent = new String(body, StandardCharsets.UTF_8);
            for (String internal : new String[] {"org.mlops4j", "\tat ", "java.", "Exception"}) {
                // a message may quote what the client sent, never more
                if (e.getMessage().contains(internal) && !sent.contains(internal)) {
                    throw new AssertionError("refusal naming internals: " + e.getMessage(), e);
                }
            }
        }
    }
}
