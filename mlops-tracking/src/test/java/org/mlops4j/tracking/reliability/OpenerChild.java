package org.mlops4j.tracking.reliability;

import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.nio.file.Path;

/** Opens a (fresh) SQLite store, logs one run into a shared experiment, prints OK. */
public final class OpenerChild {
    private OpenerChild() {
    }

    public static void main(String[] args) {
        try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(Path.of(args[0]))).build();
             ActiveRun run = tracker.startRun("first-open", args[1])) {
            run.logMetric("ok", 1);
        }
        System.out.println("OK");
    }
}
