package org.mlops4j.serving.routing;

import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.serving.drift.DriftMonitor;
import org.mlops4j.serving.drift.DriftConfig;
import org.mlops4j.serving.protocol.Batch;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * Loads one registered version for serving: reads and verifies the bundle (the registry checks every checksum),
 * builds its predictor and scorer, predicts typical rows to verify the output is finite and to warm the code
 * paths, and attaches a drift monitor over the bundle's training profile. Throws when anything fails: the
 * router then refuses the version.
 * {@snippet :
 * VersionLoader loader = VersionLoader.fromRegistry(registry, DriftConfig.defaults(), Clock.systemUTC(), 2_000, v -> { });
 * ServedVersion v = loader.load(registry.version("house-prices@champion"));
 * }
 */
@FunctionalInterface
public interface VersionLoader {

    /**
     * @param version the registered version
     * @return it, ready to serve
     * @throws RuntimeException when it cannot be loaded or verified
     */
    ServedVersion load(ModelVersion version);

    /**
     * @param registry   where bundles come from
     * @param drift      drift settings, or null for no drift monitoring
     * @param clock      drift windows' times
     * @param warmRows   rows predicted while warming (at least one batch of typical rows)
     * @param onLoaded   called with each version loaded (metrics registration), before it serves
     * @return the loader
     */
    static VersionLoader fromRegistry(ModelRegistry registry, DriftConfig drift, Clock clock, int warmRows, Consumer<ServedVersion> onLoaded) {
        return v -> {
            ModelBundle bundle = registry.load(v.ref());
            var predictor = bundle.predictor();
            Scorer scorer = Scorer.of(predictor);
            ServedVersion probe = new ServedVersion(v, bundle, predictor, scorer, null);
            if (probe.layout().size() == 0) {
                throw new IllegalStateException("version " + v.version() + " has no input columns");
            }
            // Verify: typical rows predict to finite numbers.
            Batch typical = probe.typicalRows(8);
            Scorer.Scores s = scorer.score(typical);
            for (double x : s.values()) {
                if (!Double.isFinite(x)) {
                    throw new IllegalStateException("version " + v.version() + " predicts " + x + " for a typical row; refusing it");
                }
            }
            // Warm: single rows and a batch, so the first requests do not pay for class loading and JIT.
            Batch one = probe.typicalRows(1);
            for (int i = 0; i < warmRows; i++) {
                scorer.score(one);
            }
            scorer.score(probe.typicalRows(64));
            DriftMonitor monitor = drift == null ? null
                    : DriftMonitor.of(v.name(), v.version(), bundle.trainingProfile(), probe.layout(), drift, clock);
            ServedVersion ready = new ServedVersion(v, bundle, predictor, scorer, monitor);
            onLoaded.accept(ready);
            return ready;
        };
    }
}
