package org.mlops4j.serving.drift;

/**
 * One statistic of a drift check, with its thresholds and what it says.
 * {@snippet :
 * DriftStatistic s = drift.features().get(0).statistics().get(0);
 * s.name();   // "jensen_shannon"
 * s.value();  // 0.012
 * }
 *
 * @param name     {@code jensen_shannon}, {@code wasserstein}, {@code psi}, {@code ks_p_value}, {@code chi2_p_value}
 * @param value    the statistic (for tests: the p-value)
 * @param warning  the warning threshold (for tests: the corrected significance level)
 * @param drift    the drift threshold
 * @param deciding whether it sets the state (PSI is reported beside the deciding statistics)
 * @param state    what it says on its own
 */
public record DriftStatistic(String name, double value, double warning, double drift, boolean deciding, DriftState state) {

    static DriftStatistic above(String name, double value, double warning, double drift, boolean deciding) {
        DriftState s = !(value >= warning) ? DriftState.OK : value >= drift ? DriftState.DRIFT : DriftState.WARNING;
        return new DriftStatistic(name, value, warning, drift, deciding, s);
    }

    static DriftStatistic pValue(String name, double p, double warning, double drift) {
        DriftState s = p < drift ? DriftState.DRIFT : p < warning ? DriftState.WARNING : DriftState.OK;
        return new DriftStatistic(name, p, warning, drift, true, s);
    }
}
