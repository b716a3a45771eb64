package org.mlops4j.serving.routing;

import org.mlops4j.core.registry.ModelRef;

import java.util.Objects;

/**
 * Which versions of a model to serve, by registry reference: the primary (usually an alias, followed as it
 * moves), optionally a canary taking a share of the traffic and a shadow predicting on copies.
 * {@snippet :
 * ServedModel m = ServedModel.of("house-prices@champion").withCanary("house-prices@challenger", 10);
 * ServedModel s = ServedModel.of("house-prices@champion").withShadow("house-prices@challenger");
 * }
 *
 * @param primary       the reference answering requests
 * @param canary        a reference taking {@code canaryPercent} % of requests, or null
 * @param canaryPercent 0–100
 * @param shadow        a reference predicting on copies, or null
 */
public record ServedModel(ModelRef primary, ModelRef canary, int canaryPercent, ModelRef shadow) {

    /** Validates. */
    public ServedModel {
        Objects.requireNonNull(primary, "primary");
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary percent must be in [0, 100] but was " + canaryPercent);
        }
        if (canary != null && !canary.name().equals(primary.name()) || shadow != null && !shadow.name().equals(primary.name())) {
            throw new IllegalArgumentException("canary and shadow must be versions of " + primary.name());
        }
    }

    /**
     * @param ref {@code name@alias}, {@code name/N}, {@code name}, optionally prefixed {@code models:/}
     * @return the model served by that reference
     */
    public static ServedModel of(String ref) {
        return new ServedModel(parse(ref), null, 0, null);
    }

    /**
     * @param ref a reference (MLflow's {@code models:/name@alias} is accepted too)
     * @return it parsed
     */
    public static ModelRef parse(String ref) {
        Objects.requireNonNull(ref, "ref");
        String r = ref.startsWith("models:/") ? ref.substring("models:/".length()) : ref;
        return ModelRef.parse(r);
    }

    /**

     * @param ref the canary

     * @param percent its share of requests

     * @return a copy

     */
    public ServedModel withCanary(String ref, int percent) {
        return new ServedModel(primary, parse(ref), percent, shadow);
    }

    /**

     * @param ref the shadow

     * @return a copy

     */
    public ServedModel withShadow(String ref) {
        return new ServedModel(primary, canary, canaryPercent, parse(ref));
    }

    /** @return the model's name */
    public String name() {
        return primary.name();
    }
}
