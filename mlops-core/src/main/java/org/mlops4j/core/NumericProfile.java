package org.mlops4j.core;

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

    @Override
    public String summary() {
        return String.format(Locale.ROOT, "%s numeric: n=%d missing=%d min=%.4g p50=%.4g max=%.4g mean=%.4g std=%.4g",
                name, count, missing, min, quantiles.p50(), max, mean, std);
    }
}
