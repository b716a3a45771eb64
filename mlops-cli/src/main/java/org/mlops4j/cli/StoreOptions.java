package org.mlops4j.cli;

import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.TrackingStores;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The options every command shares: which store, and whether to print JSON. */
final class StoreOptions {
    @Option(names = {"-s", "--store"}, paramLabel = "URI",
            description = "Tracking URI: sqlite:PATH, postgresql://user@host:port/db, http(s)://mlflow-host:5000, memory:."
                    + " Default: $MLOPS_TRACKING_URI, else ${DEFAULT-VALUE}.",
            defaultValue = "${env:MLOPS_TRACKING_URI:-" + TrackingStores.DEFAULT_URI + "}")
    String store;

    @Option(names = "--json", description = "Print JSON for scripts instead of tables.")
    boolean json;

    /** Opens the store for reading: a SQLite file that does not exist is an error, not a new empty store. */
    Tracker open() {
        if (store.startsWith("sqlite:")) {
            String path = store.substring("sqlite:".length()).replaceFirst("\\?.*$", "");
            path = path.startsWith("//") ? path.substring(2) : path;
            if (!Files.exists(Path.of(path))) {
                throw new IllegalArgumentException("no tracking database at " + path + " (run where mlruns/ is, or pass --store URI)");
            }
        }
        return TrackingStores.tracker(store);
    }

    /** Opens the store's model registry for reading: a SQLite file that does not exist is an error. */
    ModelRegistry openRegistry() {
        requireSqliteFile(store);
        return TrackingStores.registry(store);
    }

    /** Refuses a {@code sqlite:} URI whose file does not exist (reading commands must not create an empty store). */
    static void requireSqliteFile(String store) {
        if (store.startsWith("sqlite:")) {
            String path = store.substring("sqlite:".length()).replaceFirst("\\?.*$", "");
            path = path.startsWith("//") ? path.substring(2) : path;
            if (!Files.exists(Path.of(path))) {
                throw new IllegalArgumentException("no tracking database at " + path + " (run where mlruns/ is, or pass --store URI)");
            }
        }
    }

    /** Opens the store, creating a SQLite file when needed (the server). */
    Tracker openOrCreate() {
        return TrackingStores.tracker(store);
    }
}
