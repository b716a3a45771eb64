package org.mlops4j.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlops4j.core.tracking.spi.TrackingStore;
import org.mlops4j.tracking.mlflow.MlflowTrackingStore;
import org.mlops4j.tracking.tck.MlflowProtocolKit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mlops server} as a real process on a free port with a token: the MLflow client store passes the
 * contract kit against it, the official MLflow client logs into it, and SIGTERM stops it cleanly.
 */
class CliServerIT extends MlflowProtocolKit {
    private static final String TOKEN = "cli-it-token-123";
    @TempDir
    static Path dir;
    private static Process server;
    private static URI uri;

    @BeforeAll
    static void startServer() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server", "--port", "0",
                "--store", "sqlite:" + dir.resolve("mlruns/mlops.db"), "--token", TOKEN));
        server = new ProcessBuilder(cmd).redirectError(dir.resolve("server.err").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("server stderr: %s", java.nio.file.Files.readString(dir.resolve("server.err"))).startsWith("mlops server on http://127.0.0.1:");
        uri = URI.create(line.substring("mlops server on ".length(), line.indexOf(' ', "mlops server on ".length())));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.destroy(); // SIGTERM: the shutdown hook stops the server and closes the store
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isIn(0, 143);
    }

    @Override
    protected TrackingStore createStore() {
        return MlflowTrackingStore.builder(uri).token(TOKEN).open();
    }

    @Test
    void theOfficialMlflowClientLogsIntoMlopsServer() {
        try (MlflowClient mlflow = new MlflowClient(new BasicMlflowHostCreds(uri.toString(), TOKEN))) {
            String exp = mlflow.createExperiment("cli-official");
            String run = mlflow.createRun(exp).getRunId();
            mlflow.logMetric(run, "rmse", 2.5);
            mlflow.setTerminated(run);
            assertThat(mlflow.getRun(run).getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
            assertThat(mlflow.getMetricHistory(run, "rmse")).extracting(Service.Metric::getValue).containsExactly(2.5);
        }
    }
}
