package org.mlops4j.quant;

/**
 * How the clipping range of a group of values is chosen before int8 quantisation. Clipping trades a
 * larger error on a few outliers for a finer grid on everything else.
 * {@snippet :
 * Int8Spec.perTensor().withCalibration(Calibration.minMax());          // never clips
 * Int8Spec.perTensor().withCalibration(Calibration.percentile(99.9));  // clips the top 0.1 % of |x|
 * Int8Spec.perTensor().withCalibration(Calibration.mseOptimal());      // minimises the squared error
 * }
 * Immutable values; thread-safe.
 */
public sealed interface Calibration {

    /** @return the full observed range: nothing is clipped */
    static Calibration minMax() {
        return new MinMax();
    }

    /**
     * @param percentile in (50, 100]; symmetric schemes take this percentile of |x|, asymmetric ones the
     *                   range between the (100 − p)th and the pth percentile of x
     * @return percentile clipping
     */
    static Calibration percentile(double percentile) {
        return new Percentile(percentile);
    }

    /** @return the clipping threshold among 100 candidates (1 %…100 % of the range) with the least MSE */
    static Calibration mseOptimal() {
        return new MseOptimal(100);
    }

    /** Clip range = observed minimum and maximum. */
    record MinMax() implements Calibration {
    }

    /**
     * Clip range from percentiles of the calibration values.
     *
     * @param percentile in (50, 100]
     */
    record Percentile(double percentile) implements Calibration {
        /** Validates the percentile. */
        public Percentile {
            if (!(percentile > 50 && percentile <= 100)) {
                throw new IllegalArgumentException("percentile must be in (50, 100] but was " + percentile);
            }
        }
    }

    /**
     * Clip range minimising the mean squared quantisation error over the calibration values (at most
     * 65 536 of them, taken at an even stride), searched over {@code candidates} equally spaced fractions
     * of the full range.
     *
     * @param candidates number of thresholds tried, in [2, 10000]
     */
    record MseOptimal(int candidates) implements Calibration {
        /** Validates the candidate count. */
        public MseOptimal {
            if (candidates < 2 || candidates > 10_000) {
                throw new IllegalArgumentException("candidates must be in [2, 10000] but was " + candidates);
            }
        }
    }
}
