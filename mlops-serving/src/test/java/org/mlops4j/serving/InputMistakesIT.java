package org.mlops4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.model.Predictor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No silent wrong result: a missing column, an unknown extra column, a null or non-finite value and text where a number
 * belongs, on every protocol, over real HTTP on loopback. A probable mistake is a 400 naming the field; an explicit
 * null is a missing value the house-price model's median imputation fills (its documented contract), and is predicted
 * exactly as in-process.
 */
class InputMistakesIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static ModelServer server;
    static Http http;
    static Predictor inProcess;
    static List<String> columns;
    static Map<String, Object> row;

    @BeforeAll
    static void start() {
        var registry = HousePrices.registry();
        inProcess = registry.predictor("house-prices@champion");
        columns = inProcess.inputSchema().names();
        row = new LinkedHashMap<>(HousePrices.rows().get(0));
        server = ModelServer.start(ServingCore.builder(registry).model("house-prices@champion").follow(null).warmRows(10).build(), "127.0.0.1", 0);
        http = new Http(server.uri(), null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, Object> with(String column, Object value) {
        Map<String, Object> r = new LinkedHashMap<>(row);
        r.put(column, value);
        return r;
    }

    private static Map<String, Object> without(String column) {
        Map<String, Object> r = new LinkedHashMap<>(row);
        r.remove(column);
        return r;
    }

    private static void refused(String path, String body, String... mentions) {
        Http.Res r = http.post(path, body);
        assertThat(r.status()).as(path + " " + body + " -> " + r.body()).isEqualTo(400);
        assertThat(r.body()).as(path).contains(mentions).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static String records(Map<String, Object> r) throws Exception {
        return JSON.writeValueAsString(List.of(r));
    }

    private static String tensorOf(String rawValues) {
        return "{\"inputs\":[{\"name\":\"input-0\",\"shape\":[1," + columns.size() + "],\"datatype\":\"FP64\",\"data\":[" + rawValues + "]}]}";
    }

    private static String values(Map<String, Object> r, String column, String raw) throws Exception {
        StringBuilder b = new StringBuilder();
        for (String c : columns) {
            b.append(b.isEmpty() ? "" : ",").append(c.equals(column) ? raw : JSON.writeValueAsString(r.get(c)));
        }
        return b.toString();
    }

    @Test
    void aColumnLeftOutIsRefusedNamingItOnEveryProtocol() throws Exception {
        Map<String, Object> noRm = without("RM");
        refused("/predict/house-prices", "{\"rows\":" + records(noRm) + "}", "'RM'", "null for a missing value");
        refused("/invocations", "{\"dataframe_records\":" + records(noRm) + "}", "'RM'");
        refused("/invocations", "{\"dataframe_split\":{\"columns\":" + JSON.writeValueAsString(noRm.keySet()) + ",\"data\":["
                + JSON.writeValueAsString(noRm.values()) + "]}}", "RM");
        StringBuilder eleven = new StringBuilder();
        for (String c : columns) {
            if (!c.equals("RM")) {
                eleven.append(eleven.isEmpty() ? "" : ",").append(row.get(c));
            }
        }
        StringBuilder twelve = eleven; // one value short of the model's columns
        refused("/v2/models/house-prices/infer", "{\"inputs\":[{\"name\":\"input-0\",\"shape\":[1," + (columns.size() - 1)
                + "],\"datatype\":\"FP64\",\"data\":[" + twelve + "]}]}", "shape");
        refused("/v2/models/house-prices/infer", tensorOf(twelve.toString()),
                "data");
    }

    @Test
    void aColumnTheModelDropsIsAcceptedAndIgnoredOnEveryProtocolButIsNotAnInput() throws Exception {
        assertThat(columns).doesNotContain("B").hasSize(12);
        assertThat(row).containsKey("B");
        Map<String, Object> noB = without("B");
        String want = JSON.readTree(http.post("/predict/house-prices", "{\"rows\":" + records(noB) + "}").body()).get("predictions").toString();
        Map<String, Object> otherB = with("B", -12345.0);   // never read: no range check, no effect
        for (Map<String, Object> r : List.of(row, otherB)) {
            Http.Res rows = http.post("/predict/house-prices", "{\"rows\":" + records(r) + "}");
            assertThat(rows.status()).as(rows.body()).isEqualTo(200);
            assertThat(JSON.readTree(rows.body()).get("predictions").toString()).isEqualTo(want);
            Http.Res split = http.post("/invocations", "{\"dataframe_split\":{\"columns\":" + JSON.writeValueAsString(r.keySet())
                    + ",\"data\":[" + JSON.writeValueAsString(r.values()) + "]}}");
            assertThat(split.status()).as(split.body()).isEqualTo(200);
            assertThat(JSON.readTree(split.body()).get("predictions").toString()).isEqualTo(want);
            Http.Res csv = http.post("/invocations", String.join(",", r.keySet()) + "\n"
                    + String.join(",", r.values().stream().map(String::valueOf).toList()) + "\n", "text/csv");
            assertThat(csv.status()).as(csv.body()).isEqualTo(200);
            StringBuilder named = new StringBuilder();
            for (String c : r.keySet()) {
                named.append(named.isEmpty() ? "" : ",").append("{\"name\":\"").append(c)
                        .append("\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[").append(r.get(c)).append("]}");
            }
            Http.Res perColumn = http.post("/v2/models/house-prices/infer", "{\"inputs\":[" + named + "]}");
            assertThat(perColumn.status()).as(perColumn.body()).isEqualTo(200);
        }
        // a tensor carries the columns the model reads: [1, 12]; a 13th value is refused
        assertThat(http.post("/v2/models/house-prices/infer", tensorOf(values(row, null, null))).status()).isEqualTo(200);
        refused("/predict/house-prices", "{\"rows\":" + records(with("BB", 1.0)) + "}", "'BB'", "accepted and ignored: [B]");
    }

    @Test
    void anUnknownExtraColumnIsRefusedNamingIt() throws Exception {
        Map<String, Object> extra = with("GARDEN", 1.0);
        refused("/predict/house-prices", "{\"rows\":" + records(extra) + "}", "'GARDEN'", "not an input column");
        refused("/invocations", "{\"dataframe_records\":" + records(extra) + "}", "'GARDEN'");
        refused("/invocations", "{\"dataframe_split\":{\"columns\":" + JSON.writeValueAsString(extra.keySet()) + ",\"data\":["
                + JSON.writeValueAsString(extra.values()) + "]}}", "GARDEN");
        StringBuilder named = new StringBuilder();
        for (String c : extra.keySet()) {
            named.append(named.isEmpty() ? "" : ",").append("{\"name\":\"").append(c).append("\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[")
                    .append(extra.get(c)).append("]}");
        }
        refused("/v2/models/house-prices/infer", "{\"inputs\":[" + named + "]}", "GARDEN");
    }

    @Test
    void textWhereANumberBelongsIsRefusedNamingTheColumn() throws Exception {
        refused("/predict/house-prices", "{\"rows\":" + records(with("RM", "six")) + "}", "'RM'", "expected a number");
        refused("/invocations", "{\"dataframe_records\":" + records(with("RM", "six")) + "}", "RM");
        refused("/invocations", "{\"dataframe_records\":" + records(with("RM", "6.5")) + "}", "RM");
        refused("/v2/models/house-prices/infer", tensorOf(values(row, "RM", "\"6.5\"")), "RM");
        refused("/v2/models/house-prices/infer", tensorOf(values(row, "RM", "true")), "RM");
    }

    @Test
    void nonFiniteNumbersAreRefused() throws Exception {
        refused("/predict/house-prices", "{\"rows\":" + records(with("RM", "NaN")) + "}", "'RM'");
        refused("/predict/house-prices", "{\"rows\":" + records(with("RM", "Infinity")) + "}", "'RM'");
        refused("/predict/house-prices", "{\"rows\":[" + JSON.writeValueAsString(row).replace("\"RM\":" + row.get("RM"), "\"RM\":NaN") + "]}", "JSON");
        refused("/v2/models/house-prices/infer", tensorOf(values(row, "RM", "NaN")), "JSON");
        refused("/v2/models/house-prices/infer", tensorOf(values(row, "RM", "1e999")), "RM");
        refused("/invocations", "{\"dataframe_records\":" + records(row).replace("\"RM\":" + row.get("RM"), "\"RM\":1e999") + "}", "RM");
    }

    @Test
    void nullIsAMissingValueTheModelImputesOrARefusalOnTensors() throws Exception {
        Map<String, Object> nullRm = with("RM", null);
        Map<String, Object> absent = without("RM");
        double want = inProcess.predict(absent).value();
        assertThat(want).isNotEqualTo(inProcess.predict(row).value());
        Http.Res people = http.post("/predict/house-prices", "{\"rows\":" + records(nullRm) + "}");
        assertThat(people.status()).as(people.body()).isEqualTo(200);
        JsonNode p = JSON.readTree(people.body()).get("predictions");
        assertThat(p.get(0).asDouble()).isEqualTo(want);
        Http.Res mlflow = http.post("/invocations", "{\"dataframe_records\":" + records(nullRm) + "}");
        assertThat(mlflow.status()).as(mlflow.body()).isEqualTo(200);
        assertThat(JSON.readTree(mlflow.body()).get("predictions").get(0).asDouble()).isEqualTo(want);
        // a tensor has no missing values: FP64 data are numbers
        refused("/v2/models/house-prices/infer", tensorOf(values(row, "RM", "null")), "RM", "null");
    }
}
