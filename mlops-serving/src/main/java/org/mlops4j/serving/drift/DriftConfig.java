package org.mlops4j.serving.drift;

/**
 * Thresholds and window sizes of drift detection. Windows of more than {@code largeWindow} rows are judged by
 * Jensen–Shannon divergence (base 2, in [0, 1]) and, for numeric features, the Wasserstein distance divided by
 * the training standard deviation; smaller windows by a Kolmogorov–Smirnov test (numeric) or a χ² test
 * (categorical) at significance levels divided by the number of features (Bonferroni). The population stability
 * index is reported beside them. A window of fewer than {@code minRows} rows never alarms.
 * {@snippet :
 * DriftConfig c = DriftConfig.defaults().withWindowRows(5_000);
 * }
 *
 * @param windowRows         rows per tumbling window (a full window is judged, its states published, listeners told)
 * @param minRows            fewest rows a judged window needs (else: ok, "too few rows")
 * @param largeWindow        windows above this use divergences; at or below, tests
 * @param jsWarning          Jensen–Shannon divergence for a warning
 * @param jsDrift            Jensen–Shannon divergence for drift
 * @param wassersteinWarning normalised Wasserstein distance for a warning
 * @param wassersteinDrift   normalised Wasserstein distance for drift
 * @param psiWarning         PSI for a warning
 * @param psiDrift           PSI for drift
 * @param alphaWarning       family-wise significance for a warning (divided by the number of features)
 * @param alphaDrift         family-wise significance for drift (divided by the number of features)
 */
public record DriftConfig(int windowRows, int minRows, int largeWindow, double jsWarning, double jsDrift, double wassersteinWarning,
                          double wassersteinDrift, double psiWarning, double psiDrift, double alphaWarning, double alphaDrift) {

    /** Validates. */
    public DriftConfig {
        if (windowRows < 1 || minRows < 1 || largeWindow < 1) {
            throw new IllegalArgumentException("windowRows, minRows and largeWindow must be >= 1 but were " + windowRows + ", " + minRows + ", " + largeWindow);
        }
        if (!(jsWarning <= jsDrift && wassersteinWarning <= wassersteinDrift && psiWarning <= psiDrift && alphaDrift <= alphaWarning)) {
            throw new IllegalArgumentException("each warning threshold must be below its drift threshold (and alphaDrift <= alphaWarning)");
        }
        if (alphaDrift <= 0 || alphaWarning >= 1) {
            throw new IllegalArgumentException("significance levels must lie in (0, 1)");
        }
    }

    /**
     * @return 2,000-row windows, at least 30 rows; Jensen–Shannon divergence 0.02 / 0.04 (a JS distance of about 0.14 / 0.2),
     *         Wasserstein 0.1 / 0.2 training standard deviations, PSI 0.1 / 0.25, α 0.01 / 0.001
     */
    public static DriftConfig defaults() {
        return new DriftConfig(2_000, 30, 1_000, 0.02, 0.04, 0.1, 0.2, 0.1, 0.25, 0.01, 0.001);
    }

    /**

     * @param rows rows per window

     * @return a copy

     */
    public DriftConfig withWindowRows(int rows) {
        return new DriftConfig(rows, minRows, largeWindow, jsWarning, jsDrift, wassersteinWarning, wassersteinDrift, psiWarning, psiDrift,
                alphaWarning, alphaDrift);
    }
}
