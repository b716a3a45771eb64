package org.mlops4j.serving.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.mlops4j.core.internal.Json;

import java.io.IOException;

/**
 * Reads request bodies as JSON within the {@link Limits}: nesting depth, number and string length, duplicate
 * keys refused, trailing content refused; every failure a 400 naming the line and column. Thread-safe.
 * {@snippet :
 * JsonNode body = new RequestJson(Limits.defaults()).read(bytes);
 * }
 */
public final class RequestJson {
    private final ObjectMapper mapper;
    private final Limits limits;

    /** @param limits the limits to enforce */
    public RequestJson(Limits limits) {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxNumberLength(limits.maxNumberLength())
                        .maxStringLength(limits.maxStringLength())
                        .maxNameLength(Math.max(limits.maxStringLength(), 64))
                        .maxDocumentLength(limits.maxBodyBytes())
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** @return the limits enforced */
    public Limits limits() {
        return limits;
    }

    /**
     * @param body the request body
     * @return its JSON tree
     * @throws RequestException (400) naming where the JSON is invalid or which limit it exceeds
     */
    public JsonNode read(byte[] body) {
        if (body.length == 0) {
            throw RequestException.badRequest("body", "the request body is empty; expected a JSON object");
        }
        try (JsonParser p = mapper.createParser(body)) {
            JsonNode node = mapper.readTree(p);
            if (node == null || node.isMissingNode()) {
                throw RequestException.badRequest("body", "the request body has no JSON value; expected a JSON object");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw RequestException.badRequest("body", "the JSON body exceeds a limit: " + Json.clientMessage(e.getOriginalMessage())
                    + " (limits: nesting depth " + limits.maxDepth() + ", number length " + limits.maxNumberLength()
                    + ", string length " + limits.maxStringLength() + ")");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String what = e instanceof JsonParseException ? "invalid JSON" : "unexpected JSON";
            throw RequestException.badRequest("body", what + where + ": " + Json.clientMessage(e.getOriginalMessage()));
        } catch (IOException e) {
            throw RequestException.badRequest("body", "the request body cannot be read as JSON: " + Json.clientMessage(e.getMessage()));
        }
    }
}
