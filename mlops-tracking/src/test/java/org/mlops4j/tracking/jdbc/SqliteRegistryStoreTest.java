package org.mlops4j.tracking.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.tck.RegistryStoreCompatibilityKit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQLite registry store passes the registry-store contract, on a real file beside a tracking store. */
class SqliteRegistryStoreTest extends RegistryStoreCompatibilityKit {
    @TempDir
    Path dir;

    @Override
    protected RegistryStore openStore() {
        return SqliteTrackingStore.builder(dir.resolve("mlruns/mlops.db")).openRegistry();
    }

    @Test
    void versionsOutliveTheStoreAndShareTheTrackingFileAndArtifacts() throws Exception {
        Path db = dir.resolve("mlruns/mlops.db");
        try (JdbcTrackingStore tracking = SqliteTrackingStore.open(db)) {
            assertThat(tracking.experiments()).isNotNull();
        }
        ModelRegistry first = ModelRegistry.of(store);
        ModelVersion v1 = first.register("tree", bundle(), List.of("champion"), Map.of());
        first.register("tree", bundle()); // identical bundle: its files are stored once
        try (JdbcRegistryStore again = (JdbcRegistryStore) openStore()) {
            ModelRegistry second = ModelRegistry.of(again);
            assertThat(second.version("models:/tree@champion").version()).isEqualTo(v1.version());
            assertThat(second.predictor("models:/tree/latest").predict(Map.of("x", 3.0)).value())
                    .isEqualTo(bundle().predictor().predict(Map.of("x", 3.0)).value());
            assertThat(again.artifactRoot()).isEqualTo(dir.resolve("mlruns/artifacts").toRealPath());
        }
        long blobs;
        try (Stream<Path> files = Files.walk(dir.resolve("mlruns/artifacts/sha256"))) {
            blobs = files.filter(Files::isRegularFile).count();
        }
        assertThat(blobs).isEqualTo(bundle().fileNames().size());
    }

    @Test
    void aBlobChangedOnDiskIsRefusedOnLoad() throws Exception {
        ModelRegistry registry = ModelRegistry.of(store);
        registry.register("tree", bundle());
        Path blob;
        try (Stream<Path> files = Files.walk(dir.resolve("mlruns/artifacts/sha256"))) {
            blob = files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Files.size(p) > 100;
                } catch (java.io.IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 1;
        Files.write(blob, bytes);
        assertThatThrownBy(() -> registry.load("tree/1")).isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("changed on disk");
    }
}
