package org.mlops4j.tracking.mlflow;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.spi.TrackingStore;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.mlops4j.tracking.server.MlflowServer;
import org.mlops4j.tracking.tck.MlflowProtocolKit;

import java.nio.file.Path;

/**
 * The MLflow REST client store passes the contract kit against an {@link MlflowServer} over real HTTP on
 * loopback, the server writing to a SQLite file.
 */
class MlflowClientStoreCompatibilityIT extends MlflowProtocolKit {
    @TempDir
    static Path dir;
    private static Tracker serverTracker;
    private static MlflowServer server;

    @BeforeAll
    static void startServer() {
        serverTracker = Tracker.builder().store(SqliteTrackingStore.open(dir.resolve("server/mlops.db"))).build();
        server = MlflowServer.builder(serverTracker).port(0).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
        serverTracker.close();
    }

    @Override
    protected TrackingStore createStore() {
        return MlflowTrackingStore.open(server.uri());
    }
}
