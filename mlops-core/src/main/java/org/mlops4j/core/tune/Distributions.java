package org.mlops4j.core.tune;

import java.math.BigDecimal;
import java.util.SplittableRandom;

/** Uniform draws and the numeric helpers the samplers share. */
final class Distributions {
    private Distributions() {
    }

    /** A value drawn uniformly from a parameter's range (log-uniform for log ranges, on the step grid when stepped). */
    static Object uniform(Space.Param<?> p, SplittableRandom random) {
        return switch (p) {
            case Space.IntParam<?> i -> {
                if (i.log()) {
                    double v = Math.exp(random.nextDouble(Math.log(i.low() - 0.5), Math.log(i.high() + 0.5)));
                    yield (int) Math.max(i.low(), Math.min(i.high(), Math.round(v)));
                }
                int n = (i.high() - i.low()) / i.step();
                yield i.low() + random.nextInt(n + 1) * i.step();
            }
            case Space.DoubleParam<?> d -> {
                if (d.step() != null) {
                    long n = steps(d.low(), d.high(), d.step());
                    yield onStep(d.low(), d.step(), random.nextLong(n + 1), d.high());
                }
                yield d.log() ? Math.exp(random.nextDouble(Math.log(d.low()), Math.log(d.high())))
                        : random.nextDouble(d.low(), d.high());
            }
            case Space.ChoiceParam<?> c -> c.values().get(random.nextInt(c.values().size()));
        };
    }

    /** How many steps fit between low and high. */
    static long steps(double low, double high, double step) {
        return (long) Math.floor((high - low) / step + 1e-9);
    }

    /** low + k·step in decimal arithmetic (so 0.1 + 2·0.1 is 0.3), never above high. */
    static double onStep(double low, double step, long k, double high) {
        double v = BigDecimal.valueOf(low).add(BigDecimal.valueOf(step).multiply(BigDecimal.valueOf(k))).doubleValue();
        return Math.min(v, high);
    }

    /** The nearest point of the step grid to v, within [low, high]. */
    static double toStep(double v, double low, double step, double high) {
        long k = Math.round((v - low) / step);
        return onStep(low, step, Math.max(0, Math.min(k, steps(low, high, step))), high);
    }

    // ---- the normal distribution ----

    private static final double SQRT2 = Math.sqrt(2);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    /** erfc(x), fractional error below 1.2e-7 everywhere, tails included (Numerical Recipes' Chebyshev fit). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
                + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** P(a &lt; Z &lt; b) for a standard normal Z, without cancellation in the tails. */
    static double mass(double a, double b) {
        if (a >= 0) {
            return 0.5 * (erfc(a / SQRT2) - erfc(b / SQRT2));
        }
        if (b <= 0) {
            return 0.5 * (erfc(-b / SQRT2) - erfc(-a / SQRT2));
        }
        return 1 - 0.5 * erfc(-a / SQRT2) - 0.5 * erfc(b / SQRT2);
    }

    /** log of the density of N(mu, sigma) truncated to [low, high], at x. */
    static double logTruncNormal(double x, double mu, double sigma, double low, double high) {
        double z = (x - mu) / sigma;
        double m = mass((low - mu) / sigma, (high - mu) / sigma);
        return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - Math.log(Math.max(m, 1e-300));
    }

    /** log of the probability N(mu, sigma) truncated to [low, high] gives to [from, to]. */
    static double logTruncNormalMass(double from, double to, double mu, double sigma, double low, double high) {
        double m = mass((low - mu) / sigma, (high - mu) / sigma);
        double part = mass((Math.max(from, low) - mu) / sigma, (Math.min(to, high) - mu) / sigma);
        return Math.log(Math.max(part, 1e-300)) - Math.log(Math.max(m, 1e-300));
    }

    /** A draw from N(mu, sigma) truncated to [low, high]: by rejection, else by bisection on the distribution function. */
    static double truncNormal(double mu, double sigma, double low, double high, SplittableRandom random) {
        for (int i = 0; i < 32; i++) {
            double x = mu + sigma * gaussian(random);
            if (x >= low && x <= high) {
                return x;
            }
        }
        double a = (low - mu) / sigma;
        double b = (high - mu) / sigma;
        double target = random.nextDouble() * mass(a, b);
        double lo = a;
        double hi = b;
        for (int i = 0; i < 80; i++) {
            double mid = 0.5 * (lo + hi);
            if (mass(a, mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return mu + sigma * 0.5 * (lo + hi);
    }

    /** A standard normal draw (Marsaglia's polar method). */
    static double gaussian(SplittableRandom random) {
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    /** log Σ exp(x[i]). */
    static double logSumExp(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
