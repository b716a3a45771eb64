package org.mlops4j.core.registry;

import org.mlops4j.core.internal.Names;

import java.util.Objects;

/**
 * A reference to a registered model version: {@code name@alias}, {@code name/3}, or {@code name} (the
 * newest version, also written {@code name@latest}).
 * {@snippet :
 * ModelRef.parse("house-prices@champion");  // alias
 * ModelRef.parse("house-prices/3");         // version 3
 * ModelRef.parse("house-prices");           // newest
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
     * @param ref {@code name}, {@code name@alias}, {@code name@latest} or {@code name/N}
     * @return the parsed reference
     * @throws IllegalArgumentException saying the accepted forms when {@code ref} fits none
     */
    public static ModelRef parse(String ref) {
        Objects.requireNonNull(ref, "ref");
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
            throw new IllegalArgumentException("model reference '" + ref + "' is not of the form name, name@alias or name/N: "
                    + e.getMessage(), e);
        }
        throw new IllegalArgumentException("model reference '" + ref + "' is not of the form name, name@alias or name/N");
    }

    /** @return whether this means the newest version */
    public boolean isLatest() {
        return version == 0 && alias == null;
    }

    @Override
    public String toString() {
        return version > 0 ? name + "/" + version : alias != null ? name + "@" + alias : name + "@latest";
    }
}
