package org.mlops4j.benchmarks;

import org.mlops4j.core.Pipeline;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.tracking.jdbc.PostgresTrackingStore;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Registering and loading a 100-tree random forest (Boston housing) in the durable registry, on SQLite
 * ({@code synchronous=FULL}) and PostgreSQL, against a plain copy of the same bundle files in the same run:
 * {@code register} (files content-addressed and synced, one transaction) against {@code Files.copy} of the
 * saved bundle into a fresh directory; {@code load} (read, checksums verified, bundle parsed) against
 * reading the same files into memory and against {@code ModelBundle.load(dir)} of the saved bundle.
 * PostgreSQL runs when {@code -Dmlops.bench.postgres.url=jdbc:postgresql://...} is given (else it is skipped
 * by running SQLite only: {@code -p store=sqlite}).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RegistryBenchmark -p store=sqlite}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Benchmark)
public class RegistryBenchmark {
    @Param({"sqlite", "postgresql"})
    public String store;

    private Path dir;
    private Path saved;
    private ModelBundle bundle;
    private ModelRegistry registry;
    private final AtomicLong copies = new AtomicLong();
    private long bytes;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("mlops-bench-registry");
        bundle = Pipeline.from(Csv.file(BenchmarkData.boston()).skipLines(1)).label("MEDV").drop("B")
                .train(RandomForest.regression().trees(100).seed(42)).run().bundle();
        saved = dir.resolve("saved");
        bundle.save(saved);
        for (String f : bundle.fileNames()) {
            bytes += bundle.file(f).orElseThrow().length;
        }
        if (store.equals("sqlite")) {
            registry = ModelRegistry.of(SqliteTrackingStore.builder(dir.resolve("mlruns/mlops.db")).openRegistry());
        } else {
            String url = System.getProperty("mlops.bench.postgres.url");
            if (url == null || url.isBlank()) {
                throw new IllegalStateException("store=postgresql needs a database: java -Dmlops.bench.postgres.url="
                        + "'jdbc:postgresql://HOST:PORT/DB?user=...' -jar benchmarks.jar Registry; SQLite alone: -p store=sqlite");
            }
            registry = ModelRegistry.of(PostgresTrackingStore.builder(url).schema("bench_" + Long.toHexString(System.nanoTime()))
                    .artifactRoot(dir.resolve("artifacts")).openRegistry());
        }
        registry.register("forest", bundle); // version 1, loaded by the load benchmarks
        System.out.printf("%nbundle: %d files, %d bytes%n", bundle.fileNames().size(), bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        registry.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public ModelVersion register() {
        return registry.register("forest", bundle);
    }

    @Benchmark
    public Path baselineCopyFiles() throws IOException {
        Path target = dir.resolve("copies").resolve(Long.toString(copies.incrementAndGet()));
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(saved)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }

    @Benchmark
    public ModelBundle load() {
        return registry.load("forest/1");
    }

    @Benchmark
    public Map<String, byte[]> baselineReadFiles() throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (Stream<Path> files = Files.list(saved)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                out.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    @Benchmark
    public ModelBundle baselineLoadDirectory() {
        return ModelBundle.load(saved);
    }
}
