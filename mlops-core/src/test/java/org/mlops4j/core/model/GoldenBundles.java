package org.mlops4j.core.model;

import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Log1p;
import org.mlops4j.core.transform.Standardize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the golden files kept under {@code src/test/resources/bundles/}: a model saved by this release
 * that every later release must still load and predict with identically, and the {@code pipeline.json}
 * that rebuilds it ({@link GoldenBundleTest}). Run it only when a new format version is introduced, into
 * a new folder; never overwrite. From {@code mlops-core}:
 * <pre>
 * ../mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.mlops4j.core.model.GoldenBundles -Dexec.args=src/test/resources/bundles/v2-boston-tree
 * </pre>
 */
public final class GoldenBundles {
    private GoldenBundles() {
    }

    /** The rows the golden predictions are made on: the first rows of the Boston file, with B left out. */
    static List<Map<String, Object>> rows(int n) {
        Dataset d = TestData.boston().load();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Column c : d.columns()) {
                if (!c.name().equals("B") && !c.name().equals("MEDV")) {
                    row.put(c.name(), c.valueAt(r));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * The golden model's pipeline. The file is named relative to mlops-core, where the tests run, so the
     * recorded {@code pipeline.json} holds no machine's absolute path.
     */
    static Pipeline pipeline() {
        return Pipeline.from(Csv.file("../samples/data/boston_house_prices.csv").skipLines(1)).label("MEDV").drop("B")
                .transform(Impute.median(), Log1p.columns("CRIM"), Standardize.all())
                .train(DecisionTree.regression().maxDepth(4).seed(1));
    }

    /**
     * The HMAC key the golden bundles from issue 10 on are signed with. A test key, public on purpose: it
     * proves the signature format stays readable, not where the bundle came from.
     */
    static BundleKey goldenKey() {
        return BundleKey.hmacSha256("mlops4j-golden", "mlops4j golden bundles: a public test key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        if (Files.exists(target)) {
            throw new IllegalStateException(target + " exists; golden files are never overwritten");
        }
        PipelineResult r = pipeline().run();
        ModelBundle signed = r.bundle().signedWith(goldenKey());
        signed.save(target.resolve("bundle"));
        signed.saveZip(target.resolve("bundle.zip"));
        Files.write(target.resolve("pipeline.json"), r.spec().toJson());
        List<Double> expected = r.predictor().predict(rows(10)).stream().map(Prediction::value).toList();
        Files.write(target.resolve("expected-predictions.json"), Json.write(expected));
    }
}
