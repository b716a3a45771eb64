package org.mlops4j.tracking.mlflow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.mlops4j.tracking.server.MlflowServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A registration through the MLflow-protocol backend is several requests; one that fails part way, against a
 * real {@code mlops server} on loopback, leaves nothing behind: no version (so none without its files), no model
 * it created, every alias where it was. Failures are real answers of the server (an alias it refuses, a tag or
 * file over its limits) and a lost answer (a loopback proxy that cuts the connection after the server created
 * the version and before its answer reaches the client).
 */
class MlflowRegistrationUndoIT {
    private static final String TOKEN = "registration-undo-token";
    @TempDir
    Path dir;
    private Tracker tracker;
    private ModelRegistry serverRegistry;
    private MlflowServer server;
    private RegistryStore store;

    @BeforeEach
    void start() {
        tracker = Tracker.builder().store(SqliteTrackingStore.builder(dir.resolve("server/mlops.db")).open()).build();
        serverRegistry = ModelRegistry.of(SqliteTrackingStore.builder(dir.resolve("server/mlops.db")).openRegistry()).withRuns(tracker);
        server = MlflowServer.builder(tracker).registry(serverRegistry).port(0).token(TOKEN).maxArtifactBytes(4096).start();
        store = MlflowTrackingStore.builder(server.uri()).token(TOKEN).openRegistry();
    }

    @AfterEach
    void stop() {
        server.close();
        serverRegistry.close();
        tracker.close();
    }

    private static RegistryStore.NewVersion version(String name, List<String> aliases, Map<String, String> tags, Map<String, byte[]> extra) {
        byte[] manifest = ("{\"undo\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("manifest.json", manifest);
        files.put("model.bin", new byte[] {0, 1, 2, (byte) 255});
        files.putAll(extra);
        return new RegistryStore.NewVersion(name, Instant.parse("2026-12-02T12:00:00Z"), new Lineage(null, null, null, null),
                Map.of("rmse", 1.5), tags, aliases, files, Sha256.hex(manifest));
    }

    @Test
    void anAliasTheServerRefusesUndoesTheVersionAndMovesTheOtherAliasesBack() {
        assertThat(store.addVersion(version("prices", List.of("champion"), Map.of(), Map.of())).version()).isEqualTo(1);
        // "champion" moves to the new version 2 first; the server then refuses "not an alias!" (400).
        assertThatThrownBy(() -> store.addVersion(version("prices", List.of("champion", "not an alias!"), Map.of(), Map.of())))
                .hasMessageContaining("alias");
        assertThat(store.versions("prices")).extracting(ModelVersion::version).containsExactly(1);
        assertThat(store.alias("prices", "champion")).contains(1);
        assertThat(store.version("prices", 2)).isEmpty();
        // the registry carries on: the next registration works and has its files
        ModelVersion next = store.addVersion(version("prices", List.of("champion"), Map.of(), Map.of()));
        assertThat(store.alias("prices", "champion")).contains(next.version());
        assertThat(store.files("prices", next.version())).containsKeys("manifest.json", "model.bin");
    }

    @Test
    void aVersionTheServerRefusesRemovesTheModelItCreated() {
        assertThatThrownBy(() -> store.addVersion(version("churn", List.of(), Map.of("note", "x".repeat(100_000)), Map.of())))
                .hasMessageContaining("HTTP 4");
        assertThat(store.models()).doesNotContain("churn");
        assertThat(store.model("churn")).isEmpty();
    }

    @Test
    void aFileOverTheUploadLimitLeavesNoVersionAndNoModel() {
        store.createModel("kept", "", Map.of(), Instant.parse("2026-12-01T00:00:00Z"));
        assertThatThrownBy(() -> store.addVersion(version("kept", List.of(), Map.of(), Map.of("z-big.bin", new byte[10_000]))))
                .hasMessageContaining("413");
        assertThat(store.model("kept")).isPresent(); // it existed before: it stays
        assertThat(store.versions("kept")).isEmpty();
        assertThatThrownBy(() -> store.addVersion(version("fresh", List.of(), Map.of(), Map.of("z-big.bin", new byte[10_000]))))
                .hasMessageContaining("413");
        assertThat(store.model("fresh")).isEmpty();
    }

    @Test
    void aVersionCreatedWhoseAnswerIsLostIsFoundAndDeleted() throws Exception {
        store.addVersion(version("lost", List.of(), Map.of(), Map.of()));
        try (CuttingProxy proxy = new CuttingProxy(server.port(), "model-versions/create")) {
            RegistryStore viaProxy = MlflowTrackingStore.builder(URI.create("http://127.0.0.1:" + proxy.port())).token(TOKEN).openRegistry();
            assertThatThrownBy(() -> viaProxy.addVersion(version("lost", List.of(), Map.of(), Map.of())))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(proxy.cut.get()).isTrue();
        }
        // the server did create version 2; the undo found it by its source and deleted it
        assertThat(store.versions("lost")).extracting(ModelVersion::version).containsExactly(1);
    }

    /**
     * A TCP proxy on loopback that forwards everything, except that once a request containing {@code marker} has
     * gone to the server, it swallows the server's answer and closes the client's connection.
     */
    static final class CuttingProxy implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicBoolean cut = new AtomicBoolean();

        CuttingProxy(int target, String marker) throws IOException {
            Thread accept = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                        AtomicBoolean dropAnswer = new AtomicBoolean();
                        pump(client, upstream, chunk -> {
                            if (!cut.get() && chunk.contains(marker)) {
                                dropAnswer.set(true);
                            }
                        }, null);
                        pump(upstream, client, null, () -> {
                            if (dropAnswer.get() && cut.compareAndSet(false, true)) {
                                close(client, upstream);
                                return true;
                            }
                            return false;
                        });
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "cutting-proxy");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void pump(Socket from, Socket to, java.util.function.Consumer<String> seen, java.util.function.BooleanSupplier drop) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (seen != null) {
                            seen.accept(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                        }
                        if (drop != null && drop.getAsBoolean()) {
                            return;
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // either side closed
                } finally {
                    close(from, to);
                }
            }, "cutting-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        private static void close(Socket... sockets) {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
