package org.mlops4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlops4j.serving.protocol.Limits;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A corpus of malformed requests on both protocols: each a named 4xx, never a 5xx or a stack trace; the server keeps serving. */
class MalformedRequestsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static ModelServer server;
    static Http http;
    static String good;

    @BeforeAll
    static void start() throws Exception {
        ServingCore core = ServingCore.builder(HousePrices.registry()).model("house-prices@champion").follow(null).warmRows(10)
                .limits(Limits.defaults().withMaxRows(100).withMaxBodyBytes(256 * 1024)).build();
        server = ModelServer.start(core, "127.0.0.1", 0);
        http = new Http(server.uri(), null);
        good = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[0.1,18,2.3,0,0.5,6.5,65,4,1,296,15,5]}]}";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Case(String path, String contentType, String body, int status, String mentions) {
    }

    static List<Case> corpus() {
        String infer = "/v2/models/house-prices/infer";
        String inv = "/invocations";
        String row12 = "[0.1,18,2.3,0,0.5,6.5,65,4,1,296,15,5]";
        List<Case> c = new ArrayList<>();
        // JSON itself
        c.add(new Case(infer, "application/json", "", 400, "empty"));
        c.add(new Case(infer, "application/json", "{", 400, "invalid JSON"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12]", 400, "JSON"));
        c.add(new Case(infer, "application/json", "nul", 400, "JSON"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[]} trailing", 400, "JSON"));
        c.add(new Case(infer, "application/json", "{\"id\":\"a\",\"id\":\"b\",\"inputs\":[]}", 400, "Duplicate"));
        c.add(new Case(infer, "application/json", "[".repeat(5000) + "]".repeat(5000), 400, "limit"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[" + "1".repeat(500) + "]}]}", 400, "limit"));
        c.add(new Case(infer, "application/json", "{\"id\":\"" + "a".repeat(10_000) + "\"}", 400, "limit"));
        c.add(new Case(infer, "application/json", "\"just a string\"", 400, "JSON object"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[NaN,18,2.3,0,0.5,6.5,65,4,1,296,15,5]}]}", 400, "JSON"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[1e999,18,2.3,0,0.5,6.5,65,4,1,296,15,5]}]}", 400, "CRIM"));
        // numbers out of range and non-numeric tokens (issue 13 sweep)
        String tail12 = ",18,2.3,0,0.5,6.5,65,4,1,296,15,5]}]}";
        String fp64 = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[";
        c.add(new Case(infer, "application/json", fp64 + "1e400" + tail12, 400, "CRIM"));
        c.add(new Case(infer, "application/json", fp64 + "-1e400" + tail12, 400, "CRIM"));
        c.add(new Case(infer, "application/json", fp64 + "Infinity" + tail12, 400, "JSON"));
        c.add(new Case(infer, "application/json", fp64 + "-Infinity" + tail12, 400, "JSON"));
        c.add(new Case(infer, "application/json", fp64 + "1" + "0".repeat(70) + tail12, 400, "limit"));
        c.add(new Case(infer, "application/json", fp64.replace("FP64", "FP16") + "70000" + tail12, 400, "range of FP16"));
        c.add(new Case(infer, "application/json", fp64.replace("FP64", "INT64") + "1.5" + tail12, 400, "whole number"));
        c.add(new Case(infer, "application/json", fp64.replace("FP64", "BOOL") + "1" + tail12, 400, "FP64"));
        c.add(new Case(infer, "application/json", fp64.replace("[1,12]", "[1,12,1]") + "1" + tail12, 400, "[N, 12]"));
        c.add(new Case(infer, "application/json", fp64.replace("[1,12]", "[1e0,12]") + "1" + tail12, 400, "whole number"));
        c.add(new Case(infer, "application/json", fp64.replace("[1,12]", "[99999999999999999999,12]") + "1" + tail12, 400, "shape[0]"));
        c.add(new Case(infer, "application/json", fp64.replace("[1,12]", "[4611686018427387904,4]") + "1" + tail12, 413, "too large"));
        c.add(new Case(infer, "application/json", fp64.replace("[1,12]", "[-1,-12]") + "1" + tail12, 400, "shape[0]"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"CRIM\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"a\"]}"
                + ",{\"name\":\"ZN\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1]}]}", 400, "numeric"));
        c.add(new Case(inv, "application/json", "{\"dataframe_split\":{\"columns\":[],\"data\":[]}}", 400, "no rows"));
        c.add(new Case(inv, "application/json", "{\"dataframe_records\":[]}", 400, "no rows"));
        c.add(new Case(inv, "application/json", "{\"instances\":[]}", 400, "no rows"));
        c.add(new Case(inv, "application/json", "{\"inputs\":{}}", 400, "lacks the columns"));
        c.add(new Case(inv, "application/json", "{\"dataframe_records\":[{\"CRIM\":1e400}]}", 400, "CRIM"));
        c.add(new Case(inv, "application/json", "{\"dataframe_split\":{\"columns\":[\"CRIM\",\"ZN\",\"INDUS\",\"CHAS\",\"NOX\",\"RM\",\"AGE\",\"DIS\",\"RAD\","
                + "\"TAX\",\"PTRATIO\",\"B\",\"LSTAT\",\"EXTRA\"],\"data\":[[1,1,1,1,1,1,1,1,1,1,1,1,1,1]]}}", 400, "'EXTRA'"));
        c.add(new Case(inv, "application/json", "{\"dataframe_records\":[{\"CRIM\":1,\"CRIM\":2}]}", 400, "Duplicate"));
        c.add(new Case(inv, "text/csv", "CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT,EXTRA\n1,1,1,1,1,1,1,1,1,1,1,1,1,1\n", 400, "'EXTRA'"));
        c.add(new Case(inv, "text/csv", "CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT\n0x1p3,1,1,1,1,1,1,1,1,1,1,1,1\n", 400, "'CRIM'"));
        c.add(new Case(inv, "application/json", "{\"instances\":[" + "[".repeat(40) + "]".repeat(40) + "]}", 400, "limit"));
        // OIP structure
        c.add(new Case(infer, "application/json", "{}", 400, "\"inputs\""));
        c.add(new Case(infer, "application/json", "{\"inputs\":{}}", 400, "array"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[1]}", 400, "inputs[0]"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{}]}", 400, "name"));
        c.add(new Case(infer, "application/json", "{\"bogus\":1,\"inputs\":[]}", 400, "bogus"));
        c.add(new Case(infer, "application/json", "{\"id\":5,\"inputs\":[]}", 400, "id"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"data\":[1]}]}", 400, "shape"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,11],\"datatype\":\"FP64\",\"data\":[1,2,3,4,5,6,7,8,9,10,11]}]}", 400, "[N, 12]"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,12],\"datatype\":\"FP64\",\"data\":" + row12 + "}]}", 400, "needs 24 values"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[" + row12 + "," + row12 + "]}]}", 400, "2 elements"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP128\",\"data\":" + row12 + "}]}", 400, "datatype"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"fp64\",\"data\":" + row12 + "}]}", 400, "upper case"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"BYTES\",\"data\":" + row12 + "}]}", 400, "FP64"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"INT32\",\"data\":" + row12 + "}]}", 400, "whole number"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"UINT8\",\"data\":[1,2,3,4,5,6,7,8,9,300,11,12]}]}", 400, "range of UINT8"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP32\",\"data\":[1e300,2,3,4,5,6,7,8,9,10,11,12]}]}", 400, "FP32"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[\"1\",18,2.3,0,0.5,6.5,65,4,1,296,15,5]}]}", 400, "CRIM"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[true,18,2.3,0,0.5,6.5,65,4,1,296,15,5]}]}", 400, "boolean"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[null,18,2.3,0,0.5,6.5,65,4,1,296,15,5]}]}", 400, "null"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[-1,12],\"datatype\":\"FP64\",\"data\":[]}]}", 400, "shape[0]"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[0,12],\"datatype\":\"FP64\",\"data\":[]}]}", 400, "no rows"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[9223372036854775807,9223372036854775807],\"datatype\":\"FP64\",\"data\":[]}]}", 413, "too large"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1000,12],\"datatype\":\"FP64\",\"data\":[]}]}", 413, "limit of 100"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1.5,12],\"datatype\":\"FP64\",\"data\":[]}]}", 400, "whole number"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"CRIM\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1]},{\"name\":\"CRIM\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1]}]}", 400, "twice"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"CRIM\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1]},{\"name\":\"ZN\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[1,2]}]}", 400, "same number of rows"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"CRIM\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1]},{\"name\":\"ZN\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1]}]}", 400, "lacks the inputs"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"CRIMM\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1]},{\"name\":\"ZN\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1]}]}", 400, "did you mean 'CRIM'"));
        c.add(new Case(infer, "application/json", good.replace("}]}", "}],\"outputs\":[{\"name\":\"price\"}]}"), 400, "MEDV"));
        c.add(new Case(infer, "text/plain", good, 415, "application/json"));
        c.add(new Case(infer, "application/json", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[" + "1,".repeat(140_000) + "1]}]}", 413, "limit"));
        c.add(new Case("/v2/models/nope/infer", "application/json", good, 404, "nope"));
        c.add(new Case("/v2/models/house-prices/versions/99/infer", "application/json", good, 404, "version 99"));
        c.add(new Case("/v2/models/house-prices/versions/x/infer", "application/json", good, 404, "not a version number"));
        c.add(new Case("/v2/models/house-prices/feedback", "application/json", "{\"id\":\"zzz\",\"truth\":[1]}", 404, "zzz"));
        c.add(new Case("/v2/models/house-prices/feedback", "application/json", "{\"truth\":[1]}", 400, "id"));
        c.add(new Case("/predict/house-prices", "application/json", "{\"rows\":[{\"RM\":\"six\"}]}", 400, "'RM'"));
        c.add(new Case("/predict/house-prices", "application/json", "{\"rows\":[]}", 400, "no rows"));
        c.add(new Case("/predict/house-prices", "application/json", "{\"rows\":[1]}", 400, "rows[0]"));
        c.add(new Case("/predict/house-prices", "application/json", "{\"rows\":[{\"RM\":{\"a\":1}}]}", 400, "an object"));
        c.add(new Case("/predict/house-prices", "application/json", "{\"row\":[]}", 400, "row"));
        // MLflow
        c.add(new Case(inv, "application/json", "{}", 400, "exactly one"));
        c.add(new Case(inv, "application/json", "{\"instances\":[],\"inputs\":[]}", 400, "both"));
        c.add(new Case(inv, "application/json", "{\"dataframe_split\":[]}", 400, "dataframe_split"));
        c.add(new Case(inv, "application/json", "{\"dataframe_split\":{\"columns\":[\"CRIM\"],\"data\":[[1]]}}", 400, "lacks the columns"));
        c.add(new Case(inv, "application/json", "{\"dataframe_split\":{\"columns\":[\"CRIM\",\"CRIM\"],\"data\":[[1,1]]}}", 400, "twice"));
        c.add(new Case(inv, "application/json", "{\"dataframe_split\":{\"data\":[[1,2]]}}", 400, "expected 12"));
        c.add(new Case(inv, "application/json", "{\"dataframe_split\":{\"data\":[" + row12 + "],\"index\":[1,2]}}", 400, "index"));
        c.add(new Case(inv, "application/json", "{\"dataframe_records\":[{\"CRIM\":1}]}", 400, "lacks column"));
        c.add(new Case(inv, "application/json", "{\"dataframe_records\":[{\"XYZ\":1}]}", 400, "'XYZ'"));
        c.add(new Case(inv, "application/json", "{\"dataframe_records\":{}}", 400, "array"));
        c.add(new Case(inv, "application/json", "{\"instances\":[1,2]}", 400, "instances[0]"));
        c.add(new Case(inv, "application/json", "{\"instances\":[[1,2]]}", 400, "expected 12"));
        c.add(new Case(inv, "application/json", "{\"inputs\":{\"CRIM\":[1],\"ZN\":[1,2]}}", 400, "ZN"));
        c.add(new Case(inv, "application/json", "{\"inputs\":{\"CRIM\":1}}", 400, "CRIM"));
        c.add(new Case(inv, "application/json", "{\"instances\":[" + row12 + "],\"params\":{\"k\":1}}", 400, "params"));
        c.add(new Case(inv, "application/json", "{\"dataframe_records\":[{\"CRIM\":\"x\"}]}", 400, "CRIM"));
        c.add(new Case(inv, "text/csv", "", 400, "empty"));
        c.add(new Case(inv, "text/csv", "CRIM,ZN\n1,2\n", 400, "lacks the columns"));
        c.add(new Case(inv, "text/csv", "CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT\n1,2\n", 400, "fields"));
        c.add(new Case(inv, "text/csv", "CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT\nx,1,1,1,1,1,1,1,1,1,1,1,1\n", 400, "'CRIM'"));
        c.add(new Case(inv, "text/csv", "CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT\n\"1,1,1,1,1,1,1,1,1,1,1,1,1\n", 400, "not closed"));
        c.add(new Case(inv, "text/csv", "CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT\n", 400, "no rows"));
        c.add(new Case(inv, "application/xml", "<a/>", 415, "text/csv"));
        return c;
    }

    @Test
    void everyMalformedRequestIsANamed4xxAndTheServerKeepsServing() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Case c : corpus()) {
            Http.Res r = http.post(c.path(), c.body(), c.contentType());
            String what = c.path() + " " + (c.body().length() > 120 ? c.body().substring(0, 120) + "…" : c.body());
            if (r.status() != c.status()) {
                problems.add(what + " -> " + r.status() + " " + r.body() + " (expected " + c.status() + ")");
                continue;
            }
            JsonNode body = JSON.readTree(r.body());
            boolean mlflow = c.path().equals("/invocations");
            String message = mlflow ? body.path("message").asText(null) : body.path("error").asText(null);
            if (message == null || (mlflow && !body.has("error_code"))) {
                problems.add(what + " -> body " + r.body() + " lacks the protocol's error fields");
                continue;
            }
            if (!message.contains(c.mentions())) {
                problems.add(what + " -> '" + message + "' does not mention '" + c.mentions() + "'");
            }
            if (message.contains("Exception") || message.contains("\tat ") || message.contains("org.mlops4j") || message.contains("/work/")) {
                problems.add(what + " -> leaks internals: " + message);
            }
        }
        assertThat(problems).isEmpty();
        Http.Res ok = http.post("/v2/models/house-prices/infer", good);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        String metrics = server.core().metrics().scrape();
        assertThat(metrics).doesNotContain("status=\"500\"");
        assertThat(metrics).contains("mlops_serving_validation_failures_total{field=\"CRIM\",model=\"house-prices\"}");
    }

    @Test
    void garbageBytesNeverGiveA5xx() {
        java.util.Random r = new java.util.Random(11);
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            for (String path : List.of("/v2/models/house-prices/infer", "/invocations", "/predict/house-prices")) {
                Http.Res res = http.postBytes(path, b, i % 2 == 0 ? "application/json" : "text/csv");
                assertThat(res.status()).as(path).isBetween(400, 499);
            }
        }
        assertThat(http.post("/v2/models/house-prices/infer", good).status()).isEqualTo(200);
    }
}
