package org.mlops4j.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.Reproduction;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.djl.Mlp;
import org.mlops4j.djl.OnnxExport;
import org.mlops4j.djl.Quantize;
import org.mlops4j.djl.QuantizedDenseModel;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Deep and low-precision models in the same lifecycle, on the digits data (1797 8×8 images, 10 classes):
 * an MLP trained in-process on DJL's PyTorch engine (offline, CPU), tracked with its per-epoch losses,
 * registered as {@code digits-mlp@champion}; its int8, int8-dynamic and fp16 twins quantized on mlops-quant
 * and registered only if they keep the accuracy within 0.5 percentage points, with the fp32 version as
 * their lineage parent; an ONNX twin checked against the network; then both the fp32 model and its int8
 * twin loaded by alias and used to predict the holdout rows.
 *
 * <p>Run it with {@code ./mvnw -q -pl samples -am -DskipTests -Psample -Dsample.main=org.mlops4j.samples.DigitsLifecycle verify}.
 * The last line of the output is one JSON object for scripts.
 *
 * <pre>{@code
 * DigitsLifecycle.main(new String[0]);            // or the Maven command above
 * }</pre>
 */
public final class DigitsLifecycle {
    private DigitsLifecycle() {
    }

    /**
     * @param args optional path of the digits file (default: {@code data/digits.csv.gz})
     */
    public static void main(String[] args) throws Exception {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Path file = Path.of(args.length > 0 && !args[0].isBlank() ? args[0] : "data/digits.csv.gz");
        String[] names = new String[65];
        for (int i = 0; i < 64; i++) {
            names[i] = "p" + i;
        }
        names[64] = "digit";
        // gzip, no header: 64 pixel counts (0-16) and the digit
        Csv digits = Csv.file(file).header(false).columnNames(names).categorical("digit");

        Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(SqliteTrackingStore.DEFAULT_PATH)).build();
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult result = Pipeline.from(digits).label("digit")
                .split(Split.trainTest(0.8).seed(42))
                .train(Mlp.classification().hiddenLayers(1).width(256).epochs(100).batchSize(32).learningRate(1e-3)
                        .weightDecay(1e-4).patience(15).seed(42))
                .then(Quantize.int8().registerAs("digits-mlp-int8"))
                .then(Quantize.int8Dynamic().registerAs("digits-mlp-int8-dynamic"))
                .then(Quantize.fp16().registerAs("digits-mlp-fp16"))
                .then(new OnnxExport("digits-mlp-onnx", 1e-5))
                .track(tracker, "digits")
                .register(registry, "digits-mlp", "champion")
                .run();

        System.out.println("Digits (8x8 images, 10 classes): an MLP, its quantized twins and its ONNX twin");
        System.out.print(result.summary());
        ModelVersion fp32 = result.registered().orElseThrow();
        ObjectMapper json = new ObjectMapper();
        ObjectNode line = json.createObjectNode();
        line.put("run_id", result.runId().orElseThrow());
        line.put("fp32_version", fp32.ref().toString());
        line.put("fp32_accuracy", result.holdout().get("accuracy"));
        line.put("fp32_bytes", result.bundle().files().get("mlp.params").length);
        for (String twin : List.of("digits-mlp-int8", "digits-mlp-int8-dynamic", "digits-mlp-fp16", "digits-mlp-onnx")) {
            ModelVersion v = result.derivedVersions().get(twin);
            String key = twin.substring("digits-mlp-".length()).replace('-', '_');
            if (v == null) {
                System.out.printf(Locale.ROOT, "refused   %s (see the run's tag mlops.quant.*.reason)%n", twin);
                line.put(key + "_registered", false);
                continue;
            }
            ModelBundle b = registry.load(v.ref().toString());
            line.put(key + "_registered", true);
            line.put(key + "_accuracy", v.metrics().get("holdout_accuracy"));
            String detail = "";
            if (b.model() instanceof QuantizedDenseModel q) {
                line.put(key + "_bytes", q.dense().sizeInBytes());
                detail = String.format(Locale.ROOT, ", %d weight bytes (%.1fx smaller)", q.dense().sizeInBytes(), q.report().compression());
            }
            System.out.printf(Locale.ROOT, "twin      %s: accuracy %.4f, lineage parent %s%s%n", v.ref(),
                    v.metrics().get("holdout_accuracy"), v.lineage().parent(), detail);
        }

        // Promote the int8 twin beside the fp32 model, then serve both by alias.
        ModelVersion int8 = result.derivedVersions().get("digits-mlp-int8");
        Dataset test = result.testSet();
        Predictor champion = registry.predictor("digits-mlp@champion");
        List<Prediction> a = champion.predict(test);
        double accA = accuracy(a, test);
        System.out.printf(Locale.ROOT, "served    digits-mlp@champion: %d holdout rows, accuracy %.4f%n", a.size(), accA);
        line.put("served_fp32_accuracy", accA);
        if (int8 != null) {
            registry.setAlias(int8.name(), "champion", int8.version());
            Predictor twin = registry.predictor("digits-mlp-int8@champion");
            List<Prediction> b = twin.predict(test);
            int agree = 0;
            for (int i = 0; i < a.size(); i++) {
                agree += a.get(i).label().equals(b.get(i).label()) ? 1 : 0;
            }
            double accB = accuracy(b, test);
            System.out.printf(Locale.ROOT, "served    digits-mlp-int8@champion: accuracy %.4f, same digit as fp32 on %d of %d rows%n",
                    accB, agree, a.size());
            line.put("served_int8_accuracy", accB);
            line.put("int8_agreement", (double) agree / a.size());

            // Rebuild the twin from the run's records alone: the MLP is retrained, quantized again, and compared bit for bit.
            String ref = "models:/" + int8.name() + "/" + int8.version();
            Reproduction again = Pipeline.reproduce(tracker, registry, ref);
            System.out.printf(Locale.ROOT, "reproduce %s: %s (%s)%n", ref, again.exact() ? "reproduced exactly" : "did NOT reproduce",
                    String.join(", ", again.compared()));
            again.differences().forEach(d -> System.out.println("          differs: " + d));
            line.put("int8_reproduced_exactly", again.exact());
        }
        tracker.close();
        System.out.printf(Locale.ROOT, "tracked   run %s in %s (metric history: train_loss, validation_loss)%n", result.runId().orElseThrow(),
                SqliteTrackingStore.DEFAULT_PATH.toAbsolutePath().normalize());
        System.out.println(json.writeValueAsString(line));
    }

    private static double accuracy(List<Prediction> p, Dataset test) {
        int ok = 0;
        for (int i = 0; i < p.size(); i++) {
            ok += p.get(i).label().equals(String.valueOf(test.column("digit").valueAt(i))) ? 1 : 0;
        }
        return (double) ok / p.size();
    }
}
