package org.mlops4j.samples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs samples/jshell/house-prices.jsh in the JDK's jshell (a separate process, started as jshell.sh starts it). */
class JShellSampleTest {

    @Test
    void theHousePriceScriptRunsWithoutErrorsAndPrintsReadableResults() throws Exception {
        String output = SampleProcess.run("jshell", true, "--class-path", SampleProcess.classpath(),
                "--startup", "DEFAULT", "--startup", SampleProcess.dir().resolve("jshell/mlops.jsh").toString(),
                "--feedback", "normal", "-R-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-R-Xshare:auto",
                SampleProcess.dir().resolve("jshell/house-prices.jsh").toString());

        assertThat(output).as(output).doesNotContain("Error:").doesNotContain("Exception ").doesNotContain("cannot find symbol");
        assertThat(output).contains("DatasetVersion[sha256:530159db0e40, 506 rows x 14 columns")
                .contains("MEDV numeric").contains("RegressionMetrics[n=101, rmse=")
                .contains("ModelVersion[name=house-prices, version=1")
                .contains("Prediction[label=null, value=")
                .contains("jshell sample done: cv_rmse=");
    }
}
