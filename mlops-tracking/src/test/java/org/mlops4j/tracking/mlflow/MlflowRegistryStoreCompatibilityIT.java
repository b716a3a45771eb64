package org.mlops4j.tracking.mlflow;

import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.tck.RegistryStoreCompatibilityKit;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.mlops4j.tracking.server.MlflowServer;

import java.nio.file.Path;

/**
 * The MLflow-protocol registry store passes the registry-store contract against {@code mlops server} over real
 * HTTP (the server's own registry on a SQLite file): every call goes through MLflow's registry routes and the
 * artifact proxy, as against an MLflow server.
 */
class MlflowRegistryStoreCompatibilityIT extends RegistryStoreCompatibilityKit {
    private static final String TOKEN = "registry-kit-token";
    @TempDir
    Path dir;
    private Tracker tracker;
    private ModelRegistry serverRegistry;
    private MlflowServer server;

    @Override
    protected RegistryStore openStore() {
        SqliteTrackingStore.Builder db = SqliteTrackingStore.builder(dir.resolve("server/mlops.db"));
        tracker = Tracker.builder().store(db.open()).build();
        serverRegistry = ModelRegistry.of(SqliteTrackingStore.builder(dir.resolve("server/mlops.db")).openRegistry()).withRuns(tracker);
        server = MlflowServer.builder(tracker).registry(serverRegistry).port(0).token(TOKEN).threads(16).start();
        return MlflowTrackingStore.builder(server.uri()).token(TOKEN).openRegistry();
    }

    @Override
    protected void closeStore(RegistryStore s) {
        server.close();
        serverRegistry.close();
        tracker.close();
    }
}
