package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One route of MLflow's JSON API: it parses its parameters (the query of a GET, the JSON body otherwise),
 * calls the tracker, and returns the answer. Invalid parameters throw {@link IllegalArgumentException};
 * the tracker's exceptions pass through; {@link MlflowHandler} turns both into MLflow's error JSON.
 */
@FunctionalInterface
interface JsonEndpoint {
    /**
     * @param params the request's parameters as a JSON object
     * @return the answer (200)
     */
    ObjectNode call(JsonNode params);
}
