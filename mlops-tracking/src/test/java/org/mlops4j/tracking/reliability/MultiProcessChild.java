package org.mlops4j.tracking.reliability;

import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One of the processes of {@link MultiProcessSqliteIT}: {@code threads} threads, each logging {@code points}
 * metric points (flushing every 1,000) and a param and a tag into its own run, and every thread also into one
 * run shared by the process. Prints {@code DONE} and exits 0, or prints the failure and exits 1.
 */
public final class MultiProcessChild {
    private MultiProcessChild() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        String name = args[1];
        int threads = Integer.parseInt(args[2]);
        int points = Integer.parseInt(args[3]);
        List<Throwable> failures = new ArrayList<>();
        try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(db)).build()) {
            ActiveRun shared = tracker.startRun("multi-process", name + "-shared");
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                        try (ActiveRun own = tracker.startRun("multi-process", name + "-t" + index)) {
                            own.logParam("thread", Integer.toString(index)).setTag("process", name);
                            for (int i = 0; i < points; i++) {
                                own.logMetric("i", i, i);
                                if (i % 10 == 0) {
                                    shared.logMetric("t" + index, i, i);
                                }
                                if (i % 1000 == 999) {
                                    tracker.flush();
                                }
                            }
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                });
                workers.add(w);
                w.start();
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            shared.finish();
        } catch (Throwable e) {
            failures.add(e);
        }
        if (failures.isEmpty()) {
            System.out.println("DONE");
            System.exit(0);
        }
        failures.forEach(e -> e.printStackTrace(System.out));
        System.exit(1);
    }
}
