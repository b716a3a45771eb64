package org.mlops4j.serving;

import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Standardize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The house-price model of the sample (Boston housing, MEDV, B dropped), trained once per test JVM. */
final class HousePrices {
    static final Path CSV = Path.of("../samples/data/boston_house_prices.csv");
    private static PipelineResult forest100;
    private static PipelineResult forest20;

    private HousePrices() {
    }

    static synchronized PipelineResult forest100() {
        if (forest100 == null) {
            forest100 = train(100);
        }
        return forest100;
    }

    static synchronized PipelineResult forest20() {
        if (forest20 == null) {
            forest20 = train(20);
        }
        return forest20;
    }

    private static PipelineResult train(int trees) {
        return Pipeline.from(Csv.file(CSV).skipLines(1)).label("MEDV").drop("B")
                .transform(Impute.median(), Standardize.all())
                .train(RandomForest.regression().trees(trees).maxDepth(10).seed(42))
                .run();
    }

    /** @return a registry with version 1 (100 trees, champion) and version 2 (20 trees, challenger) */
    static ModelRegistry registry() {
        return registry(ModelRegistry.inMemory());
    }

    static ModelRegistry registry(ModelRegistry r) {
        r.register("house-prices", forest100().bundle(), List.of("champion"), Map.of());
        r.register("house-prices", forest20().bundle(), List.of("challenger"), Map.of());
        return r;
    }

    static ModelBundle bundle() {
        return forest100().bundle();
    }

    /** @return the raw rows of the data file (feature columns only, B dropped), as the CSV has them */
    static List<Map<String, Object>> rows() {
        try {
            List<String> lines = Files.readAllLines(CSV);
            String[] header = lines.get(1).replace("\"", "").split(",");
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 2; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 0; c < header.length; c++) {
                    if (!header[c].equals("MEDV")) {
                        row.put(header[c], Double.parseDouble(f[c]));
                    }
                }
                rows.add(row);
            }
            return rows;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static double[] medv() {
        try {
            List<String> lines = Files.readAllLines(CSV);
            double[] y = new double[lines.size() - 2];
            for (int i = 2; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                y[i - 2] = Double.parseDouble(f[f.length - 1]);
            }
            return y;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A store that corrupts the files of chosen versions when read: a bundle damaged on disk. */
    static final class CorruptingStore implements RegistryStore {
        private final RegistryStore inner;
        private final java.util.Set<Integer> corrupt = java.util.concurrent.ConcurrentHashMap.newKeySet();

        CorruptingStore(RegistryStore inner) {
            this.inner = inner;
        }

        void corrupt(int version) {
            corrupt.add(version);
        }

        @Override
        public Map<String, byte[]> files(String name, int version) {
            Map<String, byte[]> files = new LinkedHashMap<>(inner.files(name, version));
            if (corrupt.contains(version)) {
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    if (!e.getKey().equals(ModelBundle.MANIFEST) && e.getValue().length > 10) {
                        byte[] b = e.getValue().clone();
                        b[b.length / 2] ^= 0x5A;
                        e.setValue(b);
                    }
                }
            }
            return files;
        }

        // delegate everything else
        @Override
        public org.mlops4j.core.registry.ModelVersion addVersion(NewVersion v) {
            return inner.addVersion(v);
        }

        @Override
        public java.util.Optional<org.mlops4j.core.registry.ModelVersion> version(String name, int version) {
            return inner.version(name, version);
        }

        @Override
        public List<org.mlops4j.core.registry.ModelVersion> versions(String name) {
            return inner.versions(name);
        }

        @Override
        public List<String> models() {
            return inner.models();
        }

        @Override
        public java.util.Optional<Integer> alias(String name, String alias) {
            return inner.alias(name, alias);
        }

        @Override
        public void setAlias(String name, String alias, int version) {
            inner.setAlias(name, alias, version);
        }

        @Override
        public boolean deleteAlias(String name, String alias) {
            return inner.deleteAlias(name, alias);
        }

        @Override
        public void setTag(String name, int version, String key, String value) {
            inner.setTag(name, version, key, value);
        }
    }
}
