package org.mlops4j.core.registry;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.BundleKey;
import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.train.DecisionTree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A version moves between registries (any store behind the SPI) as one zip, with its lineage; tampering is refused. */
class VersionTransferTest {
    @TempDir
    Path dir;
    private static PipelineResult result;
    private static ModelBundle bundle;

    @BeforeAll
    static void train() {
        result = Pipeline.from(TestData.boston()).label("MEDV").drop("B").train(DecisionTree.regression().maxDepth(4)).run();
        bundle = ModelBundle.builder(result.bundle().model()).label("MEDV").transforms(result.transforms())
                .inputSchema(result.bundle().manifest().inputSchema()).ignoredInputs(result.bundle().manifest().ignoredInputs()).trainingProfile(result.bundle().trainingProfile())
                .metrics(result.bundle().manifest().metrics()).lineage(new Lineage("run-1", "exp-1", "sha-data", "boston.csv").withParent("base/1"))
                .build();
    }

    @Test
    void anExportedVersionImportsElsewhereWithItsLineageAndPredictsTheSame() {
        ModelRegistry source = ModelRegistry.inMemory();
        source.register("house-prices", bundle);
        source.register("house-prices", bundle, List.of("champion"), Map.of("owner", "pricing"));
        Path zip = dir.resolve("hp.zip");

        ModelVersion out = source.exportVersion("house-prices@champion", zip);
        ModelRegistry target = ModelRegistry.inMemory();
        ModelVersion in = target.importVersion(zip, VersionTransfer.ImportOptions.defaults());

        assertThat(out.version()).isEqualTo(2);
        assertThat(in.name()).isEqualTo("house-prices");
        assertThat(in.version()).isEqualTo(1);
        assertThat(in.lineage()).isEqualTo(out.lineage()).isEqualTo(bundle.manifest().lineage());
        assertThat(in.lineage().parent()).isEqualTo("base/1");
        assertThat(in.manifestSha256()).isEqualTo(out.manifestSha256());
        assertThat(in.metrics()).isEqualTo(out.metrics());
        assertThat(in.tags()).containsEntry("owner", "pricing").containsEntry(VersionTransfer.IMPORTED_FROM, "house-prices/2")
                .containsEntry("mlops.exported_aliases", "champion");
        assertThat(in.aliases()).isEmpty();
        assertThat(target.predictor("house-prices/1").predict(result.testSet())).isEqualTo(result.testPredictions());

        ModelVersion renamed = target.importVersion(zip, VersionTransfer.ImportOptions.defaults().name("prices").aliases(List.of("staging")));
        assertThat(renamed.name()).isEqualTo("prices");
        assertThat(target.version("prices@staging").version()).isEqualTo(1);
        assertThat(ModelBundle.load(zip).manifestSha256()).as("an export zip is a bundle zip too").isEqualTo(out.manifestSha256());
        assertThatThrownBy(() -> source.exportVersion("house-prices/1", zip)).hasMessageContaining("already exists");
    }

    @Test
    void aSignedExportImportsOnlyWithItsKey() {
        BundleKey key = BundleKey.hmacSha256("registry-a", "registry-a-secret-of-32-bytes!!!".getBytes(StandardCharsets.UTF_8));
        ModelRegistry source = ModelRegistry.inMemory();
        source.register("hp", bundle);
        Path zip = dir.resolve("signed.zip");
        source.exportVersion("hp/1", zip, key);

        ModelRegistry target = ModelRegistry.inMemory();
        assertThat(target.importVersion(zip, VersionTransfer.ImportOptions.defaults().requireKey(key)).version()).isEqualTo(1);
        BundleKey other = BundleKey.hmacSha256("registry-b", new byte[32]);
        assertThatThrownBy(() -> target.importVersion(zip, VersionTransfer.ImportOptions.defaults().requireKey(other)))
                .isInstanceOf(BundleIntegrityException.class).hasMessageContaining("is signed with key 'registry-a', not with 'registry-b'");
        assertThat(target.versions("hp")).hasSize(1);
    }

    @Test
    void aTamperedOrForeignZipRegistersNothing() throws IOException {
        ModelRegistry source = ModelRegistry.inMemory();
        source.register("hp", bundle);
        Path zip = dir.resolve("hp.zip");
        source.exportVersion("hp/1", zip);
        ModelRegistry target = ModelRegistry.inMemory();

        byte[] bytes = Files.readAllBytes(zip);
        Path flipped = dir.resolve("flipped.zip");
        byte[] f = bytes.clone();
        f[f.length / 2] ^= 0x11;
        Files.write(flipped, f);
        assertThatThrownBy(() -> target.importVersion(flipped, VersionTransfer.ImportOptions.defaults()))
                .isInstanceOf(BundleIntegrityException.class);

        Path plain = dir.resolve("plain.zip");
        bundle.saveZip(plain);
        assertThatThrownBy(() -> target.importVersion(plain, VersionTransfer.ImportOptions.defaults()))
                .hasMessageContaining("has no registry.json; it is a bundle, not an export");

        Path lying = dir.resolve("lying.zip");
        String meta = registryJson(zip).replace("\"runId\" : \"run-1\"", "\"runId\" : \"run-9\"");
        Files.write(lying, bundle.toZip(meta.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> target.importVersion(lying, VersionTransfer.ImportOptions.defaults()))
                .hasMessageContaining("differs from the manifest's");

        Path other = dir.resolve("other.zip");
        Files.write(other, result.bundle().toZip(registryJson(zip).getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> target.importVersion(other, VersionTransfer.ImportOptions.defaults()))
                .hasMessageContaining("describes a bundle whose manifest has SHA-256");
        assertThat(target.models()).isEmpty();
    }

    private static String registryJson(Path zip) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals("registry.json")) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no registry.json in " + zip);
    }
}
