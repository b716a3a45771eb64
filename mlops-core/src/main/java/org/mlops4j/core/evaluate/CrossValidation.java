package org.mlops4j.core.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of k-fold cross-validation: the metrics of every fold and their mean ± standard deviation.
 * The standard deviation is the population one over folds (NumPy's {@code scores.std()}), the figure
 * usually reported next to a cross-validated mean.
 * {@snippet :
 * CrossValidation cv = result.crossValidation().orElseThrow();
 * cv.mean("rmse"); cv.std("rmse");
 * cv.folds().get(0); // the first fold's RegressionMetrics
 * }
 *
 * @param k       number of folds
 * @param folds   metrics per fold, in fold order
 * @param summary mean and standard deviation per metric
 */
public record CrossValidation(int k, List<Evaluation> folds, Map<String, Summary> summary) {

    /** Copies the collections. */
    public CrossValidation {
        folds = List.copyOf(folds);
        summary = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }

    /**
     * @param folds metrics per fold
     * @return the folds with their summary
     */
    public static CrossValidation of(List<Evaluation> folds) {
        if (folds.isEmpty()) {
            throw new IllegalArgumentException("cross-validation needs at least one fold");
        }
        Map<String, Summary> summary = new LinkedHashMap<>();
        for (String metric : folds.get(0).values().keySet()) {
            double sum = 0;
            for (Evaluation e : folds) {
                sum += e.get(metric);
            }
            double mean = sum / folds.size();
            double sq = 0;
            for (Evaluation e : folds) {
                sq += (e.get(metric) - mean) * (e.get(metric) - mean);
            }
            summary.put(metric, new Summary(mean, Math.sqrt(sq / folds.size())));
        }
        return new CrossValidation(folds.size(), folds, summary);
    }

    /**
     * @param metric metric name
     * @return its mean over folds
     */
    public double mean(String metric) {
        return summaryOf(metric).mean();
    }

    /**
     * @param metric metric name
     * @return its standard deviation over folds
     */
    public double std(String metric) {
        return summaryOf(metric).std();
    }

    private Summary summaryOf(String metric) {
        Summary s = summary.get(metric);
        if (s == null) {
            throw new IllegalArgumentException("no metric '" + metric + "'; metrics are " + summary.keySet());
        }
        return s;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CrossValidation[k=" + k);
        summary.forEach((m, s) -> sb.append(", ").append(m).append('=').append(s));
        return sb.append(']').toString();
    }

    /**
     * Mean ± standard deviation of one metric over folds.
     *
     * @param mean mean over folds
     * @param std  population standard deviation over folds
     */
    public record Summary(double mean, double std) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.4f ± %.4f", mean, std);
        }
    }
}
