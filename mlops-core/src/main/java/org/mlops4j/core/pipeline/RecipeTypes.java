package org.mlops4j.core.pipeline;

import org.mlops4j.core.data.DataSource;
import org.mlops4j.core.evaluate.Evaluator;
import org.mlops4j.core.pipeline.spi.RecipeType;
import org.mlops4j.core.pipeline.spi.RecipeTypeProvider;
import org.mlops4j.core.train.Trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The recipe types on the class path, by kind; loaded once, on first use. */
final class RecipeTypes {
    /** The kinds of recipe parts, in the words messages use. */
    enum Kind {
        TRAINER(Trainer.class, "trainer"),
        EVALUATOR(Evaluator.class, "evaluator"),
        STEP(Step.class, "step"),
        SOURCE(DataSource.class, "data source");

        final Class<?> base;
        final String word;

        Kind(Class<?> base, String word) {
            this.base = base;
            this.word = word;
        }
    }

    private static volatile Map<Kind, Map<String, Class<?>>> byKind;

    private RecipeTypes() {
    }

    static Map<String, Class<?>> of(Kind kind) {
        Map<Kind, Map<String, Class<?>>> m = byKind;
        if (m == null) {
            synchronized (RecipeTypes.class) {
                m = byKind;
                if (m == null) {
                    m = load();
                    byKind = m;
                }
            }
        }
        return m.get(kind);
    }

    static Optional<String> nameOf(Kind kind, Object value) {
        for (Map.Entry<String, Class<?>> e : of(kind).entrySet()) {
            if (e.getValue() == value.getClass()) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    private static Map<Kind, Map<String, Class<?>>> load() {
        List<RecipeTypeProvider> providers = new ArrayList<>();
        ClassLoader own = RecipeTypes.class.getClassLoader();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ServiceLoader.load(RecipeTypeProvider.class, own).forEach(providers::add);
        if (context != null && context != own) {
            ServiceLoader.load(RecipeTypeProvider.class, context).forEach(p -> {
                if (providers.stream().noneMatch(q -> q.getClass() == p.getClass())) {
                    providers.add(p);
                }
            });
        }
        Map<Kind, Map<String, Class<?>>> out = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            out.put(k, new LinkedHashMap<>());
        }
        for (RecipeTypeProvider p : providers) {
            for (RecipeType t : p.recipeTypes()) {
                for (Kind k : Kind.values()) {
                    if (k.base.isAssignableFrom(t.type())) {
                        Class<?> before = out.get(k).putIfAbsent(t.name(), t.type());
                        if (before != null && before != t.type()) {
                            throw new IllegalStateException(k.word + " type '" + t.name() + "' is named twice on the class path: by "
                                    + before.getName() + " and by " + t.type().getName() + "; rename one of them");
                        }
                    }
                }
            }
        }
        out.replaceAll((k, v) -> Map.copyOf(v));
        return Map.copyOf(out);
    }
}
