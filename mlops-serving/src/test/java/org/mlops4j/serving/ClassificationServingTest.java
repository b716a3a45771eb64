package org.mlops4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.train.RandomForest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A classifier served in-process: predictions are the model's class names, exactly what the in-process predictor
 * says, and ground truth is fed back as the model's classes (a number by its digits); a label that is no class of
 * the model is refused, never counted as a wrong prediction, and a refused feedback keeps the prediction.
 */
class ClassificationServingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static ServingCore core;
    private static Predictor predictor;

    @BeforeAll
    static void train() throws Exception {
        // two features; the class ("3" or "7": digits, as grades or codes often are) depends on x1 + x2
        SplittableRandom random = new SplittableRandom(42);
        StringBuilder csv = new StringBuilder("x1,x2,grade\n");
        for (int i = 0; i < 300; i++) {
            double x1 = random.nextDouble();
            double x2 = random.nextDouble();
            csv.append(x1).append(',').append(x2).append(',').append(x1 + x2 > 1 ? "7" : "3").append('\n');
        }
        Path file = dir.resolve("grades.csv");
        Files.writeString(file, csv);
        PipelineResult result = Pipeline.from(Csv.file(file)).label("grade")
                .train(RandomForest.classification().trees(10).seed(42)).run();
        ModelRegistry registry = ModelRegistry.inMemory();
        registry.register("grades", result.bundle(), List.of("champion"), Map.of());
        predictor = registry.predictor("grades@champion");
        core = ServingCore.builder(registry).model("grades@champion").build();
    }

    @AfterAll
    static void close() {
        core.close();
    }

    private static ServingResponse post(String path, String body) {
        return core.handle(ServingRequest.of("POST", path, Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode json(ServingResponse r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void predictionsAreTheModelsClassesAndFeedbackIsCheckedAgainstThem() throws Exception {
        ServingResponse r = post("/v2/models/grades/infer",
                "{\"id\":\"g-1\",\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP64\",\"data\":[[0.9,0.8],[0.1,0.2]]}]}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        JsonNode data = json(r).get("outputs").get(0).get("data");
        Prediction high = predictor.predict(Map.of("x1", 0.9, "x2", 0.8));
        Prediction low = predictor.predict(Map.of("x1", 0.1, "x2", 0.2));
        assertThat(data.get(0).asText()).isEqualTo(high.label()).isEqualTo("7");
        assertThat(data.get(1).asText()).isEqualTo(low.label()).isEqualTo("3");

        // a class the model does not have: refused naming it and the classes; the prediction stays kept
        ServingResponse unknown = post("/v2/models/grades/feedback", "{\"id\":\"g-1\",\"truth\":[\"7\",\"seven\"]}");
        assertThat(unknown.status()).as(unknown.bodyText()).isEqualTo(400);
        assertThat(unknown.bodyText()).contains("truth[1]").contains("'seven' is not a class").contains("[3, 7]")
                .doesNotContain("Exception");
        ServingResponse fraction = post("/v2/models/grades/feedback", "{\"id\":\"g-1\",\"truth\":[7, 3.5]}");
        assertThat(fraction.status()).as(fraction.bodyText()).isEqualTo(400);
        assertThat(fraction.bodyText()).contains("truth[1]").contains("not a class");

        // numbers are taken by their digits: 7.0 is class "7"; both rows are right
        ServingResponse fed = post("/v2/models/grades/feedback", "{\"id\":\"g-1\",\"truth\":[7.0, 3]}");
        assertThat(fed.status()).as(fed.bodyText()).isEqualTo(200);
        assertThat(json(fed).get("rows").asInt()).isEqualTo(2);
        assertThat(json(fed).get("live_accuracy").asDouble()).isEqualTo(1.0);
    }
}
