package org.mlops4j.core.data.profile;

import org.mlops4j.core.data.NumericColumn;

import java.util.Arrays;
import java.util.Locale;

/**
 * Profile of a numeric column. Statistics are over present values; when every value is missing they
 * are NaN.
 * {@snippet :
 * NumericProfile p = (NumericProfile) dataset.profile().column("MEDV");
 * p.min(); p.max(); p.mean(); p.std();
 * p.quantiles().p95();
 * p.histogram().edges(); // 11 edges of 10 equal-width bins
 * }
 *
 * @param name      column name
 * @param count     present values
 * @param missing   missing values
 * @param min       smallest value
 * @param max       largest value
 * @param mean      arithmetic mean
 * @param std       sample standard deviation (n - 1); 0 for a single value
 * @param quantiles quantiles with linear interpolation
 * @param histogram equal-width histogram between min and max
 */
public record NumericProfile(String name, long count, long missing, double min, double max, double mean, double std,
                             Quantiles quantiles, Histogram histogram) implements ColumnProfile {

    /**
     * @param c a numeric column
     * @return its profile: one pass, plus a sort for the quantiles
     */
    public static NumericProfile of(NumericColumn c) {
        double[] v = c.toArray();
        double[] present = new double[v.length - c.missingCount()];
        int k = 0;
        double mean = 0;
        double m2 = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                present[k++] = x;
                // Welford: numerically stable single pass.
                double delta = x - mean;
                mean += delta / k;
                m2 += delta * (x - mean);
            }
        }
        Arrays.sort(present);
        double min = k == 0 ? Double.NaN : present[0];
        double max = k == 0 ? Double.NaN : present[k - 1];
        double std = k == 0 ? Double.NaN : k == 1 ? 0.0 : Math.sqrt(m2 / (k - 1));
        return new NumericProfile(c.name(), k, c.missingCount(), min, max, k == 0 ? Double.NaN : mean, std,
                Quantiles.of(present), Histogram.of(present, min, max));
    }

    @Override
    public String summary() {
        return String.format(Locale.ROOT, "%s numeric: n=%d missing=%d min=%.4g p50=%.4g max=%.4g mean=%.4g std=%.4g",
                name, count, missing, min, quantiles.p50(), max, mean, std);
    }

    /** @return the summary: rounded to four significant digits, for a terminal or JShell */
    @Override
    public String toString() {
        return "NumericProfile[" + summary() + "]";
    }
}
