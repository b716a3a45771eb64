package org.mlops4j.djl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without the PyTorch native artifact on the class path (and an empty DJL cache), training fails with a
 * message naming the artifact, offline: no download is tried. Runs in a child JVM with the test class path
 * minus that jar.
 */
class NativeLibraryTest {

    /** The child JVM's main: trains a tiny MLP and prints what happened. */
    public static void main(String[] args) {
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

    @Test
    void aMissingNativeLibraryIsAClearErrorNotADownload(@TempDir Path cache) throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("pytorch-native-cpu")).collect(Collectors.joining(File.pathSeparator));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-cp", cp, "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                NativeLibraryTest.class.getName())).redirectErrorStream(true);
        pb.environment().put("DJL_CACHE_DIR", cache.toString());
        pb.environment().remove("OPT_OUT_TRACKING");
        pb.environment().put("ENGINE_CACHE_DIR", cache.toString());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("REFUSED the PyTorch engine could not start")
                .contains("ai.djl.pytorch:pytorch-native-cpu:2.7.1").contains("never downloads natives")
                .contains("offline=true opt-out=true");
        assertThat(Task.REGRESSION).isNotNull();
    }
}
