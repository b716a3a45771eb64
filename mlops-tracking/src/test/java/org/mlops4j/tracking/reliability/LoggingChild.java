package org.mlops4j.tracking.reliability;

import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.nio.file.Path;
import java.util.Random;

/**
 * The process killed by {@link CrashRecoveryIT}: logs metric "seq" = 0, 1, 2, ... at steps 0, 1, 2, ...
 * into a new run, flushing after a random number of points, and prints {@code ACK n} after each completed
 * flush (everything up to n is acknowledged). Runs until killed.
 */
public final class LoggingChild {
    private LoggingChild() {
    }

    public static void main(String[] args) {
        Path db = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(db)).build();
        ActiveRun run = tracker.startRun("crash", "child-" + ProcessHandle.current().pid());
        System.out.println("RUN " + run.id());
        System.out.flush();
        long i = 0;
        while (true) {
            int batch = 1 + random.nextInt(3000);
            for (int k = 0; k < batch; k++, i++) {
                run.logMetric("seq", i, i);
            }
            tracker.flush();
            System.out.println("ACK " + (i - 1));
            System.out.flush();
        }
    }
}
