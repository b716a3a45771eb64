package org.mlops4j.benchmarks.serving;

import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.serving.ServingCore;
import org.mlops4j.serving.ServingRequest;
import org.mlops4j.serving.ServingResponse;
import org.mlops4j.serving.protocol.Batch;
import org.mlops4j.serving.protocol.InputLayout;
import org.mlops4j.serving.routing.Scorer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Single-row latency of the 100-tree house-price forest in-process, as the pipeline registers it (the compiled
 * flavor, {@code model.compiled.bin}): the predictor's map entry point, its primitive entry point (what serving
 * calls), the serving scorer on a decoded batch, and a whole OIP infer request through the serving core (decode,
 * check, predict, drift, metrics, encode) without HTTP.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ServingLatencyBenchmark -f 2}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ServingLatencyBenchmark {
    /** The Boston data's first row, the 12 columns the model reads (B, which the pipeline drops, left out). */
    static final double[] ROW = {0.00632, 18, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1, 296, 15.3, 4.98};
    Predictor predictor;
    Scorer scorer;
    Batch batch;
    Map<String, Object> row;
    ServingCore core;
    ServingRequest infer;

    @Setup(Level.Trial)
    public void setUp() {
        ModelRegistry registry = ModelRegistry.inMemory();
        registry.register("house-prices", ServingModel.train().bundle(), List.of("champion"), Map.of());
        predictor = registry.predictor("house-prices@champion");
        if (!(predictor.model() instanceof org.mlops4j.core.model.ArrayModel)) {
            throw new IllegalStateException("the served model is not the compiled flavor: " + predictor.model());
        }
        scorer = Scorer.of(predictor);
        InputLayout layout = InputLayout.of(predictor.inputSchema());
        batch = Batch.numeric(layout, 1, ROW.clone());
        row = new LinkedHashMap<>();
        for (int i = 0; i < ROW.length; i++) {
            row.put(layout.names().get(i), ROW[i]);
        }
        core = ServingCore.builder(registry).model("house-prices@champion").follow(null).build();
        StringBuilder data = new StringBuilder();
        for (double v : ROW) {
            data.append(data.isEmpty() ? "" : ",").append(v);
        }
        byte[] body = ("{\"inputs\":[{\"name\":\"input-0\",\"shape\":[1,12],\"datatype\":\"FP64\",\"data\":[" + data + "]}]}")
                .getBytes(StandardCharsets.UTF_8);
        infer = ServingRequest.of("POST", "/v2/models/house-prices/infer", Map.of("Content-Type", "application/json"), body);
        ServingResponse check = core.handle(infer);
        if (check.status() != 200) { // a refusal is no measurement of the served path
            throw new IllegalStateException("the infer request is answered " + check.status() + ": " + new String(check.body(), StandardCharsets.UTF_8));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        core.close();
    }

    @Benchmark
    public double predictorSingleRow() {
        return predictor.predict(row).value();
    }

    @Benchmark
    public double predictorValuesSingleRow() {
        return predictor.predictValues(ROW)[0];
    }

    @Benchmark
    public double scorerSingleRow() {
        return scorer.score(batch).values()[0];
    }

    @Benchmark
    public ServingResponse coreInferSingleRow() {
        return core.handle(infer);
    }
}
