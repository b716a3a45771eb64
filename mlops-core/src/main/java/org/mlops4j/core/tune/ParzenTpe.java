package org.mlops4j.core.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The TPE step (Optuna's algorithm and defaults): split the trials into good and rest, fit a Parzen
 * estimator to each, draw candidates from the good one, keep the candidate with the highest likelihood
 * ratio. Numeric parameters live in an internal space: widened by half a step when stepped, then logged for
 * log ranges; kernels are truncated Gaussians there, and a stepped value's likelihood is its bin's mass.
 */
final class ParzenTpe {
    private static final int FLAT_WEIGHTS = 25;

    private ParzenTpe() {
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static Map<String, Object> sample(Samplers.Tpe cfg, Space<?> space, List<Trial> trials, Direction direction,
                                      SplittableRandom random) {
        List<Trial> complete = new ArrayList<>();
        List<Trial> pruned = new ArrayList<>();
        List<Trial> running = new ArrayList<>();
        for (Trial t : trials) {
            switch (t.state()) {
                case COMPLETE -> complete.add(t);
                case PRUNED -> pruned.add(t);
                case RUNNING -> running.add(t);
                default -> { }
            }
        }
        int n = complete.size() + pruned.size();
        int nBelow = Math.min((int) Math.ceil(0.1 * n), 25);
        Comparator<Trial> byValue = Comparator.comparingDouble(Trial::value);
        complete.sort(direction == Direction.MINIMIZE ? byValue : byValue.reversed());
        // A pruned trial that got further is better; at equal depth, by its last value.
        pruned.sort(Comparator.<Trial>comparingInt(t -> -t.intermediate().size())
                .thenComparing(direction == Direction.MINIMIZE ? byValue : byValue.reversed()));
        List<Trial> ranked = new ArrayList<>(complete);
        ranked.addAll(pruned);
        List<Trial> below = new ArrayList<>(ranked.subList(0, Math.min(nBelow, ranked.size())));
        List<Trial> above = new ArrayList<>(ranked.subList(below.size(), ranked.size()));
        above.addAll(running);
        below.sort(Comparator.comparingInt(Trial::number));
        above.sort(Comparator.comparingInt(Trial::number));

        Map<String, Object> out = new LinkedHashMap<>();
        List<Space.Param> joint = new ArrayList<>();
        if (cfg.jointly()) {
            for (Space.Param p : space.params()) {
                if (p.condition() == null) {
                    joint.add(p);
                }
            }
            if (joint.size() > 1) {
                out.putAll(sampleJoint(cfg, joint, below, above, random));
            } else {
                joint.clear();
            }
        }
        for (Space.Param p : space.params()) {
            if (out.containsKey(p.name()) || !((Space) space).isUsed(p, out)) {
                continue;
            }
            Dim d = Dim.of(p);
            Mixture good = Mixture.of(d, values(below, p.name()), cfg.priorWeight());
            Mixture rest = Mixture.of(d, values(above, p.name()), cfg.priorWeight());
            double best = Double.NEGATIVE_INFINITY;
            double chosen = Double.NaN;
            for (int c = 0; c < cfg.candidates(); c++) {
                double x = good.draw(random);
                double score = good.logPdf(x) - rest.logPdf(x);
                if (score > best) {
                    best = score;
                    chosen = x;
                }
            }
            out.put(p.name(), d.external(chosen));
        }
        return out;
    }

    @SuppressWarnings("rawtypes")
    private static Map<String, Object> sampleJoint(Samplers.Tpe cfg, List<Space.Param> params, List<Trial> below,
                                                   List<Trial> above, SplittableRandom random) {
        Dim[] dims = params.stream().map(Dim::of).toArray(Dim[]::new);
        Joint good = Joint.of(dims, params, below, cfg.priorWeight());
        Joint rest = Joint.of(dims, params, above, cfg.priorWeight());
        double best = Double.NEGATIVE_INFINITY;
        double[] chosen = null;
        for (int c = 0; c < cfg.candidates(); c++) {
            double[] x = good.draw(random);
            double score = good.logPdf(x) - rest.logPdf(x);
            if (score > best || chosen == null) {
                best = score;
                chosen = x;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < dims.length; i++) {
            out.put(params.get(i).name(), dims[i].external(chosen[i]));
        }
        return out;
    }

    private static List<Object> values(List<Trial> trials, String name) {
        List<Object> out = new ArrayList<>();
        for (Trial t : trials) {
            Object v = t.params().get(name);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** Optuna's default weights: equal below 25 observations, then a ramp for the oldest. */
    static double[] weights(int n) {
        double[] w = new double[n];
        if (n < FLAT_WEIGHTS) {
            Arrays.fill(w, 1.0);
            return w;
        }
        int ramp = n - FLAT_WEIGHTS;
        for (int i = 0; i < ramp; i++) {
            w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        }
        Arrays.fill(w, ramp, n, 1.0);
        return w;
    }

    /** One parameter's internal space: numeric (low/high widened and logged as Optuna does) or categorical. */
    record Dim(Space.Param<?> param, boolean categorical, double low, double high, Double step, boolean log,
               double extLow, double extHigh, boolean integer) {

        static Dim of(Space.Param<?> p) {
            return switch (p) {
                case Space.IntParam<?> i -> numeric(p, i.low(), i.high(), (double) i.step(), i.log(), true);
                case Space.DoubleParam<?> d -> numeric(p, d.low(), d.high(), d.step(), d.log(), false);
                case Space.ChoiceParam<?> c -> new Dim(p, true, 0, c.values().size(), null, false, 0, 0, false);
            };
        }

        private static Dim numeric(Space.Param<?> p, double low, double high, Double step, boolean log, boolean integer) {
            double lo = step == null ? low : low - step / 2;
            double hi = step == null ? high : high + step / 2;
            if (log) {
                lo = Math.log(lo);
                hi = Math.log(hi);
            }
            return new Dim(p, false, lo, hi, step, log, low, high, integer);
        }

        int choices() {
            return (int) high;
        }

        double internal(Object v) {
            if (categorical) {
                return ((Space.ChoiceParam<?>) param).values().indexOf(v);
            }
            double x = ((Number) v).doubleValue();
            return log ? Math.log(x) : x;
        }

        Object external(double x) {
            if (categorical) {
                return ((Space.ChoiceParam<?>) param).values().get((int) x);
            }
            double v = log ? Math.exp(x) : x;
            if (step != null) {
                v = Distributions.toStep(v, extLow, step, extHigh);
            } else {
                v = Math.max(extLow, Math.min(extHigh, v));
            }
            return integer ? (Object) (int) Math.round(v) : (Object) v;
        }

        /** The interval of internal values that rounds to the stepped value x (its bin), for its mass. */
        double[] bin(double x) {
            double v = log ? Math.exp(x) : x;
            double from = v - step / 2;
            double to = v + step / 2;
            return log ? new double[] {Math.log(Math.max(from, 1e-300)), Math.log(to)} : new double[] {from, to};
        }
    }

    /** A one-dimensional Parzen estimator: truncated Gaussian kernels (numeric) or smoothed counts (categorical). */
    record Mixture(Dim dim, double[] weights, double[] mus, double[] sigmas, double[][] probs) {

        static Mixture of(Dim d, List<Object> observed, double priorWeight) {
            int n = observed.size();
            double[] w = n == 0 ? new double[] {1.0} : append(ParzenTpe.weights(n), priorWeight);
            normalise(w);
            if (d.categorical()) {
                int k = d.choices();
                double[][] probs = new double[n + 1][k];
                if (n == 0) {
                    Arrays.fill(probs[0], 1.0 / k);
                    return new Mixture(d, w, null, null, Arrays.copyOf(probs, 1));
                }
                for (int i = 0; i <= n; i++) {
                    Arrays.fill(probs[i], priorWeight / (n + 1));
                    if (i < n) {
                        probs[i][(int) d.internal(observed.get(i))] += 1;
                    }
                    normalise(probs[i]);
                }
                return new Mixture(d, w, null, null, probs);
            }
            double[] obs = new double[n];
            for (int i = 0; i < n; i++) {
                obs[i] = d.internal(observed.get(i));
            }
            double[] sig = ParzenTpe.sigmas(obs, d.low(), d.high());
            double[] mus = append(obs, 0.5 * (d.low() + d.high()));
            double[] sigmas = append(sig, d.high() - d.low());
            if (n == 0) {
                mus = new double[] {0.5 * (d.low() + d.high())};
                sigmas = new double[] {d.high() - d.low()};
            }
            return new Mixture(d, w, mus, sigmas, null);
        }

        double draw(SplittableRandom random) {
            int k = pick(weights, random);
            if (dim.categorical()) {
                return pick(probs[k], random);
            }
            return Distributions.truncNormal(mus[k], sigmas[k], dim.low(), dim.high(), random);
        }

        double logPdf(double x) {
            double[] terms = new double[weights.length];
            for (int k = 0; k < weights.length; k++) {
                terms[k] = Math.log(weights[k]) + logKernel(k, x);
            }
            return Distributions.logSumExp(terms);
        }

        double logKernel(int k, double x) {
            if (dim.categorical()) {
                return Math.log(Math.max(probs[k][(int) x], 1e-300));
            }
            if (dim.step() != null) {
                double[] b = dim.bin(dim.internal(dim.external(x)));
                return Distributions.logTruncNormalMass(b[0], b[1], mus[k], sigmas[k], dim.low(), dim.high());
            }
            return Distributions.logTruncNormal(x, mus[k], sigmas[k], dim.low(), dim.high());
        }
    }

    /** A joint Parzen estimator: one kernel per trial over every dimension (and a prior kernel). */
    record Joint(Dim[] dims, double[] weights, Mixture[] perDim) {

        @SuppressWarnings("rawtypes")
        static Joint of(Dim[] dims, List<Space.Param> params, List<Trial> trials, double priorWeight) {
            List<Trial> usable = new ArrayList<>();
            for (Trial t : trials) {
                if (params.stream().allMatch(p -> t.params().containsKey(p.name()))) {
                    usable.add(t);
                }
            }
            Mixture[] per = new Mixture[dims.length];
            for (int i = 0; i < dims.length; i++) {
                String name = params.get(i).name();
                per[i] = Mixture.of(dims[i], usable.stream().map(t -> t.params().get(name)).toList(), priorWeight);
            }
            return new Joint(dims, per[0].weights(), per);
        }

        double[] draw(SplittableRandom random) {
            int k = pick(weights, random);
            double[] x = new double[dims.length];
            for (int i = 0; i < dims.length; i++) {
                Mixture m = perDim[i];
                x[i] = dims[i].categorical() ? pick(m.probs()[k], random)
                        : Distributions.truncNormal(m.mus()[k], m.sigmas()[k], dims[i].low(), dims[i].high(), random);
            }
            return x;
        }

        double logPdf(double[] x) {
            double[] terms = new double[weights.length];
            for (int k = 0; k < weights.length; k++) {
                double s = Math.log(weights[k]);
                for (int i = 0; i < dims.length; i++) {
                    s += perDim[i].logKernel(k, x[i]);
                }
                terms[k] = s;
            }
            return Distributions.logSumExp(terms);
        }
    }

    /** Optuna's bandwidths: the larger gap to a neighbour (endpoints included, but not for the outer kernels), clipped. */
    static double[] sigmas(double[] mus, double low, double high) {
        int n = mus.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> mus[i]));
        double[] sorted = new double[n + 2];
        sorted[0] = low;
        for (int i = 0; i < n; i++) {
            sorted[i + 1] = mus[order[i]];
        }
        sorted[n + 1] = high;
        double[] sortedSigmas = new double[n];
        for (int i = 0; i < n; i++) {
            sortedSigmas[i] = Math.max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
        }
        if (n + 2 >= 4) {
            sortedSigmas[0] = sorted[2] - sorted[1];
            sortedSigmas[n - 1] = sorted[n] - sorted[n - 1];
        }
        double max = high - low;
        double min = (high - low) / Math.min(100.0, 1.0 + (n + 1));
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[order[i]] = Math.max(min, Math.min(max, sortedSigmas[i]));
        }
        return out;
    }

    private static double[] append(double[] a, double v) {
        double[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    private static void normalise(double[] w) {
        double s = 0;
        for (double v : w) {
            s += v;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= s;
        }
    }

    private static int pick(double[] probs, SplittableRandom random) {
        double u = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < probs.length; i++) {
            acc += probs[i];
            if (u < acc) {
                return i;
            }
        }
        return probs.length - 1;
    }
}
