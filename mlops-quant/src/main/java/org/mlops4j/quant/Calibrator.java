package org.mlops4j.quant;

import java.util.Arrays;

/** Chooses clipping ranges for {@link Calibration}s. Package-private: reached through {@link Int8Spec}. */
final class Calibrator {

    /** MSE search and percentiles look at most at this many values, taken at an even stride. */
    static final int SAMPLE_LIMIT = 1 << 16;

    private Calibrator() {
    }

    /** Writes the clip range of values[from, to) into range[0..1]. */
    static void clipRange(Int8Spec spec, float[] values, int from, int to, float[] range) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        switch (spec.calibration()) {
            case Calibration.MinMax m -> {
                range[0] = min;
                range[1] = max;
            }
            case Calibration.Percentile p -> percentile(spec.symmetric(), sample(values, from, to), p.percentile(), range);
            case Calibration.MseOptimal m -> mseOptimal(spec, sample(values, from, to), min, max, m.candidates(), range);
        }
    }

    private static float[] sample(float[] values, int from, int to) {
        int n = to - from;
        if (n <= SAMPLE_LIMIT) {
            return Arrays.copyOfRange(values, from, to);
        }
        float[] s = new float[SAMPLE_LIMIT];
        double step = (double) n / SAMPLE_LIMIT;
        for (int i = 0; i < SAMPLE_LIMIT; i++) {
            s[i] = values[from + (int) (i * step)];
        }
        return s;
    }

    private static void percentile(boolean symmetric, float[] s, double p, float[] range) {
        if (symmetric) {
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.abs(s[i]);
            }
            Arrays.sort(s);
            float t = quantile(s, p);
            range[0] = -t;
            range[1] = t;
        } else {
            Arrays.sort(s);
            range[0] = quantile(s, 100 - p);
            range[1] = quantile(s, p);
        }
    }

    /** Linear interpolation between closest ranks. */
    static float quantile(float[] sorted, double p) {
        double pos = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double frac = pos - lo;
        return (float) (sorted[lo] + (sorted[hi] - (double) sorted[lo]) * frac);
    }

    private static void mseOptimal(Int8Spec spec, float[] s, float min, float max, int candidates, float[] range) {
        double best = Double.POSITIVE_INFINITY;
        float bestLo = min;
        float bestHi = max;
        for (int c = candidates; c >= 1; c--) {
            float f = (float) c / candidates;
            float lo = min * f;
            float hi = max * f;
            QuantParams.Grid grid = QuantParams.Grid.of(spec, lo, hi);
            double err = 0;
            for (float x : s) {
                double d = grid.roundTrip(x) - (double) x;
                err += d * d;
                if (err >= best) {
                    break;
                }
            }
            if (err < best) {
                best = err;
                bestLo = lo;
                bestHi = hi;
            }
        }
        range[0] = bestLo;
        range[1] = bestHi;
    }
}
