package org.mlops4j.tracking.reliability;

import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.tracking.TrackingStores;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A child JVM for {@link MultiProcessRegistryIT}: opens the registry of a SQLite file, prints READY, waits for
 * GO on stdin, then registers {@code count} versions of one model from {@code threads} threads and prints the
 * numbers it was given, comma-separated.
 */
public final class RegistryChild {
    private RegistryChild() {
    }

    /**
     * @param args database file (or a store URI), process name, threads, count
     */
    public static void main(String[] args) throws Exception {
        Path db = args[0].contains(":") ? null : Path.of(args[0]);
        String me = args[1];
        int threads = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        try (AutoCloseable opened = args[0].contains(":") ? (AutoCloseable) TrackingStores.openRegistry(args[0])
                : SqliteTrackingStore.builder(db).openRegistry()) {
            RegistryStore store = (RegistryStore) opened;
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"GO".equals(in.readLine())) {
                System.exit(3);
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Integer>> got = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                got.add(pool.submit(() -> {
                    byte[] manifest = ("{\"process\":\"" + me + "\",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
                    return store.addVersion(new RegistryStore.NewVersion("raced", Instant.now(), new Lineage(me + "-" + n, null, null, null),
                            Map.of(), Map.of("process", me), List.of(), Map.of("manifest.json", manifest), Sha256.hex(manifest))).version();
                }));
            }
            List<String> numbers = new ArrayList<>();
            for (Future<Integer> f : got) {
                numbers.add(Integer.toString(f.get()));
            }
            pool.shutdown();
            System.out.println(String.join(",", numbers));
        }
    }
}
