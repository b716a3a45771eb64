package org.mlops4j.core.registry;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.TestData;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.memory.InMemoryRegistryStore;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.train.DecisionTree;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryTest {
    private static ModelBundle bundle;

    @BeforeAll
    static void train() {
        bundle = Pipeline.from(TestData.boston()).label("MEDV").drop("B")
                .train(DecisionTree.regression().maxDepth(5)).run().bundle();
    }

    @Test
    void versionsCountUpPerModelAndAliasesMove() {
        ModelRegistry registry = ModelRegistry.inMemory();

        ModelVersion v1 = registry.register("house-prices", bundle, List.of("champion"), Map.of("owner", "pricing"));
        ModelVersion v2 = registry.register("house-prices", bundle);
        ModelVersion other = registry.register("churn", bundle);

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(other.version()).isEqualTo(1);
        assertThat(v1.aliases()).containsExactly("champion");
        assertThat(v1.tags()).containsEntry("owner", "pricing");
        assertThat(registry.models()).containsExactly("churn", "house-prices");

        registry.setAlias("house-prices", "champion", 2);
        registry.setAlias("house-prices", "previous", 1);
        assertThat(registry.version("house-prices@champion").version()).isEqualTo(2);
        assertThat(registry.version("house-prices/1").aliases()).containsExactly("previous");
        assertThat(registry.version("house-prices").version()).isEqualTo(2);
        assertThat(registry.version("house-prices@latest").version()).isEqualTo(2);
        assertThat(registry.deleteAlias("house-prices", "previous")).isTrue();
        assertThat(registry.versions("house-prices")).extracting(ModelVersion::aliases)
                .containsExactly(List.of(), List.of("champion"));
    }

    @Test
    void versionsCarryLineageAndMetricsFromTheBundle() {
        ModelRegistry registry = ModelRegistry.inMemory();
        ModelVersion v = registry.register("m", bundle);

        assertThat(v.lineage().datasetVersion()).isEqualTo(TestData.boston().load().version().id());
        assertThat(v.metrics()).containsKeys("holdout_rmse", "holdout_r2", "train_seconds");
        assertThat(v.manifestSha256()).isEqualTo(bundle.manifestSha256());
        registry.setTag("m", 1, "reviewed", "yes");
        assertThat(registry.version("m/1").tags()).containsEntry("reviewed", "yes");
    }

    @Test
    void unknownReferencesSayWhatExists() {
        ModelRegistry registry = ModelRegistry.inMemory();
        registry.register("house-prices", bundle, List.of("champion"), Map.of());

        assertThatThrownBy(() -> registry.version("houses"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessage("no model named 'houses'; registered models are [house-prices]");
        assertThatThrownBy(() -> registry.version("house-prices/7"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model 'house-prices' has no version 7; versions are 1 to 1");
        assertThatThrownBy(() -> registry.version("house-prices@staging"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model 'house-prices' has no alias 'staging'; aliases are [champion]");
        assertThatThrownBy(() -> registry.setAlias("house-prices", "x", 3)).isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void namesAndAliasesAreValidated() {
        ModelRegistry registry = ModelRegistry.inMemory();

        assertThatThrownBy(() -> registry.register("../evil", bundle)).hasMessageContaining("model name must be 1-100 characters");
        assertThatThrownBy(() -> registry.register("m", bundle, List.of("42"), Map.of())).hasMessageContaining("must not be all digits");
        assertThatThrownBy(() -> registry.register("m", bundle, List.of("latest"), Map.of())).hasMessageContaining("reserved");
        assertThatThrownBy(() -> ModelRef.parse("m@a/1")).hasMessageContaining("is not of the form name, name@alias, name/N");
        assertThatThrownBy(() -> ModelRef.parse("m/x")).hasMessageContaining("is not of the form");
        assertThat(registry.models()).isEmpty();
    }

    @Test
    void referencesParseAndPrint() {
        assertThat(ModelRef.parse("m@champion")).isEqualTo(new ModelRef("m", 0, "champion"));
        assertThat(ModelRef.parse("m/3").toString()).isEqualTo("m/3");
        assertThat(ModelRef.parse("m").isLatest()).isTrue();
        assertThat(ModelRef.parse("m@latest").toString()).isEqualTo("m@latest");
    }

    @Test
    void aTamperedStoredFileIsRefusedOnLoad() {
        TamperingStore store = new TamperingStore();
        ModelRegistry registry = ModelRegistry.of(store);
        registry.register("m", bundle);
        assertThat(registry.load("m/1").predictor()).isNotNull();

        store.tamper = org.mlops4j.core.model.compiled.CompiledFlavor.FILE;
        assertThatThrownBy(() -> registry.load("m/1"))
                .isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("bundle m/1: file model.compiled.bin has SHA-256")
                .hasMessageContaining("refusing to load it");

        store.tamper = ModelBundle.MANIFEST;
        assertThatThrownBy(() -> registry.load("m/1"))
                .isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("manifest.json has SHA-256")
                .hasMessageContaining("but the registry recorded " + bundle.manifestSha256());
    }

    /** A store whose stored bytes get corrupted: one byte of one file flipped on the way out. */
    private static final class TamperingStore implements RegistryStore {
        private final InMemoryRegistryStore delegate = new InMemoryRegistryStore();
        String tamper;

        @Override
        public Map<String, byte[]> files(String name, int version) {
            Map<String, byte[]> files = new HashMap<>(delegate.files(name, version));
            if (tamper != null) {
                byte[] copy = files.get(tamper).clone();
                copy[copy.length / 2] ^= 1;
                files.put(tamper, copy);
            }
            return files;
        }

        @Override
        public ModelVersion addVersion(NewVersion version) {
            return delegate.addVersion(version);
        }

        @Override
        public Optional<ModelVersion> version(String name, int version) {
            return delegate.version(name, version);
        }

        @Override
        public List<ModelVersion> versions(String name) {
            return delegate.versions(name);
        }

        @Override
        public List<String> models() {
            return delegate.models();
        }

        @Override
        public void setAlias(String name, String alias, int version) {
            delegate.setAlias(name, alias, version);
        }

        @Override
        public boolean deleteAlias(String name, String alias) {
            return delegate.deleteAlias(name, alias);
        }

        @Override
        public Optional<Integer> alias(String name, String alias) {
            return delegate.alias(name, alias);
        }

        @Override
        public void setTag(String name, int version, String key, String value) {
            delegate.setTag(name, version, key, value);
        }
    }
}
