package org.mlops4j.core.transform;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.transform.spi.TransformType;
import org.mlops4j.core.transform.spi.TransformTypeProvider;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The transform types known on the class path (every {@link TransformTypeProvider} found by
 * {@link ServiceLoader}, looked up once on first use) and the {@code transforms.json} codec built on
 * them. Thread-safe.
 * {@snippet :
 * TransformTypes.names();                                  // [drop, impute, log1p, min_max, one_hot, select, standardize, ...]
 * byte[] json = TransformTypes.writeChain(result.transforms());
 * List<FittedTransform> again = TransformTypes.readChain(json, "transforms.json");
 * }
 */
public final class TransformTypes {
    private static volatile Registry registry;

    private TransformTypes() {
    }

    private record Registry(Map<String, TransformType> byName, ObjectMapper mapper, JavaType chainType) {
    }

    private static Registry registry() {
        Registry r = registry;
        if (r == null) {
            synchronized (TransformTypes.class) {
                r = registry;
                if (r == null) {
                    r = load();
                    registry = r;
                }
            }
        }
        return r;
    }

    private static Registry load() {
        Map<String, TransformType> byName = new LinkedHashMap<>();
        ClassLoader loader = TransformTypes.class.getClassLoader();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        List<TransformTypeProvider> providers = new ArrayList<>();
        ServiceLoader.load(TransformTypeProvider.class, loader).forEach(providers::add);
        if (context != null && context != loader) {
            ServiceLoader.load(TransformTypeProvider.class, context).forEach(p -> {
                if (providers.stream().noneMatch(q -> q.getClass() == p.getClass())) {
                    providers.add(p);
                }
            });
        }
        for (TransformTypeProvider p : providers) {
            for (TransformType t : p.transformTypes()) {
                TransformType before = byName.putIfAbsent(t.name(), t);
                if (before != null && !before.equals(t)) {
                    throw new IllegalStateException("transform type '" + t.name() + "' is named twice on the class path: by "
                            + before.fitted().getName() + " and by " + t.fitted().getName() + "; rename one of them");
                }
            }
        }
        ObjectMapper mapper = Json.withTypeNames(families(byName));
        return new Registry(Map.copyOf(byName), mapper,
                mapper.getTypeFactory().constructCollectionType(List.class, FittedTransform.class));
    }

    /** @return every known type name, sorted */
    public static List<String> names() {
        return registry().byName().keySet().stream().sorted().toList();
    }

    /**
     * @param name a type name
     * @return the type of that name, when a provider on the class path names it
     */
    public static Optional<TransformType> byName(String name) {
        return Optional.ofNullable(registry().byName().get(name));
    }

    /**
     * @param transform an unfitted transform
     * @return its type, when one names its class
     */
    public static Optional<TransformType> of(Transform transform) {
        return registry().byName().values().stream().filter(t -> t.spec() == transform.getClass()).findFirst();
    }

    /**
     * @param fitted a fitted step
     * @return its type, when one names its class
     */
    public static Optional<TransformType> of(FittedTransform fitted) {
        return registry().byName().values().stream().filter(t -> t.fitted() == fitted.getClass()).findFirst();
    }

    /**
     * @param chain fitted steps, each of a named type
     * @return the chain as {@code transforms.json}
     * @throws IllegalArgumentException naming the step whose class no {@link TransformType} names
     */
    public static byte[] writeChain(List<? extends FittedTransform> chain) {
        for (int i = 0; i < chain.size(); i++) {
            FittedTransform f = chain.get(i);
            if (of(f).isEmpty()) {
                throw new IllegalArgumentException("fitted transform " + (i + 1) + " of the chain (" + f.getClass().getName()
                        + ") has no transform type, so a bundle cannot store it; name it with a TransformTypeProvider"
                        + " (META-INF/services/" + TransformTypeProvider.class.getName() + ")");
            }
        }
        try {
            return registry().mapper().writerFor(registry().chainType()).writeValueAsBytes(chain);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the transform chain as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * @param json  a {@code transforms.json}
     * @param where where it comes from, for messages
     * @return the fitted chain
     * @throws IllegalArgumentException for an unknown type name (listing the known ones) or malformed JSON
     */
    public static List<FittedTransform> readChain(byte[] json, String where) {
        try {
            return registry().mapper().readValue(json, registry().chainType());
        } catch (InvalidTypeIdException e) {
            throw new IllegalArgumentException(where + " names transform type '" + e.getTypeId() + "', which no module on the"
                    + " class path defines; known types are " + names() + ". Add the artifact that provides it", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " is not a transform chain: " + e.getMessage(), e);
        }
    }

    /**
     * For codecs that embed transforms in a larger document ({@code pipeline.json}): the type families
     * to register, base class to (name to class).
     *
     * @return {@link Transform} and {@link FittedTransform} with their named classes
     */
    public static Map<Class<?>, Map<String, Class<?>>> families() {
        return families(registry().byName());
    }

    private static Map<Class<?>, Map<String, Class<?>>> families(Map<String, TransformType> byName) {
        Map<String, Class<?>> specs = new LinkedHashMap<>();
        Map<String, Class<?>> fitted = new LinkedHashMap<>();
        byName.forEach((name, t) -> {
            specs.put(name, t.spec());
            fitted.put(name, t.fitted());
        });
        return Map.of(Transform.class, specs, FittedTransform.class, fitted);
    }
}
