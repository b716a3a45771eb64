package org.mlops4j.djl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.MlopsException;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without the PyTorch native artifact on the class path (and an empty DJL cache), training and loading a
 * registered {@code djl} bundle fail with a message naming the artifact, offline: no download is tried. Runs in
 * a child JVM with the test class path minus that jar.
 */
class NativeLibraryTest {

    /** The child JVM's main: trains a tiny MLP and prints what happened. */
    public static void main(String[] args) throws Exception {
        if (args.length == 1) {
            load(Path.of(args[0]));
            return;
        }
        Dataset d = Dataset.builder("s").numeric("x", 1, 2, 3, 4).build();
        try {
            Mlp.regression().epochs(1).validationFraction(0).fit(new TrainingSet(d, Target.numeric("y", 1, 2, 3, 4)), TrainContext.defaults());
            System.out.println("TRAINED");
        } catch (NativeLibraryException e) {
            System.out.println("REFUSED " + e.getMessage());
        } catch (Throwable t) {
            System.out.println("OTHER " + t);
        }
        // set by mlops4j before DJL started, since this JVM was given neither
        System.out.println("offline=" + System.getProperty("ai.djl.offline") + " opt-out=" + System.getProperty("OPT_OUT_TRACKING"));
    }

    /** The child JVM's other main: registers the bundle files in {@code dir} as they are, then asks for a predictor. */
    private static void load(Path dir) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (var paths = Files.walk(dir)) {
            for (Path f : paths.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(f).toString().replace(File.separatorChar, '/'), Files.readAllBytes(f));
            }
        }
        ModelRegistry registry = ModelRegistry.inMemory();
        registry.register(new RegistryStore.NewVersion("digits", Instant.parse("2026-12-02T12:00:00Z"), new Lineage(null, null, null, null, null),
                Map.of(), Map.of(), List.of("champion"), files, null));
        System.out.println("REGISTERED " + registry.version("digits@champion").version());
        try {
            registry.predictor("digits@champion");
            System.out.println("LOADED");
        } catch (MlopsException e) {
            System.out.println("REFUSED " + e.getClass().getSimpleName() + " " + e.getMessage() + " CAUSE "
                    + (e.getCause() == null ? null : e.getCause().getClass().getSimpleName()));
        } catch (Throwable t) {
            System.out.println("OTHER " + t);
        }
    }

    @Test
    void loadingARegisteredDjlBundleWithoutTheNativeLibraryIsAClearError(@TempDir Path cache, @TempDir Path bundle) throws Exception {
        Dataset d = Dataset.builder("s").numeric("x", 1, 2, 3, 4, 5, 6).numeric("y", 1, 2, 3, 4, 5, 6).build();
        MlpModel m = (MlpModel) Mlp.regression().epochs(1).validationFraction(0).fit(new TrainingSet(d.drop("y"), Target.of(d, "y",
                Task.REGRESSION)), TrainContext.defaults());
        ModelBundle b = Onnx.bundle(m, d, "y");
        b.save(bundle.resolve("v1"));
        // the same bundle loads where PyTorch is there
        assertThat(ModelBundle.load(bundle.resolve("v1")).model().flavor()).isEqualTo("djl");
        String out = runWithoutPyTorchNatives(cache, bundle.resolve("v1").toString());
        assertThat(out).contains("REGISTERED 1")
                .contains("REFUSED UnsupportedBundleException bundle digits/1: flavor 'djl' cannot load here because the PyTorch engine"
                        + " could not start")
                .contains("put ai.djl.pytorch:pytorch-engine:0.36.0, ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 and"
                        + " ai.djl.pytorch:pytorch-native-cpu:2.7.1 (classifier linux-x86_64) on the class path")
                .contains("never downloads natives").contains("CAUSE NativeLibraryException")
                .doesNotContain("LOADED").doesNotContain("OTHER");
    }

    private static String runWithoutPyTorchNatives(Path cache, String... args) throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("pytorch-native-cpu")).collect(Collectors.joining(File.pathSeparator));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java.toString(), "-cp", cp, "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                NativeLibraryTest.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DJL_CACHE_DIR", cache.toString());
        pb.environment().remove("OPT_OUT_TRACKING");
        pb.environment().put("ENGINE_CACHE_DIR", cache.toString());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aMissingNativeLibraryIsAClearErrorNotADownload(@TempDir Path cache) throws Exception {
        String out = runWithoutPyTorchNatives(cache);
        assertThat(out).contains("REFUSED the PyTorch engine could not start")
                .contains("ai.djl.pytorch:pytorch-native-cpu:2.7.1").contains("never downloads natives")
                .contains("offline=true opt-out=true");
        assertThat(Task.REGRESSION).isNotNull();
    }
}
