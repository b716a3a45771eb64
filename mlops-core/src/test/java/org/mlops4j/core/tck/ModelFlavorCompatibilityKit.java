package org.mlops4j.core.tck;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.profile.DataProfile;
import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.BundleManifest;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.ModelFlavors;
import org.mlops4j.core.model.spi.ModelFlavor;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link ModelFlavor} passes: found by name on the class path; a model written and read
 * back predicts exactly as before, alone and inside a bundle; a payload whose bytes changed is refused
 * by the bundle's checksums, and a payload that is not what the flavor writes (even with checksums made to
 * match) is refused with a {@link BundleIntegrityException}, never another exception. A flavor's test is a
 * short subclass giving a trained model and ready features.
 * {@snippet :
 * class TribuoFlavorTest extends ModelFlavorCompatibilityKit {
 *     protected Model model() { return ...; }
 *     protected Dataset readyFeatures() { return ...; }
 * }
 * }
 */
public abstract class ModelFlavorCompatibilityKit {

    /** @return a trained model of the flavor under test */
    protected abstract Model model();

    /** @return ready features (in the model's signature) to predict on */
    protected abstract Dataset readyFeatures();

    private ModelBundle bundle() {
        Dataset f = readyFeatures();
        return ModelBundle.builder(model()).label("y").inputSchema(f.schema()).trainingProfile(DataProfile.of(f)).build();
    }

    @Test
    void theFlavorIsFoundByTheNameTheModelGives() {
        Model m = model();
        ModelFlavor flavor = ModelFlavors.find(m.flavor());

        assertThat(flavor.name()).isEqualTo(m.flavor());
        assertThat(ModelFlavors.names()).contains(m.flavor());
    }

    @Test
    void aWrittenModelReadsBackAndPredictsExactlyTheSame() {
        Model m = model();
        ModelFlavor flavor = ModelFlavors.find(m.flavor());
        Map<String, byte[]> payload = flavor.write(m);

        assertThat(payload).isNotEmpty().allSatisfy((name, bytes) -> assertThat(name).doesNotContain("/").isNotIn(
                ModelBundle.MANIFEST, ModelBundle.TRANSFORMS, ModelBundle.PROFILE));
        Model back = flavor.read(payload, m.signature(), "kit");
        assertThat(back.signature()).isEqualTo(m.signature());
        assertThat(back.flavor()).isEqualTo(m.flavor());
        assertThat(back.predict(readyFeatures())).isEqualTo(m.predict(readyFeatures()));
    }

    @Test
    void aBundleOfTheModelLoadsAndPredictsExactlyTheSame() {
        ModelBundle b = bundle();
        ModelBundle again = ModelBundle.fromFiles(b.files(), "kit");

        assertThat(again.manifest().flavor()).isEqualTo(model().flavor());
        assertThat(again.model().predict(readyFeatures())).isEqualTo(model().predict(readyFeatures()));
    }

    @Test
    void aPayloadByteChangedIsRefusedByTheChecksums() {
        ModelBundle b = bundle();
        Map<String, byte[]> files = b.files();
        String payloadFile = payloadFile(b.manifest());
        files.get(payloadFile)[files.get(payloadFile).length / 2] ^= 0x20;

        assertThatThrownBy(() -> ModelBundle.fromFiles(files, "kit")).isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining(payloadFile).hasMessageContaining("SHA-256");
    }

    @Test
    void aForeignPayloadWithMatchingChecksumsIsRefusedAsAnIntegrityFailure() {
        ModelBundle b = bundle();
        String payloadFile = payloadFile(b.manifest());
        for (byte[] foreign : new byte[][] {new byte[0], "not a model".getBytes(StandardCharsets.UTF_8), new byte[] {31, -117, 8, 0}}) {
            Map<String, byte[]> files = withFile(b, payloadFile, foreign);
            assertThatThrownBy(() -> ModelBundle.fromFiles(files, "kit")).as("payload %s", new String(foreign, StandardCharsets.UTF_8))
                    .isInstanceOf(BundleIntegrityException.class);
        }
    }

    private static String payloadFile(BundleManifest m) {
        return m.files().stream().map(BundleManifest.BundleFile::path)
                .filter(p -> !p.equals(ModelBundle.TRANSFORMS) && !p.equals(ModelBundle.PROFILE) && !p.equals("pipeline.json"))
                .findFirst().orElseThrow();
    }

    /** The bundle's files with one replaced and the manifest rewritten to record its checksum and size. */
    private static Map<String, byte[]> withFile(ModelBundle b, String name, byte[] content) {
        BundleManifest m = b.manifest();
        java.util.List<BundleManifest.BundleFile> listed = m.files().stream()
                .map(f -> f.path().equals(name) ? new BundleManifest.BundleFile(name, Sha256.hex(content), content.length) : f).toList();
        BundleManifest changed = new BundleManifest(m.format(), m.formatVersion(), m.flavor(), m.task(), m.label(), m.algorithm(),
                m.hyperparameters(), m.inputSchema(), m.features(), m.classes(), m.metrics(), m.lineage(), m.environment(),
                m.createdAt(), listed, m.training());
        Map<String, byte[]> files = new LinkedHashMap<>(b.files());
        files.put(name, content);
        files.put(ModelBundle.MANIFEST, org.mlops4j.core.internal.Json.write(changed));
        return files;
    }
}
