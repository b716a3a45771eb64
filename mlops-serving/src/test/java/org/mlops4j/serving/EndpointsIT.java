package org.mlops4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.serving.drift.DriftConfig;
import org.mlops4j.serving.metrics.JsonlPredictionLog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint over real HTTP on loopback, against the in-process predictions of the same rows. */
class EndpointsIT {
    static final String TOKEN = "test-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static ModelServer server;
    static Http http;
    static Http anonymous;
    static Predictor inProcess;
    static List<Map<String, Object>> rows;
    static List<String> columns;
    static Path logFile;

    @BeforeAll
    static void start() throws Exception {
        ModelRegistry registry = HousePrices.registry();
        inProcess = registry.predictor("house-prices@champion");
        rows = HousePrices.rows();
        columns = inProcess.inputSchema().names();
        logFile = Files.createTempDirectory("serving-log").resolve("predictions.jsonl");
        ServingCore core = ServingCore.builder(registry).model("models:/house-prices@champion").token(TOKEN)
                .drift(DriftConfig.defaults().withWindowRows(400)).predictionLog(JsonlPredictionLog.open(logFile, 1.0, 7)).warmRows(50).build();
        server = ModelServer.start(core, "127.0.0.1", 0);
        http = new Http(server.uri(), TOKEN);
        anonymous = new Http(server.uri(), null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static JsonNode json(Http.Res r) throws Exception {
        return JSON.readTree(r.body());
    }

    static String tensor(int from, int n, String datatype, boolean nested, String id) {
        StringBuilder data = new StringBuilder("[");
        for (int r = from; r < from + n; r++) {
            if (nested) {
                data.append(r > from ? "," : "").append('[');
            }
            for (int c = 0; c < columns.size(); c++) {
                data.append(nested ? (c > 0 ? "," : "") : (r > from || c > 0 ? "," : "")).append(rows.get(r).get(columns.get(c)));
            }
            if (nested) {
                data.append(']');
            }
        }
        data.append(']');
        return "{" + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"inputs\":[{\"name\":\"input-0\",\"shape\":[" + n + "," + columns.size()
                + "],\"datatype\":\"" + datatype + "\",\"data\":" + data + "}]}";
    }

    static double[] expected(int from, int n) {
        List<Prediction> p = inProcess.predict(rows.subList(from, from + n));
        return p.stream().mapToDouble(Prediction::value).toArray();
    }

    static double[] values(JsonNode arr) {
        double[] v = new double[arr.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = arr.get(i).doubleValue();
        }
        return v;
    }

    @Test
    void healthRoutesAnswerWithoutAToken() throws Exception {
        assertThat(anonymous.get("/v2/health/live").status()).isEqualTo(200);
        Http.Res ready = anonymous.get("/v2/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(json(ready).get("ready").asBoolean()).isTrue();
        assertThat(anonymous.get("/ping").status()).isEqualTo(200);
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
    }

    @Test
    void everyOtherRouteNeedsTheToken() throws Exception {
        for (String path : List.of("/v2", "/v2/models/house-prices", "/metrics", "/version", "/v2/models/house-prices/drift")) {
            Http.Res r = anonymous.get(path);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(json(r).has("error") || json(r).has("error_code")).isTrue();
        }
        assertThat(anonymous.post("/v2/models/house-prices/infer", tensor(0, 1, "FP64", true, null)).status()).isEqualTo(401);
        Http wrong = new Http(server.uri(), "not-the-token-at-all-1234");
        Http.Res r = wrong.post("/invocations", "{\"instances\":[]}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(json(r).get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void serverAndModelMetadata() throws Exception {
        JsonNode server = json(http.get("/v2"));
        assertThat(server.get("name").asText()).isEqualTo("mlops4j");
        JsonNode meta = json(http.get("/v2/models/house-prices"));
        assertThat(meta.get("name").asText()).isEqualTo("house-prices");
        assertThat(meta.get("versions").get(0).asText()).isEqualTo("1");
        assertThat(meta.get("inputs")).hasSize(columns.size());
        assertThat(meta.get("inputs").get(0).get("name").asText()).isEqualTo(columns.get(0));
        assertThat(meta.get("outputs").get(0).get("name").asText()).isEqualTo("MEDV");
        assertThat(meta.get("parameters").get("tensor_input").get("shape").get(1).asInt()).isEqualTo(columns.size());
        assertThat(http.get("/v2/models/house-prices/versions/1").status()).isEqualTo(200);
        assertThat(json(http.get("/v2/models/house-prices/ready")).get("ready").asBoolean()).isTrue();
        assertThat(json(http.get("/v2/models/house-prices/versions/1/ready")).get("ready").asBoolean()).isTrue();
        Http.Res v2 = http.get("/v2/models/house-prices/versions/2");
        assertThat(v2.status()).isEqualTo(404);
        assertThat(json(v2).get("error").asText()).contains("version 2").contains("served versions are [1]");
        Http.Res unknown = http.get("/v2/models/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).contains("'nope'").contains("house-prices");
    }

    @Test
    void inferAsANestedOrFlatTensorEqualsInProcessPredictions() throws Exception {
        for (boolean nested : new boolean[] {true, false}) {
            Http.Res r = http.post("/v2/models/house-prices/infer", tensor(0, 50, "FP64", nested, "req-" + nested));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode out = json(r);
            assertThat(out.get("id").asText()).isEqualTo("req-" + nested);
            assertThat(out.get("model_name").asText()).isEqualTo("house-prices");
            assertThat(out.get("model_version").asText()).isEqualTo("1");
            JsonNode o = out.get("outputs").get(0);
            assertThat(o.get("shape").get(0).asInt()).isEqualTo(50);
            assertThat(o.get("shape").get(1).asInt()).isEqualTo(1);
            assertThat(o.get("datatype").asText()).isEqualTo("FP64");
            assertThat(values(o.get("data"))).containsExactly(expected(0, 50));
        }
        Http.Res pinned = http.post("/v2/models/house-prices/versions/1/infer", tensor(3, 2, "FP64", true, null));
        assertThat(values(json(pinned).get("outputs").get(0).get("data"))).containsExactly(expected(3, 2));
    }

    @Test
    void fp32InputsAreRoundedToFloatsAsDeclared() throws Exception {
        Http.Res r = http.post("/v2/models/house-prices/infer", tensor(10, 5, "FP32", true, null));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<Map<String, Object>> rounded = new ArrayList<>();
        for (Map<String, Object> row : rows.subList(10, 15)) {
            Map<String, Object> f = new java.util.HashMap<>();
            row.forEach((k, v) -> f.put(k, (double) (float) (double) (Double) v));
            rounded.add(f);
        }
        double[] want = inProcess.predict(rounded).stream().mapToDouble(Prediction::value).toArray();
        assertThat(values(json(r).get("outputs").get(0).get("data"))).containsExactly(want);
    }

    @Test
    void inferWithOneInputPerColumn() throws Exception {
        StringJoiner inputs = new StringJoiner(",");
        for (String c : columns) {
            StringJoiner data = new StringJoiner(",");
            for (int r = 20; r < 24; r++) {
                data.add(String.valueOf(rows.get(r).get(c)));
            }
            inputs.add("{\"name\":\"" + c + "\",\"shape\":[4,1],\"datatype\":\"FP64\",\"data\":[" + data + "]}");
        }
        Http.Res r = http.post("/v2/models/house-prices/infer", "{\"inputs\":[" + inputs + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(values(json(r).get("outputs").get(0).get("data"))).containsExactly(expected(20, 4));
    }

    static String records(int from, int n) throws Exception {
        return JSON.writeValueAsString(rows.subList(from, from + n));
    }

    @Test
    void mlflowInvocationsInEveryFormat() throws Exception {
        double[] want = expected(30, 3);
        List<String> bodies = new ArrayList<>();
        bodies.add("{\"dataframe_records\":" + records(30, 3) + "}");
        bodies.add("{\"instances\":" + records(30, 3) + "}");
        bodies.add("{\"inputs\":" + records(30, 3) + "}");
        StringBuilder split = new StringBuilder("{\"dataframe_split\":{\"columns\":" + JSON.writeValueAsString(columns) + ",\"data\":[");
        StringBuilder lists = new StringBuilder("[");
        StringBuilder columnar = new StringBuilder("{");
        for (int r = 30; r < 33; r++) {
            List<Object> vals = new ArrayList<>();
            for (String c : columns) {
                vals.add(rows.get(r).get(c));
            }
            split.append(r > 30 ? "," : "").append(JSON.writeValueAsString(vals));
            lists.append(r > 30 ? "," : "").append(JSON.writeValueAsString(vals));
        }
        for (int c = 0; c < columns.size(); c++) {
            List<Object> vals = new ArrayList<>();
            for (int r = 30; r < 33; r++) {
                vals.add(rows.get(r).get(columns.get(c)));
            }
            columnar.append(c > 0 ? "," : "").append('"').append(columns.get(c)).append("\":").append(JSON.writeValueAsString(vals));
        }
        bodies.add(split.append("]}}").toString());
        bodies.add("{\"instances\":" + lists.append(']') + "}");
        bodies.add("{\"inputs\":" + columnar.append('}') + "}");
        for (String body : bodies) {
            Http.Res r = http.post("/invocations", body);
            assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(200);
            assertThat(values(json(r).get("predictions"))).as(body).containsExactly(want);
        }
        StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
        for (int r = 30; r < 33; r++) {
            StringJoiner line = new StringJoiner(",");
            for (String c : columns) {
                line.add(String.valueOf(rows.get(r).get(c)));
            }
            csv.append(line).append('\n');
        }
        Http.Res r = http.post("/invocations", csv.toString(), "text/csv");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(values(json(r).get("predictions"))).containsExactly(want);
        assertThat(http.get("/version").body()).startsWith("mlops4j ");
    }

    @Test
    void predictForPeopleTakesRowsAndNumericText() throws Exception {
        Http.Res r = http.post("/predict/house-prices", "{\"rows\":" + records(40, 2) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode out = json(r);
        assertThat(out.get("version").asInt()).isEqualTo(1);
        assertThat(values(out.get("predictions"))).containsExactly(expected(40, 2));
        assertThat(r.header("X-Prediction-Id")).isEqualTo(out.get("id").asText());
        Http.Res typo = http.post("/predict/house-prices", "{\"rows\":[{\"RMM\": 6.5}]}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(json(typo).get("error").asText()).contains("'RMM'").contains("did you mean 'RM'");
    }

    @Test
    void aValueFarOutsideTheTrainingRangeIsRefusedOnEveryProtocolNamingTheColumn() throws Exception {
        Map<String, Object> far = new java.util.LinkedHashMap<>(rows.get(0));
        far.put("LSTAT", 4.98e9);
        String records = JSON.writeValueAsString(List.of(far));
        for (String[] call : new String[][] {{"/predict/house-prices", "{\"rows\":" + records + "}"},
                {"/invocations", "{\"dataframe_records\":" + records + "}"}}) {
            Http.Res r = http.post(call[0], call[1]);
            assertThat(r.status()).as(call[0] + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).as(call[0]).contains("LSTAT").contains("outside the expected range");
        }
        StringBuilder data = new StringBuilder();
        for (String c : columns) {
            data.append(data.length() == 0 ? "" : ",").append(JSON.writeValueAsString(far.get(c)));
        }
        Http.Res tensor = http.post("/v2/models/house-prices/infer", "{\"inputs\":[{\"name\":\"input\",\"shape\":[1," + columns.size()
                + "],\"datatype\":\"FP64\",\"data\":[" + data + "]}]}");
        assertThat(tensor.status()).as(tensor.body()).isEqualTo(400);
        assertThat(tensor.body()).contains("LSTAT");
    }

    @Test
    void feedbackShowsAsLiveErrorInTheMetrics() throws Exception {
        Http.Res r = http.post("/v2/models/house-prices/infer", tensor(100, 10, "FP64", true, "fb-1"));
        assertThat(r.status()).isEqualTo(200);
        double[] truth = java.util.Arrays.copyOfRange(HousePrices.medv(), 100, 110);
        double[] pred = values(json(r).get("outputs").get(0).get("data"));
        double se = 0;
        for (int i = 0; i < truth.length; i++) {
            se += (pred[i] - truth[i]) * (pred[i] - truth[i]);
        }
        // refused feedback (a value that is no finite number, a wrong count, a string) keeps the prediction for a corrected one;
        // a non-finite truth used to take it away with the 400
        String[] badTruths = {"[1e999" + ",1".repeat(9) + "]", "[1,2]", "[\"x\"" + ",1".repeat(9) + "]", "[null" + ",1".repeat(9) + "]"};
        for (String bad : badTruths) {
            Http.Res refused = http.post("/v2/models/house-prices/feedback", "{\"id\":\"fb-1\",\"truth\":" + bad + "}");
            assertThat(refused.status()).as(bad + " -> " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("truth");
        }
        Http.Res fb = http.post("/v2/models/house-prices/feedback", "{\"id\":\"fb-1\",\"truth\":" + JSON.writeValueAsString(truth) + "}");
        assertThat(fb.status()).as(fb.body()).isEqualTo(200);
        assertThat(json(fb).get("rows").asInt()).isEqualTo(10);
        assertThat(http.post("/v2/models/house-prices/feedback", "{\"id\":\"fb-1\",\"truth\":[1]}").status()).isEqualTo(404);
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("mlops_serving_live_rmse{model=\"house-prices\",version=\"1\"}");
        assertThat(json(fb).get("feedback_rows").asLong()).isGreaterThanOrEqualTo(10);
        if (json(fb).get("feedback_rows").asLong() == 10) {
            assertThat(json(fb).get("live_rmse").asDouble()).isCloseTo(Math.sqrt(se / 10), org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void metricsAreInPrometheusText() throws Exception {
        http.post("/v2/models/house-prices/infer", tensor(0, 64, "FP64", true, null));
        http.post("/v2/models/house-prices/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP64\",\"data\":[1,2,3]}]}");
        Http.Res m = http.get("/metrics");
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.header("Content-Type")).startsWith("text/plain");
        assertThat(m.body())
                .contains("mlops_serving_requests_total{model=\"house-prices\",protocol=\"v2\",status=\"200\",version=\"1\"}")
                .contains("mlops_serving_requests_total{model=\"house-prices\",protocol=\"v2\",status=\"400\",version=\"1\"}")
                .contains("mlops_serving_request_latency_seconds_bucket{")
                .contains("mlops_serving_batch_rows_bucket{model=\"house-prices\",le=\"64.0\"}")
                .contains("mlops_serving_prediction_count{model=\"house-prices\",version=\"1\"}")
                .contains("mlops_serving_validation_failures_total{field=\"shape\",model=\"house-prices\"}")
                .contains("mlops_serving_drift_state{feature=\"RM\",model=\"house-prices\",version=\"1\"}");
    }

    @Test
    void driftJsonAndPage() throws Exception {
        // a seeded sample of the training rows (the file is ordered by town, so its first rows are not a sample)
        java.util.Random random = new java.util.Random(42);
        List<Map<String, Object>> sample = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sample.add(rows.get(random.nextInt(rows.size())));
        }
        for (int i = 0; i < 5; i++) {
            Http.Res r = http.post("/predict/house-prices", "{\"rows\":" + JSON.writeValueAsString(sample.subList(i * 100, i * 100 + 100)) + "}");
            assertThat(r.status()).isEqualTo(200);
        }
        Http.Res r = http.get("/v2/models/house-prices/drift");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode d = json(r);
        assertThat(d.get("current").get("features")).hasSize(columns.size());
        JsonNode completed = d.get("completed");
        assertThat(completed.isNull()).isFalse();
        JsonNode rm = null;
        for (JsonNode f : completed.get("features")) {
            if (f.get("feature").asText().equals("RM")) {
                rm = f;
            }
        }
        assertThat(rm).isNotNull();
        assertThat(rm.get("window_rows").asLong()).isGreaterThanOrEqualTo(400);
        assertThat(rm.get("statistics").get(0).get("name").asText()).isEqualTo("ks_p_value");
        assertThat(rm.get("statistics").get(0).has("warning_threshold")).isTrue();
        // (whether it drifts is DriftMonitorTest's: this server's window also holds other tests' rows, in file order)
        assertThat(rm.get("state").asText()).isIn("ok", "warning", "drift");
        assertThat(rm.get("bins").get(0).has("reference")).isTrue();
        Http.Res page = http.get("/v2/models/house-prices/drift.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<svg").contains("data-feature=\"LSTAT\"");
    }

    @Test
    void sampledPredictionsAreLoggedAsJsonLines() throws Exception {
        http.post("/v2/models/house-prices/infer", tensor(7, 1, "FP64", true, "logged-1"));
        // the writer flushes when its queue is empty; wait for the line rather than sleep a fixed time
        long until = System.nanoTime() + 5_000_000_000L;
        String found = null;
        while (found == null && System.nanoTime() < until) {
            if (Files.exists(logFile)) {
                found = Files.readAllLines(logFile).stream().filter(l -> l.contains("\"logged-1\"")).findFirst().orElse(null);
            }
            if (found == null) {
                Thread.onSpinWait();
            }
        }
        assertThat(found).isNotNull();
        JsonNode e = JSON.readTree(found);
        assertThat(e.get("version").asInt()).isEqualTo(1);
        assertThat(e.get("inputs").get(0).get("RM").asDouble()).isEqualTo((Double) rows.get(7).get("RM"));
        assertThat(e.get("outputs").get(0).asDouble()).isEqualTo(expected(7, 1)[0]);
    }

    @Test
    void wrongMethodTypeAndSizeAreNamed() throws Exception {
        assertThat(http.get("/v2/models/house-prices/infer").status()).isEqualTo(405);
        Http.Res form = http.post("/v2/models/house-prices/infer", "a=b", "application/x-www-form-urlencoded");
        assertThat(form.status()).isEqualTo(415);
        assertThat(json(form).get("error").asText()).contains("application/json");
        Http.Res mlflowForm = http.post("/invocations", "a=b", "application/x-www-form-urlencoded");
        assertThat(mlflowForm.status()).isEqualTo(415);
        assertThat(json(mlflowForm).get("error_code").asText()).isEqualTo("BAD_REQUEST");
        byte[] big = new byte[5 << 20];
        java.util.Arrays.fill(big, (byte) ' ');
        Http.Res tooBig = http.postBytes("/v2/models/house-prices/infer", big, "application/json");
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(http.get("/nowhere").status()).isEqualTo(404);
        assertThat(http.get("/v2/health/ready").body()).isEqualTo("{\"ready\":true}");
        assertThat(String.format(Locale.ROOT, "%d", anonymous.get("/v2/health/live").status())).isEqualTo("200");
    }
}
