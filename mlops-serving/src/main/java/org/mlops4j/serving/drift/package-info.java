/**
 * Drift detection against the training profile stored in a bundle: fixed bins from the profile, live counts per
 * window, Jensen–Shannon and Wasserstein for large windows, Kolmogorov–Smirnov and χ² (Bonferroni) for small ones,
 * PSI beside them; states with listeners; JSON and an HTML page.
 */
package org.mlops4j.serving.drift;
