package org.mlops4j.core.pipeline;

import org.mlops4j.core.internal.Names;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.Promotion;
import org.mlops4j.core.tracking.Tracker;

import java.util.List;
import java.util.Objects;

/**
 * Where a pipeline's results go: a tracker and experiment for the run, a registry and model name (with
 * aliases to point at the new version) for the model. Not part of the recipe: the same
 * {@link PipelineSpec} can run with other outputs.
 * {@snippet :
 * Outputs out = Outputs.none().track(tracker, "house-prices", null).register(registry, "house-prices", List.of("champion"));
 * }
 *
 * @param tracker    the tracker, or null for an untracked run
 * @param experiment the experiment (with a tracker)
 * @param runName    the run name, or null for the trainer's name
 * @param registry   the registry, or null to register nothing
 * @param modelName  the model name (with a registry)
 * @param aliases    aliases to point at the new version
 * @param snapshot   whether the run keeps an exact copy of its data set in the tracking store
 *                   ({@link #snapshotData()})
 * @param promotion  the rule under which the new version may take an alias (decided on the run's holdout rows), or null
 */
public record Outputs(Tracker tracker, String experiment, String runName, ModelRegistry registry, String modelName,
                      List<String> aliases, boolean snapshot, Promotion promotion) {

    /** Validates names. */
    public Outputs {
        aliases = List.copyOf(aliases);
        if (tracker != null) {
            Names.experiment(experiment);
        }
        if (registry != null) {
            Names.model("model name", modelName);
            aliases.forEach(Names::alias);
        }
        if (promotion != null && registry == null) {
            throw new IllegalArgumentException("a promotion rule needs a registry to register in");
        }
        if (snapshot && tracker == null) {
            throw new IllegalArgumentException("snapshotData() keeps the data set in the tracking store: track(tracker, experiment)"
                    + " before asking for a snapshot");
        }
    }

    /**
     * @param tracker    the tracker, or null
     * @param experiment the experiment
     * @param runName    the run name, or null
     * @param registry   the registry, or null
     * @param modelName  the model name
     * @param aliases    aliases to point at the new version
     */
    public Outputs(Tracker tracker, String experiment, String runName, ModelRegistry registry, String modelName, List<String> aliases) {
        this(tracker, experiment, runName, registry, modelName, aliases, false, null);
    }

    /**
     * Keeps an exact copy of the run's data set ({@link org.mlops4j.core.data.DataSnapshot}) in the tracking store's
     * content-addressed artifacts, once per data version (experiment {@code snapshots:data}), so
     * {@code Pipeline.reproduce} can rebuild the run after the source changed.
     *
     * @return these outputs, keeping a snapshot
     * @throws IllegalArgumentException when nothing is tracked
     */
    public Outputs snapshotData() {
        return new Outputs(tracker, experiment, runName, registry, modelName, aliases, true, promotion);
    }

    /** @return no tracking, no registration */
    public static Outputs none() {
        return new Outputs(null, null, null, null, null, List.of());
    }

    /**
     * @param t          the tracker
     * @param experiment the experiment (created when needed)
     * @param name       the run name, or null for the trainer's name
     * @return these outputs, tracking there
     */
    public Outputs track(Tracker t, String experiment, String name) {
        return new Outputs(Objects.requireNonNull(t, "tracker"), experiment, name, registry, modelName, aliases, snapshot, promotion);
    }

    /**
     * @param r          the registry
     * @param name       the model name
     * @param newAliases aliases to point at the new version
     * @return these outputs, registering there
     */
    public Outputs register(ModelRegistry r, String name, List<String> newAliases) {
        return new Outputs(tracker, experiment, runName, Objects.requireNonNull(r, "registry"), name, newAliases, snapshot, null);
    }

    /**
     * @param r    the registry
     * @param name the model name
     * @param rule the rule under which the new version may take its alias
     * @return these outputs, registering there and deciding the promotion on the run's holdout rows
     */
    public Outputs register(ModelRegistry r, String name, Promotion rule) {
        return new Outputs(tracker, experiment, runName, Objects.requireNonNull(r, "registry"), name, List.of(), snapshot,
                Objects.requireNonNull(rule, "rule"));
    }
}
