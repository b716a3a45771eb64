package org.mlops4j.core.tck;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.data.DataSource;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelNotFoundException;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.train.DecisionTree;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link RegistryStore} passes: versions numbered 1, 2, 3… per model, unique and
 * gapless under racing registrations; aliases that move atomically (a reader sees the old or the new
 * version, never none); tags; lineage, metrics and files stored exactly; unknown names answered as the
 * SPI says. A backend's test is a short subclass that opens a fresh, empty store.
 * {@snippet :
 * class InMemoryRegistryStoreTest extends RegistryStoreCompatibilityKit {
 *     protected RegistryStore openStore() { return new InMemoryRegistryStore(); }
 * }
 * }
 */
public abstract class RegistryStoreCompatibilityKit {
    private static final Instant T0 = Instant.parse("2026-11-26T10:15:30Z");
    private static ModelBundle bundle;

    /** The store under test; {@link #closeStore} is called after each test. */
    protected RegistryStore store;

    /** @return a fresh, empty store */
    protected abstract RegistryStore openStore();

    /**
     * Closes what {@link #openStore()} opened; nothing by default.
     *
     * @param s the store
     * @throws Exception when closing fails
     */
    protected void closeStore(RegistryStore s) throws Exception {
        if (s instanceof AutoCloseable c) {
            c.close();
        }
    }

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() throws Exception {
        closeStore(store);
    }

    /** A small real bundle (a depth-2 tree on eight rows), made once. */
    protected static synchronized ModelBundle bundle() {
        if (bundle == null) {
            Dataset d = Dataset.builder("kit").numeric("x", 1, 2, 3, 4, 5, 6, 7, 8).numeric("y", 2, 4, 6, 8, 10, 12, 14, 16).build();
            bundle = Pipeline.from(DataSource.of(d)).label("y").train(DecisionTree.regression().maxDepth(2)).run().bundle();
        }
        return bundle;
    }

    private static RegistryStore.NewVersion version(String name, List<String> aliases, Map<String, String> tags, Lineage lineage) {
        byte[] manifest = ("{\"kit\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> files = Map.of("manifest.json", manifest, "model.bin", new byte[] {0, 1, 2, (byte) 255});
        return new RegistryStore.NewVersion(name, T0, lineage, Map.of("holdout_rmse", 2.5, "cv_rmse", 3.25), tags, aliases, files,
                Sha256.hex(manifest));
    }

    private static RegistryStore.NewVersion version(String name) {
        return version(name, List.of(), Map.of(), new Lineage("run-1", "7", "a".repeat(64), "file:///data/prices.csv"));
    }

    @Test
    void versionsAreNumberedFromOnePerModel() {
        assertThat(store.addVersion(version("prices")).version()).isEqualTo(1);
        assertThat(store.addVersion(version("prices")).version()).isEqualTo(2);
        assertThat(store.addVersion(version("churn")).version()).isEqualTo(1);
        assertThat(store.addVersion(version("prices")).version()).isEqualTo(3);

        assertThat(store.versions("prices")).extracting(ModelVersion::version).containsExactly(1, 2, 3);
        assertThat(store.models()).containsExactly("churn", "prices");
        assertThat(store.versions("nothing")).isEmpty();
        assertThat(store.version("prices", 4)).isEmpty();
        assertThat(store.version("nothing", 1)).isEmpty();
    }

    @Test
    void racingRegistrationsGetUniqueGaplessVersions() throws Exception {
        int n = 50;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.addVersion(version("raced")).version();
                }));
            }
            start.countDown();
            Set<Integer> numbers = new TreeSet<>();
            for (Future<Integer> f : futures) {
                numbers.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(numbers).hasSize(n).first().isEqualTo(1);
            assertThat(numbers).last().isEqualTo(n);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.versions("raced")).extracting(ModelVersion::version).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, n).boxed().toList());
    }

    @Test
    void everythingRegisteredIsReadBackExactly() {
        Lineage lineage = new Lineage("run-9", "3", "b".repeat(64), "file:///x.csv", "prices/1");
        ModelVersion v = store.addVersion(version("prices", List.of("champion"), Map.of("owner", "pricing"), lineage));
        ModelVersion read = store.version("prices", v.version()).orElseThrow();

        assertThat(read.lineage()).isEqualTo(lineage);
        assertThat(read.metrics()).containsExactlyInAnyOrderEntriesOf(Map.of("holdout_rmse", 2.5, "cv_rmse", 3.25));
        assertThat(read.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("owner", "pricing"));
        assertThat(read.aliases()).containsExactly("champion");
        assertThat(read.createdAt()).isEqualTo(T0);
        assertThat(read.manifestSha256()).isEqualTo(v.manifestSha256()).hasSize(64);
        Map<String, byte[]> files = store.files("prices", 1);
        assertThat(files).containsOnlyKeys("manifest.json", "model.bin");
        assertThat(files.get("model.bin")).containsExactly(0, 1, 2, 255);
    }

    @Test
    void aliasesMoveFromVersionToVersion() {
        store.addVersion(version("prices", List.of("champion", "staging"), Map.of(), version("prices").lineage()));
        store.addVersion(version("prices", List.of("staging"), Map.of(), version("prices").lineage()));

        assertThat(store.alias("prices", "champion")).contains(1);
        assertThat(store.alias("prices", "staging")).contains(2);
        assertThat(store.version("prices", 1).orElseThrow().aliases()).containsExactly("champion");
        assertThat(store.version("prices", 2).orElseThrow().aliases()).containsExactly("staging");

        store.setAlias("prices", "champion", 2);
        assertThat(store.alias("prices", "champion")).contains(2);
        assertThat(store.version("prices", 1).orElseThrow().aliases()).isEmpty();
        assertThat(store.version("prices", 2).orElseThrow().aliases()).containsExactly("champion", "staging");

        assertThat(store.deleteAlias("prices", "staging")).isTrue();
        assertThat(store.deleteAlias("prices", "staging")).isFalse();
        assertThat(store.alias("prices", "staging")).isEmpty();
        assertThat(store.alias("nothing", "champion")).isEmpty();
    }

    @Test
    void aReaderSeesTheOldOrTheNewVersionOfAMovingAliasNeverNone() throws Exception {
        for (int i = 0; i < 3; i++) {
            store.addVersion(version("prices", i == 0 ? List.of("champion") : List.of(), Map.of(), version("prices").lineage()));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger missing = new AtomicInteger();
        CountDownLatch reading = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                Optional<Integer> v = store.alias("prices", "champion");
                if (v.isEmpty()) {
                    missing.incrementAndGet();
                }
                reads.incrementAndGet();
                reading.countDown();
            }
        });
        reader.start();
        try {
            assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
            int readsBefore = reads.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // Move the alias at least 300 times, and until the reader has read a few hundred times meanwhile.
            for (int i = 0; i < 300 || (reads.get() - readsBefore < 300 && System.nanoTime() < deadline); i++) {
                store.setAlias("prices", "champion", 1 + i % 3);
            }
        } finally {
            stop.set(true);
            reader.join(30_000);
        }
        assertThat(reads.get()).isPositive();
        assertThat(missing.get()).isZero();
    }

    @Test
    void versionTagsAreSetAndReplaced() {
        store.addVersion(version("prices", List.of(), Map.of("stage", "candidate"), version("prices").lineage()));
        store.setTag("prices", 1, "stage", "approved");
        store.setTag("prices", 1, "reviewer", "ada");

        assertThat(store.version("prices", 1).orElseThrow().tags())
                .containsExactlyInAnyOrderEntriesOf(Map.of("stage", "approved", "reviewer", "ada"));
    }

    @Test
    void unknownVersionsAreReportedAsTheSpiSays() {
        store.addVersion(version("prices"));

        assertThatThrownBy(() -> store.setAlias("prices", "champion", 2)).isInstanceOf(ModelNotFoundException.class);
        assertThatThrownBy(() -> store.files("prices", 2)).isInstanceOf(ModelNotFoundException.class);
        assertThatThrownBy(() -> store.setTag("nothing", 1, "a", "b")).isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void throughTheRegistryEveryLoadVerifiesTheStoredBundle() {
        ModelRegistry registry = ModelRegistry.of(store);
        ModelVersion v = registry.register("tree", bundle(), List.of("champion"), Map.of("owner", "kit"));

        ModelBundle loaded = registry.load("tree@champion");
        assertThat(loaded.manifestSha256()).isEqualTo(bundle().manifestSha256()).isEqualTo(v.manifestSha256());
        assertThat(registry.predictor("tree/1").predict(Map.of("x", 7.5)).value())
                .isEqualTo(bundle().predictor().predict(Map.of("x", 7.5)).value());
        assertThat(registry.version("tree").lineage()).isEqualTo(bundle().manifest().lineage());

        ModelVersion other = store.addVersion(new RegistryStore.NewVersion("tree", T0, bundle().manifest().lineage(), Map.of(),
                Map.of(), List.of(), bundle().files(), "0".repeat(64)));
        assertThatThrownBy(() -> registry.load("tree/" + other.version()))
                .isInstanceOf(BundleIntegrityException.class).hasMessageContaining("registry recorded");
    }
}
