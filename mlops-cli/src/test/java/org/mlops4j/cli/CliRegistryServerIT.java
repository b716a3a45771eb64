package org.mlops4j.cli;

import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.tck.RegistryStoreCompatibilityKit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MLflow-protocol registry store passes the registry-store contract against a real {@code mlops server}
 * process (a fresh one, on a fresh SQLite store, per test), opened the way users open it: from the server's
 * {@code http://} URI with the token in {@code MLFLOW_TRACKING_TOKEN}'s place.
 */
class CliRegistryServerIT extends RegistryStoreCompatibilityKit {
    private static final String TOKEN = "cli-registry-token";
    @TempDir
    Path dir;
    private Process server;

    @Override
    protected RegistryStore openStore() {
        try {
            Path home = Files.createTempDirectory(dir, "server");
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server", "--port", "0",
                    "--store", "sqlite:" + home.resolve("mlruns/mlops.db"), "--token", TOKEN);
            server = new ProcessBuilder(cmd).redirectError(home.resolve("server.err").toFile()).start();
            String line = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).as("server stderr: %s", Files.readString(home.resolve("server.err"))).startsWith("mlops server on http://");
            String uri = line.substring("mlops server on ".length(), line.indexOf(' ', "mlops server on ".length()));
            return bearer(uri);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RegistryStore bearer(String uri) {
        return org.mlops4j.tracking.mlflow.MlflowTrackingStore.builder(java.net.URI.create(uri)).token(TOKEN).openRegistry();
    }

    @Override
    protected void closeStore(RegistryStore s) throws Exception {
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
