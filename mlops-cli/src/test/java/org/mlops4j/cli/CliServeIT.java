package org.mlops4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mlops serve} as a real process over a registry built here: it serves the champion, follows no one else, stops on SIGTERM. */
class CliServeIT {
    private static final String TOKEN = "cli-serve-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void serveAnswersEveryProtocolWithTheInProcessPredictions() throws Exception {
        PipelineResult trained = Pipeline.from(Csv.file(Path.of("../samples/data/boston_house_prices.csv")).skipLines(1)).label("MEDV").drop("B")
                .transform(Impute.median()).train(RandomForest.regression().trees(10).seed(1)).run();
        Path store = dir.resolve("registry");
        trained.bundle().save(store.resolve("house-prices/1"));
        Files.writeString(store.resolve("house-prices/aliases.properties"), "champion=1\n");
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--store", "dir:" + store,
                "--model", "models:/house-prices@champion", "--port", "0", "--token-file", tokenFile.toString()));
        Process server = new ProcessBuilder(cmd).redirectError(dir.resolve("serve.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("stderr: %s", Files.readString(dir.resolve("serve.err"))).startsWith("mlops serve on http://127.0.0.1:");
            URI uri = URI.create(line.substring("mlops serve on ".length(), line.indexOf(' ', "mlops serve on ".length())));
            assertThat(out.readLine()).contains("house-prices version 1");

            Map<String, Object> row = new LinkedHashMap<>();
            String[] names = {"CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX", "PTRATIO", "B", "LSTAT"};
            double[] values = {0.00632, 18, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1, 296, 15.3, 396.9, 4.98};
            for (int i = 0; i < names.length; i++) {
                row.put(names[i], values[i]);
            }
            double expected = trained.predictor().predict(row).value();
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            StringBuilder data = new StringBuilder();   // the tensor holds the 12 columns the model reads (B is dropped)
            for (int i = 0; i < names.length; i++) {
                if (!names[i].equals("B")) {
                    data.append(data.isEmpty() ? "" : ",").append(values[i]);
                }
            }
            JsonNode oip = json.readTree(post(http, uri, "/v2/models/house-prices/infer",
                    "{\"id\":\"cli\",\"inputs\":[{\"name\":\"x\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[" + data + "]}]}", 200));
            assertThat(oip.get("id").asText()).isEqualTo("cli");
            assertThat(oip.get("outputs").get(0).get("data").get(0).asDouble()).isEqualTo(expected);
            JsonNode mlflow = json.readTree(post(http, uri, "/invocations", "{\"dataframe_records\":[" + json.writeValueAsString(row) + "]}", 200));
            assertThat(mlflow.get("predictions").get(0).asDouble()).isEqualTo(expected);
            JsonNode rows = json.readTree(post(http, uri, "/predict/house-prices", "{\"rows\":[" + json.writeValueAsString(row) + "]}", 200));
            assertThat(rows.get("predictions").get(0).asDouble()).isEqualTo(expected);
            HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(uri.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).isEqualTo(401);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri.resolve("/v2/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(server.exitValue()).isIn(0, 143);
    }

    @Test
    void aStoreThatIsNotABundleDirectoryIsOneLine() throws Exception {
        java.io.StringWriter err = new java.io.StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err));
        int code = cl.execute("serve", "--store", "dir:" + dir.resolve("missing"), "--model", "house-prices@champion");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("mlops: --store dir:").contains("not a directory of model bundles");
        err.getBuffer().setLength(0);
        assertThat(cl.execute("serve", "--store", "dir:" + dir, "--model", "house-prices@champion", "--token", "")).isEqualTo(2);
        assertThat(err.toString()).contains("the token is empty");
        Files.createDirectories(dir.resolve("empty"));
        err.getBuffer().setLength(0);
        code = cl.execute("serve", "--store", "dir:" + dir.resolve("empty"), "--model", "house-prices@champion");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot serve house-prices@champion").contains("no model named 'house-prices'");
    }

    private static String post(HttpClient http, URI uri, String path, String body, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri.resolve(path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r.body();
    }
}
