package org.mlops4j.serving.routing;

import org.mlops4j.core.MlopsException;
import org.mlops4j.core.registry.ModelRef;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Routes requests by model name to what is deployed, and follows the registry: {@link #refresh()} resolves each
 * served reference; when an alias has moved, the new version is loaded, verified (checksums, a prediction on
 * typical rows) and warmed, then swapped in atomically; a version that fails is refused, logged once, and the
 * old one keeps serving. The {@link AliasFollower} calls {@code refresh()} in the background. Thread-safe.
 * {@snippet :
 * ModelRouter router = new ModelRouter(registry, loader, List.of(ServedModel.of("house-prices@champion")));
 * router.refresh();                                  // loads the champion
 * ServedVersion v = router.route("house-prices").pick();
 * }
 */
public final class ModelRouter {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRouter.class);
    private final ModelRegistry registry;
    private final VersionLoader loader;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final List<Consumer<Swap>> swapListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A change of what a model serves.
     *
     * @param model  model name
     * @param before the deployment before (null at the first load)
     * @param after  the deployment now
     */
    public record Swap(String model, Deployment before, Deployment after) {
    }

    /**
     * @param registry where versions come from
     * @param loader   loads, verifies and warms one version
     * @param models   what to serve (distinct names)
     */
    public ModelRouter(ModelRegistry registry, VersionLoader loader, List<ServedModel> models) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.loader = Objects.requireNonNull(loader, "loader");
        if (models.isEmpty()) {
            throw new IllegalArgumentException("serve at least one model");
        }
        for (ServedModel m : models) {
            if (routes.put(m.name(), new Route(m)) != null) {
                throw new IllegalArgumentException("model '" + m.name() + "' is given twice; give one reference per model name"
                        + " (use a canary or a shadow for a second version)");
            }
        }
    }

    /** @param l told after every swap (on the thread that refreshed) */
    public void onSwap(Consumer<Swap> l) {
        swapListeners.add(Objects.requireNonNull(l, "listener"));
    }

    /** @return the served model names, in the order given */
    public List<String> names() {
        return List.copyOf(routes.keySet());
    }

    /**

     * @param name model name

     * @return its route, if served

     */
    public Optional<Route> find(String name) {
        return Optional.ofNullable(routes.get(name));
    }

    /**

     * @param name model name

     * @return its route @throws IllegalArgumentException when not served

     */
    public Route route(String name) {
        Route r = routes.get(name);
        if (r == null) {
            throw new IllegalArgumentException("model '" + name + "' is not served; served models are " + names());
        }
        return r;
    }

    /** @return whether every model has a deployment */
    public boolean ready() {
        for (Route r : routes.values()) {
            if (r.deployment() == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Resolves every reference and swaps in what has changed.
     *
     * @return the number of deployments changed
     */
    public synchronized int refresh() {
        int changed = 0;
        for (Route r : routes.values()) {
            try {
                changed += r.refresh() ? 1 : 0;
            } catch (MlopsException | IllegalArgumentException e) {
                r.lastError = e.getMessage();
                // The registry cannot say (unknown alias, store down): keep serving what we have.
                String key = r.model.name() + ":" + e.getMessage();
                if (refused.add(key)) {
                    LOG.warn("model '{}': cannot resolve what to serve: {}; {}", r.model.name(), e.getMessage(),
                            r.deployment() == null ? "nothing is served yet" : "version " + r.deployment().primary().version().version() + " keeps serving");
                }
            }
        }
        return changed;
    }

    /** The deployment of one model name and how requests pick a version. */
    public final class Route {
        private final ServedModel model;
        private final AtomicReference<Deployment> deployment = new AtomicReference<>();
        private final AtomicLong requests = new AtomicLong();
        private volatile String lastError;
        /** The last versions loaded, so an alias flapping between two versions swaps without reloading. */
        private final Map<String, ServedVersion> recent = Collections.synchronizedMap(new LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ServedVersion> eldest) {
                return size() > 4;
            }
        });

        Route(ServedModel model) {
            this.model = model;
        }

        /** @return what is served, by reference */
        public ServedModel model() {
            return model;
        }

        /** @return why the last version offered was refused or could not be resolved, or null */
        public String lastError() {
            return lastError;
        }

        /** @return the deployment, or null before the first successful load */
        public Deployment deployment() {
            return deployment.get();
        }

        /** @return the primary version, or null before the first load */
        public ServedVersion primary() {
            Deployment d = deployment.get();
            return d == null ? null : d.primary();
        }

        /** @return the version for the next request: the canary for its share of requests, else the primary; null when not loaded */
        public ServedVersion pick() {
            Deployment d = deployment.get();
            if (d == null) {
                return null;
            }
            if (d.canary() != null && d.canaryPercent() > 0) {
                long n = requests.getAndIncrement();
                // spread: the canary's share of every 100 consecutive requests, evenly
                if ((n * d.canaryPercent()) % 100 < d.canaryPercent()) {
                    return d.canary();
                }
            }
            return d.primary();
        }

        boolean refresh() {
            Deployment before = deployment.get();
            ModelVersion p = registry.version(model.primary());
            ModelVersion c = model.canary() == null ? null : resolveQuietly(model.canary());
            ModelVersion s = model.shadow() == null ? null : resolveQuietly(model.shadow());
            ServedVersion primary = obtain(p, before);
            if (primary == null) {
                return false; // refused; the old deployment (if any) keeps serving
            }
            ServedVersion canary = c == null ? null : obtain(c, before);
            ServedVersion shadow = s == null ? null : obtain(s, before);
            if (before != null && before.primary() == primary && before.canary() == canary && before.shadow() == shadow) {
                return false;
            }
            Deployment after = new Deployment(primary, canary, canary == null ? 0 : model.canaryPercent(), shadow);
            if (!deployment.compareAndSet(before, after)) {
                return false;
            }
            LOG.info("model '{}': serving version {}{}{}{}", model.name(), primary.version().version(),
                    before == null ? "" : " (was " + before.primary().version().version() + ")",
                    canary == null ? "" : ", canary version " + canary.version().version() + " at " + model.canaryPercent() + " %",
                    shadow == null ? "" : ", shadow version " + shadow.version().version());
            for (Consumer<Swap> l : swapListeners) {
                l.accept(new Swap(model.name(), before, after));
            }
            return true;
        }

        private ModelVersion resolveQuietly(ModelRef ref) {
            try {
                return registry.version(ref);
            } catch (MlopsException e) {
                if (refused.add(ref + ":" + e.getMessage())) {
                    LOG.warn("model '{}': {} does not resolve ({}); serving without it", model.name(), ref, e.getMessage());
                }
                return null;
            }
        }

        /** The loaded version for v: reused from the deployment when already served, else loaded; null when refused. */
        private ServedVersion obtain(ModelVersion v, Deployment before) {
            if (before != null) {
                ServedVersion have = before.find(v.version());
                if (have != null && have.version().manifestSha256().equals(v.manifestSha256())) {
                    return have;
                }
            }
            String key = v.name() + "/" + v.version() + "#" + v.manifestSha256();
            if (refused.contains(key)) {
                return null;
            }
            ServedVersion cached = recent.get(key);
            if (cached != null) {
                return cached;
            }
            try {
                ServedVersion loaded = loader.load(v);
                recent.put(key, loaded);
                if (before != null && !before.primary().layout().sameAs(loaded.layout())) {
                    LOG.warn("model '{}': version {} takes the inputs {} but version {} took {}; clients sending the old columns will be refused",
                            v.name(), v.version(), loaded.layout().names(), before.primary().version().version(), before.primary().layout().names());
                }
                return loaded;
            } catch (RuntimeException e) {
                refused.add(key);
                lastError = "version " + v.version() + " refused: " + e.getMessage();
                LOG.warn("model '{}': version {} refused: {}; {}", v.name(), v.version(), e.getMessage(),
                        before == null ? "nothing is served until a loadable version is registered" : "version "
                                + before.primary().version().version() + " keeps serving");
                return null;
            }
        }
    }

    /** @return every version loaded right now, over all models */
    public List<ServedVersion> served() {
        List<ServedVersion> all = new ArrayList<>();
        for (Route r : routes.values()) {
            Deployment d = r.deployment();
            if (d != null) {
                all.addAll(d.all());
            }
        }
        return Collections.unmodifiableList(all);
    }
}
