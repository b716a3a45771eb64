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
import org.mlops4j.core.registry.RegisteredModel;
import org.mlops4j.core.registry.RegistryConflictException;
import org.mlops4j.core.registry.RegistryPage;
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
            // Move the alias 1,000 times, and until the reader has read a few hundred times meanwhile.
            for (int i = 0; i < 1000 || (reads.get() - readsBefore < 300 && System.nanoTime() < deadline); i++) {
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

    @Test
    void modelsKeepADescriptionAndTagsOfTheirOwn() {
        RegisteredModel created = store.createModel("prices", "Boston house prices", Map.of("team", "pricing"), T0);
        assertThat(created.latestVersion()).isZero();
        assertThat(created.createdAt()).isEqualTo(T0);
        assertThatThrownBy(() -> store.createModel("prices", "", Map.of(), T0)).isInstanceOf(RegistryConflictException.class)
                .hasMessageContaining("prices");

        store.setModelDescription("prices", "MEDV in $1000s");
        store.setModelTag("prices", "owner", "ada");
        store.setModelTag("prices", "team", "valuation");
        assertThat(store.deleteModelTag("prices", "owner")).isTrue();
        assertThat(store.deleteModelTag("prices", "owner")).isFalse();
        store.addVersion(version("prices", List.of("champion"), Map.of(), version("prices").lineage()));

        RegisteredModel m = store.model("prices").orElseThrow();
        assertThat(m.description()).isEqualTo("MEDV in $1000s");
        assertThat(m.tags()).containsExactlyEntriesOf(Map.of("team", "valuation"));
        assertThat(m.latestVersion()).isEqualTo(1);
        assertThat(m.aliases()).containsExactlyEntriesOf(Map.of("champion", 1));
        assertThat(store.model("nothing")).isEmpty();
        assertThatThrownBy(() -> store.setModelTag("nothing", "a", "b")).isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void versionTagsAndDescriptionsAreDeletedAndChanged() {
        store.addVersion(version("prices", List.of(), Map.of("stage", "candidate", "owner", "ada"), version("prices").lineage()));
        assertThat(store.deleteTag("prices", 1, "stage")).isTrue();
        assertThat(store.deleteTag("prices", 1, "stage")).isFalse();
        store.setVersionDescription("prices", 1, "first forest");

        ModelVersion v = store.version("prices", 1).orElseThrow();
        assertThat(v.tags()).containsExactlyEntriesOf(Map.of("owner", "ada"));
        assertThat(v.description()).isEqualTo("first forest");
    }

    @Test
    void aVersionAnAliasPointsAtIsDeletedOnlyWithForceAndTheErrorNamesTheAlias() {
        ModelRegistry registry = ModelRegistry.of(store);
        for (int i = 0; i < 3; i++) {
            store.addVersion(version("prices", i == 1 ? List.of("champion") : List.of(), Map.of(), version("prices").lineage()));
        }
        assertThatThrownBy(() -> registry.deleteVersion("prices", 2, false)).isInstanceOf(RegistryConflictException.class)
                .hasMessageContaining("'champion'").hasMessageContaining("prices/2");
        assertThat(store.version("prices", 2)).isPresent();

        registry.deleteVersion("prices", 3, false);
        registry.deleteVersion("prices", 2, true);
        assertThat(store.versions("prices")).extracting(ModelVersion::version).containsExactly(1);
        assertThat(store.alias("prices", "champion")).isEmpty();
        assertThatThrownBy(() -> registry.version("prices/3")).isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("no version 3");
        // A deleted number is never given again.
        assertThat(store.addVersion(version("prices")).version()).isEqualTo(4);
    }

    @Test
    void aModelWithAliasesIsDeletedOnlyWithForce() {
        ModelRegistry registry = ModelRegistry.of(store);
        store.addVersion(version("prices", List.of("champion"), Map.of(), version("prices").lineage()));
        store.addVersion(version("churn"));

        assertThatThrownBy(() -> registry.deleteModel("prices", false)).isInstanceOf(RegistryConflictException.class)
                .hasMessageContaining("'champion' (version 1)");
        registry.deleteModel("churn", false);
        registry.deleteModel("prices", true);
        assertThat(store.models()).isEmpty();
        assertThat(store.versions("prices")).isEmpty();
        assertThat(store.alias("prices", "champion")).isEmpty();
        assertThatThrownBy(() -> registry.deleteModel("prices", true)).isInstanceOf(ModelNotFoundException.class);
        // A model registered again after deletion starts at 1.
        assertThat(store.addVersion(version("prices")).version()).isEqualTo(1);
    }

    @Test
    void aRenamedModelKeepsItsVersionsTagsAndAliases() {
        store.addVersion(version("prices", List.of("champion"), Map.of("k", "v"), version("prices").lineage()));
        store.setModelTag("prices", "team", "pricing");
        store.addVersion(version("other"));
        assertThatThrownBy(() -> store.renameModel("prices", "other")).isInstanceOf(RegistryConflictException.class);

        store.renameModel("prices", "house-prices");
        assertThat(store.models()).containsExactly("house-prices", "other");
        assertThat(store.version("house-prices", 1).orElseThrow().tags()).containsEntry("k", "v");
        assertThat(store.version("house-prices", 1).orElseThrow().name()).isEqualTo("house-prices");
        assertThat(store.alias("house-prices", "champion")).contains(1);
        assertThat(store.model("house-prices").orElseThrow().tags()).containsEntry("team", "pricing");
        assertThat(store.files("house-prices", 1)).containsKey("manifest.json");
        assertThat(store.model("prices")).isEmpty();
        assertThat(store.addVersion(version("house-prices")).version()).isEqualTo(2);
    }

    @Test
    void searchUsesMlflowsFilterSyntaxAndPages() {
        ModelRegistry registry = ModelRegistry.of(store);
        for (String name : List.of("house-prices", "house-rents", "churn")) {
            store.addVersion(version(name, List.of(), Map.of("team", name.startsWith("house") ? "pricing" : "crm"),
                    new Lineage("run-" + name, "1", "a".repeat(64), "file:///d.csv")));
            store.setModelTag(name, "team", name.startsWith("house") ? "pricing" : "crm");
        }
        store.addVersion(version("house-prices"));

        assertThat(registry.searchModels("name LIKE 'house%'", List.of(), 100, null).items()).extracting(RegisteredModel::name)
                .containsExactly("house-prices", "house-rents");
        assertThat(registry.searchModels("tags.team = 'crm'", List.of(), 100, null).items()).extracting(RegisteredModel::name)
                .containsExactly("churn");
        assertThat(registry.searchModels("name ILIKE 'HOUSE-P%'", List.of("name DESC"), 100, null).items())
                .extracting(RegisteredModel::name).containsExactly("house-prices");
        assertThat(registry.searchVersions("name = 'house-prices'", List.of(), 100, null).items())
                .extracting(ModelVersion::version).containsExactly(2, 1);
        assertThat(registry.searchVersions("run_id IN ('run-churn', 'run-house-rents')", List.of("name ASC"), 100, null).items())
                .extracting(ModelVersion::name).containsExactly("churn", "house-rents");
        assertThat(registry.searchVersions("name = 'house-prices' and version_number > 1", List.of(), 100, null).items())
                .extracting(ModelVersion::version).containsExactly(2);
        assertThat(registry.searchVersions("tags.team = 'pricing'", List.of(), 100, null).items()).hasSize(2);

        RegistryPage<RegisteredModel> first = registry.searchModels("", List.of(), 2, null);
        assertThat(first.items()).extracting(RegisteredModel::name).containsExactly("churn", "house-prices");
        RegistryPage<RegisteredModel> second = registry.searchModels("", List.of(), 2, first.nextPageToken().orElseThrow());
        assertThat(second.items()).extracting(RegisteredModel::name).containsExactly("house-rents");
        assertThat(second.nextPageToken()).isEmpty();

        assertThatThrownBy(() -> registry.searchModels("name = 'a' OR name = 'b'", List.of(), 10, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OR");
        assertThatThrownBy(() -> registry.searchModels("nme = 'a'", List.of(), 10, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nme");
        assertThatThrownBy(() -> registry.searchModels("", List.of(), 10, "garbage"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page_token");
    }

    @Test
    void modelUrisNameVersionsAliasesAndTheNewest() {
        ModelRegistry registry = ModelRegistry.of(store);
        store.addVersion(version("prices", List.of("champion"), Map.of(), version("prices").lineage()));
        store.addVersion(version("prices"));

        assertThat(registry.version("models:/prices/1").version()).isEqualTo(1);
        assertThat(registry.version("models:/prices@champion").version()).isEqualTo(1);
        assertThat(registry.version("models:/prices/latest").version()).isEqualTo(2);
        assertThat(registry.version("prices/latest").version()).isEqualTo(2);
        assertThatThrownBy(() -> registry.version("models:/prices@staging")).isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("champion");
        assertThatThrownBy(() -> registry.version("models:/pricez/1")).isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("prices");
    }
}
