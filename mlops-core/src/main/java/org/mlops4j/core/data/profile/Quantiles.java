package org.mlops4j.core.data.profile;

/**
 * Fixed quantiles of a numeric column, computed with linear interpolation between order statistics
 * (NumPy's default method).
 * {@snippet :
 * Quantiles q = ((NumericProfile) dataset.profile().column("RM")).quantiles();
 * double iqr = q.p75() - q.p25();
 * }
 *
 * @param p01 1st percentile
 * @param p05 5th percentile
 * @param p25 first quartile
 * @param p50 median
 * @param p75 third quartile
 * @param p95 95th percentile
 * @param p99 99th percentile
 */
public record Quantiles(double p01, double p05, double p25, double p50, double p75, double p95, double p99) {

    /**
     * @param sorted present values in ascending order
     * @param q      quantile in [0, 1]
     * @return the interpolated quantile, NaN for no values
     */
    public static double of(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    /**
     * @param sorted present values in ascending order
     * @return the quantiles of those values
     */
    public static Quantiles of(double[] sorted) {
        return new Quantiles(of(sorted, 0.01), of(sorted, 0.05), of(sorted, 0.25), of(sorted, 0.5),
                of(sorted, 0.75), of(sorted, 0.95), of(sorted, 0.99));
    }

    /** @return the quantiles rounded to four significant digits */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Quantiles[p01=%.4g, p05=%.4g, p25=%.4g, p50=%.4g, p75=%.4g, p95=%.4g, p99=%.4g]",
                p01, p05, p25, p50, p75, p95, p99);
    }
}
