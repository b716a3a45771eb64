package org.mlops4j.core.model;

import org.mlops4j.core.model.spi.ModelFlavor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds {@link ModelFlavor}s by name on the class path, lazily: the service files are read the first
 * time a flavor is asked for, and a found flavor is kept. Thread-safe.
 * {@snippet :
 * ModelFlavor tribuo = ModelFlavors.find("tribuo");
 * ModelFlavors.find("djl");   // UnsupportedBundleException: ... add org.mlops4j:mlops-djl
 * }
 */
public final class ModelFlavors {
    /** Flavors that mlops4j's own modules provide, and the artifact that brings each. */
    private static final Map<String, String> KNOWN = Map.of(
            "tribuo", "org.mlops4j:mlops-core",
            "compiled", "org.mlops4j:mlops-core",
            "djl", "org.mlops4j:mlops-djl",
            "onnx", "org.mlops4j:mlops-djl",
            "quantized", "org.mlops4j:mlops-quant",
            "quantized-dense", "org.mlops4j:mlops-djl");
    private static final Map<String, ModelFlavor> FOUND = new ConcurrentHashMap<>();

    private ModelFlavors() {
    }

    /**
     * @param name a flavor name
     * @return the flavor
     * @throws UnsupportedBundleException when no module on the class path provides it, naming the artifact to add
     */
    public static ModelFlavor find(String name) {
        ModelFlavor f = FOUND.get(name);
        if (f != null) {
            return f;
        }
        Map<String, ModelFlavor> all = scan();
        f = all.get(name);
        if (f == null) {
            String artifact = KNOWN.get(name);
            throw new UnsupportedBundleException("flavor '" + name + "' is read by no module on the class path (found: "
                    + all.keySet().stream().sorted().toList() + "); " + (artifact != null ? "add " + artifact
                    : "add the artifact that provides it (a ModelFlavor named '" + name + "' in META-INF/services/"
                    + ModelFlavor.class.getName() + ")"));
        }
        FOUND.putIfAbsent(name, f);
        return FOUND.get(name);
    }

    /** @return the names of every flavor on the class path, sorted */
    public static List<String> names() {
        return scan().keySet().stream().sorted().toList();
    }

    private static Map<String, ModelFlavor> scan() {
        Map<String, ModelFlavor> all = new LinkedHashMap<>();
        ClassLoader own = ModelFlavors.class.getClassLoader();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : context == null || context == own ? List.of(own) : List.of(own, context)) {
            for (ModelFlavor f : ServiceLoader.load(ModelFlavor.class, loader)) {
                ModelFlavor before = all.putIfAbsent(f.name(), f);
                if (before != null && before.getClass() != f.getClass()) {
                    throw new IllegalStateException("model flavor '" + f.name() + "' is provided twice on the class path: by "
                            + before.getClass().getName() + " and by " + f.getClass().getName());
                }
            }
        }
        return all;
    }
}
