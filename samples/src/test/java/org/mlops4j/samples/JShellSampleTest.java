package org.mlops4j.samples;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs samples/jshell/house-prices.jsh in the JDK's jshell (a separate process, as a user would). */
class JShellSampleTest {

    @Test
    void theHousePriceScriptRunsWithoutErrorsAndPrintsReadableResults() throws Exception {
        Path samples = Path.of(System.getProperty("mlops.samples.dir", "."));
        String classpath = System.getProperty("mlops.samples.classes") + java.io.File.pathSeparator
                + Files.readString(Path.of(System.getProperty("mlops.samples.classpath"))).strip();
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        Process process = new ProcessBuilder(jshell.toString(), "--class-path", classpath, "--feedback", "normal",
                "-R-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-R-Xshare:auto",
                samples.resolve("jshell/house-prices.jsh").toString())
                .directory(samples.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = process.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        int exit = ended ? process.exitValue() : -1;

        assertThat(exit).as(output).isZero();
        assertThat(output).as(output).doesNotContain("Error:").doesNotContain("Exception ").doesNotContain("cannot find symbol");
        assertThat(output).contains("DatasetVersion[sha256:530159db0e40, 506 rows x 14 columns")
                .contains("MEDV numeric").contains("RegressionMetrics[n=101, rmse=")
                .contains("ModelVersion[name=house-prices, version=1")
                .contains("Prediction[label=null, value=")
                .contains("jshell sample done: cv_rmse=");
    }

}
