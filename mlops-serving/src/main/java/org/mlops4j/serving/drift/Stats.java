package org.mlops4j.serving.drift;

/** The distribution statistics of drift detection, on binned shares. Pure functions. */
final class Stats {
    private static final double PSI_FLOOR = 1e-4;

    private Stats() {
    }

    /** Jensen–Shannon divergence, base 2, in [0, 1]. */
    static double jensenShannon(double[] p, double[] q) {
        double js = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            if (p[i] > 0) {
                js += 0.5 * p[i] * log2(p[i] / m);
            }
            if (q[i] > 0) {
                js += 0.5 * q[i] * log2(q[i] / m);
            }
        }
        return Math.max(0, Math.min(1, js));
    }

    /** Population stability index with shares floored at 1e-4. */
    static double psi(double[] expected, double[] actual) {
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(expected[i], PSI_FLOOR);
            double a = Math.max(actual[i], PSI_FLOOR);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Kolmogorov's survival function Q(λ) = 2 Σ (-1)^(j-1) e^(-2 j² λ²). */
    static double kolmogorovQ(double lambda) {
        if (lambda < 0.2) {
            return 1;
        }
        double sum = 0;
        for (int j = 1; j <= 100; j++) {
            double term = Math.exp(-2.0 * j * j * lambda * lambda);
            sum += (j % 2 == 1 ? term : -term);
            if (term < 1e-12) {
                break;
            }
        }
        return Math.max(0, Math.min(1, 2 * sum));
    }

    /**
     * p-value of the KS statistic d between n live observations and a reference estimated from m rows
     * (two-sample effective size n·m/(n+m); Stephens' small-sample correction).
     */
    static double ksPValue(double d, long n, long m) {
        if (n <= 0) {
            return 1;
        }
        double eff = m <= 0 ? n : (double) n * m / (n + m);
        double sq = Math.sqrt(eff);
        return kolmogorovQ((sq + 0.12 + 0.11 / sq) * d);
    }

    /** Upper tail of the χ² distribution with df degrees of freedom. */
    static double chiSquareSurvival(double x, int df) {
        if (df < 1 || x <= 0) {
            return 1;
        }
        return regularizedGammaQ(df / 2.0, x / 2.0);
    }

    static double regularizedGammaQ(double a, double x) {
        if (x < a + 1) {
            // series for P
            double sum = 1.0 / a;
            double del = sum;
            double ap = a;
            for (int n = 0; n < 1000; n++) {
                ap += 1;
                del *= x / ap;
                sum += del;
                if (Math.abs(del) < Math.abs(sum) * 1e-15) {
                    break;
                }
            }
            double p = sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
            return Math.max(0, Math.min(1, 1 - p));
        }
        // continued fraction for Q (Lentz)
        double b = x + 1 - a;
        double c = 1 / 1e-300;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 1000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < 1e-300) {
                d = 1e-300;
            }
            c = b + an / c;
            if (Math.abs(c) < 1e-300) {
                c = 1e-300;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-15) {
                break;
            }
        }
        return Math.max(0, Math.min(1, Math.exp(-x + a * Math.log(x) - logGamma(a)) * h));
    }

    /** Lanczos approximation (g = 7, n = 9). */
    static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /**
     * Pearson's χ² test of observed counts against expected shares: bins expected below 5 are pooled; a share
     * of 0 counts as half a training row (so a category never seen in training weighs heavily but finitely).
     *
     * @return the p-value
     */
    static double chiSquarePValue(long[] observed, double[] shares, long referenceRows) {
        long n = 0;
        for (long o : observed) {
            n += o;
        }
        if (n == 0) {
            return 1;
        }
        double floor = 0.5 / Math.max(1, referenceRows);
        double chi = 0;
        int kept = 0;
        double pooledE = 0;
        long pooledO = 0;
        int pooled = 0;
        for (int i = 0; i < observed.length; i++) {
            double share = shares[i] > 0 ? shares[i] : (observed[i] > 0 ? floor : 0);
            double e = n * share;
            if (e == 0) {
                continue;
            }
            if (e < 5) {
                pooledE += e;
                pooledO += observed[i];
                pooled++;
            } else {
                chi += (observed[i] - e) * (observed[i] - e) / e;
                kept++;
            }
        }
        if (pooled > 0) {
            chi += (pooledO - pooledE) * (pooledO - pooledE) / pooledE;
            kept++;
        }
        // The shares are themselves estimated from referenceRows: the difference has variance p(1-p)(1/n + 1/N).
        chi *= (double) referenceRows / (referenceRows + n);
        return chiSquareSurvival(chi, kept - 1);
    }
}
