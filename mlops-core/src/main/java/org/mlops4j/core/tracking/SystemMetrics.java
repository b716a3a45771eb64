package org.mlops4j.core.tracking;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples this JVM's resource use for {@link ActiveRun#sampleSystemMetrics()}: process CPU, heap, GC time
 * and threads, under MLflow-like {@code system/} keys. Reads JMX beans only (no I/O, no process started).
 */
final class SystemMetrics {
    /** Process CPU use over the last interval, percent of all cores. */
    static final String CPU = "system/process_cpu_percentage";
    /** Heap in use, MiB. */
    static final String HEAP_USED = "system/heap_used_megabytes";
    /** Heap committed, MiB. */
    static final String HEAP_COMMITTED = "system/heap_committed_megabytes";
    /** Cumulative GC time since the JVM started, milliseconds. */
    static final String GC_TIME = "system/gc_time_milliseconds";
    /** Live threads. */
    static final String THREADS = "system/threads";

    private SystemMetrics() {
    }

    static Map<String, Double> sample() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            if (load >= 0) {
                m.put(CPU, load * 100.0);
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        m.put(HEAP_USED, heap.getUsed() / (1024.0 * 1024.0));
        m.put(HEAP_COMMITTED, heap.getCommitted() / (1024.0 * 1024.0));
        long gc = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, b.getCollectionTime());
        }
        m.put(GC_TIME, (double) gc);
        m.put(THREADS, (double) ManagementFactory.getThreadMXBean().getThreadCount());
        return m;
    }
}
