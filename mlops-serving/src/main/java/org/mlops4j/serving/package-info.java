/**
 * Serving registered models: {@link org.mlops4j.serving.ServingCore} answers the Open Inference Protocol V2,
 * MLflow's scoring protocol and {@code POST /predict/{name}} for models served by registry reference (followed
 * as their aliases move), with input checks, limits, Prometheus metrics, drift detection against the bundle's
 * training profile, a sampled prediction log and feedback; {@link org.mlops4j.serving.ModelServer} puts it on an
 * HTTP port (Jetty). Packages by concern: {@code routing} (router, alias follower, canary and shadow),
 * {@code protocol} (codecs and limits), {@code http} (the transport), {@code drift}, {@code metrics}.
 * {@snippet :
 * ServingCore core = ServingCore.builder(registry).model("house-prices@champion").build();
 * try (ModelServer server = ModelServer.start(core, "127.0.0.1", 8080)) {
 *     // curl -s localhost:8080/v2/models/house-prices
 * }
 * }
 */
package org.mlops4j.serving;
