package org.mlops4j.core.evaluate;

import org.mlops4j.core.Task;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Regression metrics: root mean squared error, mean absolute error, coefficient of determination and
 * mean absolute percentage error (as a fraction, over rows whose true value is not 0; NaN when there are
 * none).
 * {@snippet :
 * RegressionMetrics m = RegressionMetrics.of(new double[] {3, 5}, new double[] {2.5, 5.5});
 * m.rmse(); // 0.5
 * }
 *
 * @param n    rows evaluated
 * @param rmse root mean squared error
 * @param mae  mean absolute error
 * @param r2   1 - SS_res / SS_tot (NaN when the truth is constant)
 * @param mape mean of |y - ŷ| / |y| over y ≠ 0
 */
public record RegressionMetrics(long n, double rmse, double mae, double r2, double mape) implements Evaluation {

    /**
     * @param truth     true values
     * @param predicted predicted values, same length
     * @return the metrics
     */
    public static RegressionMetrics of(double[] truth, double[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " values but predictions have " + predicted.length);
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("cannot evaluate on 0 rows");
        }
        int n = truth.length;
        double mean = 0;
        for (double y : truth) {
            mean += y;
        }
        mean /= n;
        double sse = 0;
        double sae = 0;
        double sst = 0;
        double ape = 0;
        int nonZero = 0;
        for (int i = 0; i < n; i++) {
            double e = truth[i] - predicted[i];
            sse += e * e;
            sae += Math.abs(e);
            sst += (truth[i] - mean) * (truth[i] - mean);
            if (truth[i] != 0) {
                ape += Math.abs(e) / Math.abs(truth[i]);
                nonZero++;
            }
        }
        return new RegressionMetrics(n, Math.sqrt(sse / n), sae / n, sst == 0 ? Double.NaN : 1 - sse / sst,
                nonZero == 0 ? Double.NaN : ape / nonZero);
    }

    @Override
    public Task task() {
        return Task.REGRESSION;
    }

    @Override
    public Map<String, Double> values() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rmse", rmse);
        m.put("mae", mae);
        m.put("r2", r2);
        m.put("mape", mape);
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RegressionMetrics[n=%d, rmse=%.4f, mae=%.4f, r2=%.4f, mape=%.4f]", n, rmse, mae, r2, mape);
    }
}
