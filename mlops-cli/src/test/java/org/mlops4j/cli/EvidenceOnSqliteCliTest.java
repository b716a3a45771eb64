package org.mlops4j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.tracking.TrackingStores;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evidence commands on the durable SQLite registry (not an in-memory one), when the champion's stored bundle was
 * changed on disk: promotion over it is refused saying why, and reproducing or carding it is one clear error.
 */
class EvidenceOnSqliteCliTest {
    @TempDir
    Path dir;
    private String store;

    @BeforeEach
    void theStoresOwnRegistry() throws Exception {
        ModelCommands.registries((uri, tracker) -> ModelRegistry.of(TrackingStores.openRegistry(uri)).withRuns(tracker));
        Path csv = dir.resolve("boston.csv");
        Files.copy(Path.of("../samples/data/boston_house_prices.csv"), csv);
        store = "sqlite:" + dir.resolve("mlops.db");
        try (Tracker tracker = TrackingStores.tracker(store);
             ModelRegistry registry = ModelRegistry.of(TrackingStores.openRegistry(store)).withRuns(tracker)) {
            Pipeline p = Pipeline.from(Csv.file(csv).skipLines(1)).label("MEDV").split(Split.trainTest(0.8).seed(5)).track(tracker, "house");
            p.train(RandomForest.regression().trees(10).seed(1)).register(registry, "house", "champion").run();
            p.train(DecisionTree.regression().maxDepth(6)).register(registry, "house").run();
            // change one byte of the champion's largest stored file, where the registry keeps it (content-addressed)
            byte[] payload = registry.load("house/1").files().values().stream()
                    .max(java.util.Comparator.comparingInt(b -> b.length)).orElseThrow();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
            Path blob = dir.resolve("artifacts/sha256").resolve(sha.substring(0, 2)).resolve(sha.substring(2));
            assertThat(blob).exists();
            blob.toFile().setWritable(true);
            byte[] bytes = Files.readAllBytes(blob);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(blob, bytes);
        }
    }

    @AfterEach
    void noRegistry() {
        ModelCommands.registries((uri, tracker) -> {
            throw new IllegalStateException("no registry");
        });
    }

    @Test
    void aChampionWhoseBundleNoLongerVerifiesIsNotComparedAndCannotBeReproducedOrCarded() {
        ReproduceAndModelsCliTest.Result refused = ReproduceAndModelsCliTest.mlops("models", "promote", "house/2", "--to", "champion",
                "--if-beats", "rmse", "--store", store);
        assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(3);
        assertThat(refused.out()).contains("REFUSED version 2 over 1").contains("the holder house/1 cannot be evaluated")
                .contains("changed on disk").contains("mlops models rollback");
        try (ModelRegistry registry = TrackingStores.registry(store)) {
            assertThat(registry.version("house@champion").version()).as("the alias stays").isEqualTo(1);
        }

        ReproduceAndModelsCliTest.Result reproduce = ReproduceAndModelsCliTest.mlops("runs", "reproduce", "models:/house/1", "--store", store);
        assertThat(reproduce.code()).isEqualTo(1);
        assertThat(reproduce.err()).startsWith("mlops: ").contains("house/1").contains("changed on disk").doesNotContain("\tat ");

        ReproduceAndModelsCliTest.Result card = ReproduceAndModelsCliTest.run(new CommandLine(new ModelCommands.CardCommand()), "house/1",
                "--store", store);
        assertThat(card.code()).isEqualTo(1);
        assertThat(card.err()).contains("changed on disk").doesNotContain("\tat ");

        ReproduceAndModelsCliTest.Result fine = ReproduceAndModelsCliTest.mlops("runs", "reproduce", "models:/house/2", "--store", store);
        assertThat(fine.code()).as(fine.out() + fine.err()).isZero();
        assertThat(fine.out()).contains("reproduced exactly");
    }
}
