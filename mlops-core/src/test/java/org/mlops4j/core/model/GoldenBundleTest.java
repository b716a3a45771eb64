package org.mlops4j.core.model;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.transform.FittedTransform;
import org.mlops4j.core.transform.TransformTypes;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bundles written by earlier releases must load and predict exactly as they did then. */
class GoldenBundleTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(GoldenBundleTest.class.getResource("/bundles/" + name).toURI());
    }

    @Test
    void aVersionOneBundleStillLoadsAndPredictsIdentically() throws Exception {
        Path root = resource("v1-boston-tree");
        ModelBundle bundle = ModelBundle.load(root.resolve("bundle"));
        List<Double> expected = Json.mapper().readValue(Files.readAllBytes(root.resolve("expected-predictions.json")),
                new TypeReference<List<Double>>() { });

        List<Double> actual = bundle.predictor().predict(GoldenBundles.rows(10)).stream().map(Prediction::value).toList();

        assertThat(actual).isEqualTo(expected);
        assertThat(bundle.manifest().formatVersion()).isEqualTo(1);
        assertThat(bundle.transforms()).hasSize(4);
    }

    @Test
    void theSecondVersionOneBundleLoadsAsADirectoryAndAZipAndItsSignatureHolds() throws Exception {
        Path root = resource("v1-boston-tree-2");
        List<Double> expected = Json.mapper().readValue(Files.readAllBytes(root.resolve("expected-predictions.json")),
                new TypeReference<List<Double>>() { });

        ModelBundle dir = ModelBundle.load(root.resolve("bundle"), BundleLimits.defaults(), GoldenBundles.goldenKey());
        ModelBundle zip = ModelBundle.load(root.resolve("bundle.zip"), BundleLimits.defaults(), GoldenBundles.goldenKey());

        for (ModelBundle b : List.of(dir, zip)) {
            assertThat(b.predictor().predict(GoldenBundles.rows(10)).stream().map(Prediction::value).toList()).isEqualTo(expected);
            assertThat(b.manifest().formatVersion()).isEqualTo(1);
            assertThat(b.signature()).map(BundleSignature::keyId).contains("mlops4j-golden");
            assertThat(b.manifest().output()).isEqualTo(new BundleManifest.Output("MEDV", org.mlops4j.core.data.ColumnType.NUMERIC, List.of()));
            assertThat(b.manifest().inputRanges().get("RM")).isEqualTo(new BundleManifest.Range(3.561, 8.78, List.of()));
            assertThat(b.fileNames()).contains("pipeline.json", "input-example.json", "signature.json");
        }
        assertThat(zip.manifestSha256()).isEqualTo(dir.manifestSha256());
        List<java.util.Map<String, Object>> example = Json.mapper().readValue(dir.file(ModelBundle.INPUT_EXAMPLE).orElseThrow(),
                new TypeReference<List<java.util.Map<String, Object>>>() { });
        assertThat(example).hasSize(3);
        assertThat(dir.predictor().predict(example).get(0).value()).isEqualTo(expected.get(0));
        assertThat(PipelineSpec.read(dir.file("pipeline.json").orElseThrow())).isEqualTo(GoldenBundles.pipeline().spec().validated());
    }

    @Test
    void theGoldenTransformsFileKeepsItsFormat() throws IOException, URISyntaxException {
        String json = Files.readString(resource("v1-boston-tree").resolve("bundle/transforms.json"));

        assertThat(json).contains("\"type\" : \"drop\"", "\"type\" : \"impute\"", "\"type\" : \"log1p\"", "\"type\" : \"standardize\"");
        List<FittedTransform> chain = TransformTypes.readChain(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "transforms.json");
        assertThat(chain).hasSize(4);
    }

    @Test
    void theGoldenPipelineJsonRebuildsTheGoldenModelExactly() throws Exception {
        Path root = resource("v1-boston-tree");
        byte[] json = Files.readAllBytes(root.resolve("pipeline.json"));
        List<Double> expected = Json.mapper().readValue(Files.readAllBytes(root.resolve("expected-predictions.json")),
                new TypeReference<List<Double>>() { });

        PipelineSpec spec = PipelineSpec.read(json);
        PipelineResult again = Pipeline.of(spec).run();

        assertThat(again.predictor().predict(GoldenBundles.rows(10)).stream().map(Prediction::value).toList()).isEqualTo(expected);
        assertThat(PipelineSpec.read(again.spec().toJson())).as("rewritten in the newest format, the recipe is the same")
                .isEqualTo(spec);
        assertThat(spec).isEqualTo(GoldenBundles.pipeline().spec().validated());
    }
}
