package org.mlops4j.serving.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one model name serves right now: the primary version, optionally a canary taking a share of requests
 * and a shadow predicting on copies. Immutable: the router swaps a whole deployment atomically.
 * {@snippet :
 * Deployment d = router.route("house-prices").deployment();
 * d.primary().version().version();  // 3
 * d.canaryPercent();                // 10
 * }
 *
 * @param primary       the version answering requests
 * @param canary        a version answering {@code canaryPercent} % of requests, or null
 * @param canaryPercent 0–100
 * @param shadow        a version predicting on copies of requests (results logged and compared), or null
 */
public record Deployment(ServedVersion primary, ServedVersion canary, int canaryPercent, ServedVersion shadow) {

    /** Validates. */
    public Deployment {
        Objects.requireNonNull(primary, "primary");
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canaryPercent must be in [0, 100] but was " + canaryPercent);
        }
    }

    /** @return every distinct version served (primary, canary, shadow) */
    public List<ServedVersion> all() {
        List<ServedVersion> all = new ArrayList<>();
        all.add(primary);
        if (canary != null && !all.contains(canary)) {
            all.add(canary);
        }
        if (shadow != null && !all.contains(shadow)) {
            all.add(shadow);
        }
        return all;
    }

    /**

     * @param version a version number

     * @return the served version with that number, or null

     */
    public ServedVersion find(int version) {
        for (ServedVersion v : all()) {
            if (v.version().version() == version) {
                return v;
            }
        }
        return null;
    }
}
