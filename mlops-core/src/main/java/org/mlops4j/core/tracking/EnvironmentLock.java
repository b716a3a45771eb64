package org.mlops4j.core.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.internal.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything about a JVM that can change a model's numbers: the JVM's answer to {@code pip freeze} or a conda
 * export. Entries are {@code jdk.vendor}, {@code jdk.version}, {@code jdk.vm}, {@code os.name},
 * {@code os.version}, {@code os.arch}, {@code cpu.model}, {@code cpu.flags} (the vector flags of
 * {@code /proc/cpuinfo}: fp32 sums in 256- and 512-bit lanes round differently), {@code quant.kernels} (the
 * kernels mlops-quant chose, when it is on the class path) and one {@code classpath.<file>} per jar on the class
 * path with its SHA-256. Every tracked pipeline run logs it as {@code environment/lock.json} and its
 * {@link #sha256()} as the tag {@code mlops.environment.lock}; a reproduction names each entry that
 * {@linkplain #differences differs}.
 *
 * <p>Captured once per JVM ({@link #current()}); a jar's hash is cached by path, size and modification time.
 * Immutable and thread-safe.
 * {@snippet :
 * EnvironmentLock now = EnvironmentLock.current();
 * EnvironmentLock then = EnvironmentLock.fromJson(bytes);
 * for (EnvironmentLock.Difference d : then.differences(now)) {
 *     System.out.println(d);   // classpath.tribuo-core-4.3.2.jar: sha256:1a2b… then, sha256:3c4d… now
 * }
 * }
 *
 * @param entries name to value, sorted by name
 */
public record EnvironmentLock(Map<String, String> entries) {
    /** The format name in {@code lock.json}. */
    public static final String FORMAT = "mlops4j-environment-lock";
    /** The format version written. */
    public static final int FORMAT_VERSION = 1;
    /** Where a run keeps its lock. */
    public static final String ARTIFACT = "environment/lock.json";
    /** The run tag holding {@link #sha256()}. */
    public static final String TAG = "mlops.environment.lock";

    private static final Set<String> VECTOR_FLAG_PREFIXES = Set.of("sse", "ssse", "avx", "fma", "f16c", "amx", "vnni",
            "neon", "asimd", "sve", "bmi", "popcnt");
    private static final Map<String, String> JAR_HASHES = new ConcurrentHashMap<>();
    private static volatile EnvironmentLock current;

    /** Copies and sorts. */
    public EnvironmentLock {
        Objects.requireNonNull(entries, "entries");
        entries.forEach((k, v) -> {
            Objects.requireNonNull(k, "entry name");
            Objects.requireNonNull(v, "value of " + k);
        });
        entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** @return the lock of this JVM, captured on the first call */
    public static EnvironmentLock current() {
        EnvironmentLock l = current;
        if (l == null) {
            synchronized (EnvironmentLock.class) {
                l = current;
                if (l == null) {
                    l = capture();
                    current = l;
                }
            }
        }
        return l;
    }

    private static EnvironmentLock capture() {
        Map<String, String> e = new TreeMap<>();
        e.put("jdk.vendor", prop("java.vendor"));
        e.put("jdk.version", prop("java.runtime.version"));
        e.put("jdk.vm", prop("java.vm.name") + " " + prop("java.vm.version"));
        e.put("os.name", prop("os.name"));
        e.put("os.version", prop("os.version"));
        e.put("os.arch", prop("os.arch"));
        String[] cpu = cpu();
        e.put("cpu.model", cpu[0]);
        e.put("cpu.flags", cpu[1]);
        String kernels = quantKernels();
        if (kernels != null) {
            e.put("quant.kernels", kernels);
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String entry : prop("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            if (!Files.isRegularFile(p)) {
                continue; // class directories change with every build; a jar is what a deployment runs
            }
            String name = p.getFileName().toString();
            String key = "classpath." + name;
            for (int i = 2; !seen.add(key); i++) {
                key = "classpath." + name + "#" + i;
            }
            e.put(key, "sha256:" + jarHash(p));
        }
        return new EnvironmentLock(e);
    }

    private static String prop(String name) {
        String v = System.getProperty(name);
        return v == null ? "unknown" : v;
    }

    /** @return {model name, vector flags}, or "unknown" where {@code /proc/cpuinfo} does not tell */
    private static String[] cpu() {
        String model = "unknown";
        Set<String> flags = new TreeSet<>();
        Path info = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(info)) {
                for (String line : Files.readAllLines(info, StandardCharsets.UTF_8)) {
                    int colon = line.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).strip();
                    if (model.equals("unknown") && (key.equals("model name") || key.equals("cpu model"))) {
                        model = value;
                    } else if (flags.isEmpty() && (key.equals("flags") || key.equals("features"))) {
                        for (String f : value.split("\\s+")) {
                            if (VECTOR_FLAG_PREFIXES.stream().anyMatch(f::startsWith)) {
                                flags.add(f);
                            }
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // informative only: an unreadable cpuinfo leaves "unknown"
        }
        return new String[] {model, flags.isEmpty() ? "unknown" : String.join(" ", flags)};
    }

    /** The kernels of mlops-quant when it is on the class path (by reflection: core does not depend on it). */
    private static String quantKernels() {
        try {
            Class<?> k = Class.forName("org.mlops4j.quant.Kernels", false, EnvironmentLock.class.getClassLoader());
            Object best = k.getMethod("best").invoke(null);
            return String.valueOf(k.getMethod("name").invoke(best));
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "unavailable (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static String jarHash(Path p) {
        String key;
        try {
            key = p.toAbsolutePath().normalize() + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return "unreadable";
        }
        return JAR_HASHES.computeIfAbsent(key, k -> {
            MessageDigest d = Sha256.digest();
            byte[] buf = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(p)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
            } catch (IOException e) {
                return "unreadable";
            }
            return Sha256.hex(d);
        });
    }

    /** @return SHA-256 of {@link #toJson()}: equal locks have equal hashes */
    public String sha256() {
        return Sha256.hex(toJson());
    }

    /** @return {@code {"format": "mlops4j-environment-lock", "formatVersion": 1, "entries": {...}}} */
    public byte[] toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        ObjectNode e = root.putObject("entries");
        entries.forEach(e::put);
        return Json.write(root);
    }

    /**
     * @param json what {@link #toJson()} wrote
     * @return the lock
     * @throws IllegalArgumentException when it is not a lock this release reads
     */
    public static EnvironmentLock fromJson(byte[] json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("environment lock is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
            throw new IllegalArgumentException("environment lock: format must be '" + FORMAT + "'");
        }
        int v = root.path("formatVersion").asInt(-1);
        if (v < 1 || v > FORMAT_VERSION) {
            throw new IllegalArgumentException("environment lock has format version " + v + "; this mlops4j reads 1 to " + FORMAT_VERSION);
        }
        JsonNode e = root.path("entries");
        if (!e.isObject()) {
            throw new IllegalArgumentException("environment lock: \"entries\" must be an object of name to text");
        }
        Map<String, String> entries = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw new IllegalArgumentException("environment lock: entry '" + f.getKey() + "' must be text but is " + f.getValue());
            }
            entries.put(f.getKey(), f.getValue().asText());
        }
        return new EnvironmentLock(entries);
    }

    /**
     * @param now the lock to compare with (usually {@link #current()})
     * @return each entry whose value differs, or that only one of the two has, sorted by name; empty when equal
     */
    public List<Difference> differences(EnvironmentLock now) {
        Set<String> names = new TreeSet<>(entries.keySet());
        names.addAll(now.entries.keySet());
        List<Difference> out = new ArrayList<>();
        for (String n : names) {
            String a = entries.get(n);
            String b = now.entries.get(n);
            if (!Objects.equals(a, b)) {
                out.add(new Difference(n, a, b));
            }
        }
        return out;
    }

    /**
     * One entry that differs.
     *
     * @param entry    its name ({@code jdk.version}, {@code classpath.tribuo-core-4.3.2.jar}…)
     * @param recorded its value in the recorded lock, or null when it had none
     * @param now      its value now, or null when it has none now
     */
    public record Difference(String entry, String recorded, String now) {
        @Override
        public String toString() {
            return entry + ": " + (recorded == null ? "(absent)" : recorded) + " then, " + (now == null ? "(absent)" : now) + " now";
        }
    }

    @Override
    public String toString() {
        return "EnvironmentLock[" + entries.get("jdk.vendor") + " " + entries.get("jdk.version") + ", " + entries.get("os.name")
                + " " + entries.get("os.arch") + ", " + entries.get("cpu.model") + ", "
                + entries.keySet().stream().filter(k -> k.startsWith("classpath.")).count() + " jars, sha256:"
                + sha256().substring(0, 12) + "]";
    }
}
