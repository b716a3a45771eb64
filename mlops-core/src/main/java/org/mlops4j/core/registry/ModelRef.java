package org.mlops4j.core.registry;

import org.mlops4j.core.internal.Names;

import java.util.Objects;

/**
 * A reference to a registered model version: {@code name@alias}, {@code name/3}, or {@code name} (the
 * newest version, also written {@code name@latest} or {@code name/latest}), each also as MLflow's model URI
 * {@code models:/name/3}, {@code models:/name@champion}, {@code models:/name/latest}.
 * {@snippet :
 * ModelRef.parse("house-prices@champion");         // alias
 * ModelRef.parse("models:/house-prices/3");        // version 3
 * ModelRef.parse("models:/house-prices/latest");   // newest
 * }
 *
 * @param name    model name
 * @param version version number, or 0 when given by alias or newest
 * @param alias   alias, or null
 */
public record ModelRef(String name, int version, String alias) {

    /** Validates. */
    public ModelRef {
        Names.model("model name", name);
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 1 but was " + version);
        }
        if (version > 0 && alias != null) {
            throw new IllegalArgumentException("a reference names a version or an alias, not both");
        }
    }

    /**
     * @param uri {@code name}, {@code name@alias}, {@code name@latest}, {@code name/N}, {@code name/latest}, or one of
     *            them after {@code models:/}
     * @return the parsed reference
     * @throws IllegalArgumentException saying the accepted forms when {@code ref} fits none
     */
    public static ModelRef parse(String uri) {
        Objects.requireNonNull(uri, "ref");
        String ref = uri;
        if (ref.startsWith("models:/")) {
            ref = ref.substring("models:/".length());
            if (ref.startsWith("/")) {
                throw new IllegalArgumentException("model URI '" + uri + "' is not of the form models:/name/N, models:/name@alias"
                        + " or models:/name/latest");
            }
        } else if (ref.startsWith("runs:/")) {
            throw new IllegalArgumentException("'" + uri + "' names a run's artifacts, not a registered version;"
                    + " load it with ModelRegistry.load, which reads runs:/ URIs from the tracker it was given");
        }
        if (ref.endsWith("/latest")) {
            return new ModelRef(ref.substring(0, ref.length() - "/latest".length()), 0, null);
        }
        int at = ref.indexOf('@');
        int slash = ref.indexOf('/');
        try {
            if (at >= 0 && slash < 0) {
                String alias = ref.substring(at + 1);
                return alias.equals("latest") ? new ModelRef(ref.substring(0, at), 0, null)
                        : new ModelRef(ref.substring(0, at), 0, Names.alias(alias));
            }
            if (slash >= 0 && at < 0) {
                return new ModelRef(ref.substring(0, slash), Integer.parseInt(ref.substring(slash + 1)), null);
            }
            if (at < 0) {
                return new ModelRef(ref, 0, null);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model reference '" + uri + "' is not of the form name, name@alias, name/N or models:/...: "
                    + e.getMessage(), e);
        }
        throw new IllegalArgumentException("model reference '" + uri + "' is not of the form name, name@alias, name/N or models:/name/N");
    }

    /** @return whether this means the newest version */
    public boolean isLatest() {
        return version == 0 && alias == null;
    }

    /** @return this reference as an MLflow model URI: {@code models:/name/3}, {@code models:/name@alias}, {@code models:/name/latest} */
    public String uri() {
        return "models:/" + (version > 0 ? name + "/" + version : alias != null ? name + "@" + alias : name + "/latest");
    }

    @Override
    public String toString() {
        return version > 0 ? name + "/" + version : alias != null ? name + "@" + alias : name + "@latest";
    }
}
