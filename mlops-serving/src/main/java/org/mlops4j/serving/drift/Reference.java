package org.mlops4j.serving.drift;

import org.mlops4j.core.data.profile.CategoricalProfile;
import org.mlops4j.core.data.profile.ColumnProfile;
import org.mlops4j.core.data.profile.NumericProfile;
import org.mlops4j.core.data.profile.Quantiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training distribution of one feature as fixed bins with their shares, so a live window needs only
 * counts. Numeric: [below the training minimum, the bins…, above the maximum, missing], where the bins are the
 * profile's equal-width histogram split again at its stored quantiles (p01…p99): the training CDF is known
 * exactly at the histogram's edges and at each quantile, so KS and Wasserstein see the tails and the middle at
 * the quantiles' resolution, not only at ten equal-width steps. Categorical: [each listed category…, any other,
 * missing].
 */
final class Reference {
    final String feature;
    final boolean numeric;
    final double[] edges;       // numeric: B + 1 ascending edges (empty when no value was present)
    final double[] shares;      // per slot
    final long rows;            // training rows behind the shares
    final double spread;        // training standard deviation (numeric), for Wasserstein
    final Map<String, Integer> categories;
    final List<String> labels;

    private Reference(String feature, boolean numeric, double[] edges, double[] shares, long rows, double spread, Map<String, Integer> categories,
                      List<String> labels) {
        this.feature = feature;
        this.numeric = numeric;
        this.edges = edges;
        this.shares = shares;
        this.rows = rows;
        this.spread = spread;
        this.categories = categories;
        this.labels = labels;
    }

    static Reference of(ColumnProfile profile) {
        if (profile instanceof NumericProfile p) {
            List<Double> e = p.histogram().edges();
            List<Long> c = p.histogram().counts();
            double[] edges = e.stream().mapToDouble(Double::doubleValue).toArray();
            long[] counts = new long[c.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = c.get(i);
            }
            double sd = Double.isFinite(p.std()) && p.std() > 0 ? p.std() : Double.isFinite(p.mean()) && p.mean() != 0 ? Math.abs(p.mean()) : 1;
            return numeric(p.name(), edges, counts, p.quantiles(), p.missing(), sd);
        }
        CategoricalProfile p = (CategoricalProfile) profile;
        Map<String, Integer> index = new HashMap<>();
        List<String> labels = new ArrayList<>();
        int k = p.frequencies().size();
        double total = p.count() + p.missing();
        double[] shares = new double[k + 2];
        for (int i = 0; i < k; i++) {
            index.put(p.frequencies().get(i).value(), i);
            labels.add(p.frequencies().get(i).value());
            shares[i] = total == 0 ? 0 : p.frequencies().get(i).count() / total;
        }
        labels.add("(other)");
        labels.add("(missing)");
        shares[k] = total == 0 ? 0 : p.otherCount() / total;
        shares[k + 1] = total == 0 ? 1 : p.missing() / total;
        return new Reference(p.name(), false, new double[0], shares, (long) total, 1, index, labels);
    }

    /** A numeric reference from sorted values (the prediction's first window). */
    static Reference ofValues(String feature, double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        double min = v[0];
        double max = v[v.length - 1];
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
        int bins = min == max ? 1 : 10;
        double[] edges = new double[bins + 1];
        long[] counts = new long[bins];
        double width = (max - min) / bins;
        for (int i = 0; i <= bins; i++) {
            edges[i] = i == bins ? max : min + i * width;
        }
        for (double x : v) {
            int b = width == 0 ? 0 : (int) ((x - min) / width);
            counts[Math.min(Math.max(b, 0), bins - 1)]++;
        }
        return numeric(feature, edges, counts, Quantiles.of(v), 0, sd > 0 ? sd : Math.abs(mean) > 0 ? Math.abs(mean) : 1);
    }

    /**
     * The histogram's bins split at the quantiles. P(X &lt; edge) is exact at a histogram edge (its bins are
     * [e<sub>i</sub>, e<sub>i+1</sub>)); at a quantile q<sub>p</sub> it is p, the smallest p when several quantiles
     * coincide (a tie: P(X &lt; q) is at most that p), kept inside what the histogram allows for its bin.
     *
     * @return {edges, shares of present values per bin}
     */
    static double[][] split(double[] edges, long[] counts, Quantiles q) {
        int b = counts.length;
        long present = 0;
        for (long c : counts) {
            present += c;
        }
        double[] below = new double[b + 1]; // P(X < edges[i]); 1 at the closed top edge
        for (int i = 0; i < b; i++) {
            below[i + 1] = below[i] + (present == 0 ? 0 : (double) counts[i] / present);
        }
        below[b] = 1;
        java.util.TreeMap<Double, Double> cdf = new java.util.TreeMap<>();
        for (int i = 0; i <= b; i++) {
            cdf.put(edges[i], below[i]);
        }
        double[][] qs = q == null ? new double[0][] : new double[][] {{q.p01(), 0.01}, {q.p05(), 0.05}, {q.p25(), 0.25}, {q.p50(), 0.5},
                {q.p75(), 0.75}, {q.p95(), 0.95}, {q.p99(), 0.99}};
        java.util.Map<Double, Double> extra = new java.util.TreeMap<>();
        for (double[] qp : qs) {
            double x = qp[0];
            if (!Double.isFinite(x) || b < 1 || x <= edges[0] || x >= edges[b] || cdf.containsKey(x)) {
                continue;
            }
            int i = Arrays.binarySearch(edges, x);
            int bin = Math.min(i >= 0 ? i : -i - 2, b - 1);
            double g = Math.max(below[bin], Math.min(below[bin + 1], qp[1]));
            extra.merge(x, g, Math::min);
        }
        cdf.putAll(extra);
        double[] merged = new double[cdf.size()];
        double[] g = new double[cdf.size()];
        int k = 0;
        for (var e : cdf.entrySet()) {
            merged[k] = e.getKey();
            g[k] = k == 0 ? e.getValue() : Math.max(g[k - 1], e.getValue());
            k++;
        }
        double[] shares = new double[Math.max(0, merged.length - 1)];
        for (int i = 0; i < shares.length; i++) {
            shares[i] = present == 0 ? 0 : g[i + 1] - g[i];
        }
        return new double[][] {merged, shares};
    }

    private static Reference numeric(String feature, double[] histEdges, long[] counts, Quantiles q, long missing, double spread) {
        long present = 0;
        for (long c : counts) {
            present += c;
        }
        double[] edges = histEdges;
        double[] presentShares = new double[counts.length];
        if (histEdges.length == counts.length + 1 && counts.length > 0 && histEdges[0] < histEdges[counts.length]) {
            double[][] split = split(histEdges, counts, q);
            edges = split[0];
            presentShares = split[1];
        } else {
            for (int i = 0; i < counts.length; i++) {
                presentShares[i] = present == 0 ? 0 : (double) counts[i] / present;
            }
        }
        int b = presentShares.length;
        double[] shares = new double[b + 3];
        double total = present + missing;
        for (int i = 0; i < b; i++) {
            shares[i + 1] = total == 0 ? 0 : presentShares[i] * present / total;
        }
        shares[b + 2] = total == 0 ? 1 : missing / total;
        List<String> labels = new ArrayList<>();
        labels.add(edges.length == 0 ? "(present)" : "< " + fmt(edges[0]));
        for (int i = 0; i < b; i++) {
            labels.add(fmt(edges[i]) + (edges[i] == edges[i + 1] ? "" : " – " + fmt(edges[i + 1])));
        }
        labels.add(edges.length == 0 ? "(unused)" : "> " + fmt(edges[b]));
        labels.add("(missing)");
        return new Reference(feature, true, edges, shares, (long) total, spread, Map.of(), labels);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    int slots() {
        return shares.length;
    }

    int missingSlot() {
        return shares.length - 1;
    }

    /** @return the slot of a numeric value (NaN: missing) */
    int slot(double x) {
        if (Double.isNaN(x)) {
            return missingSlot();
        }
        int b = edges.length - 1;
        if (b < 1) {
            return 0;
        }
        if (x < edges[0]) {
            return 0;
        }
        if (x > edges[b]) {
            return b + 1;
        }
        if (edges[b] == edges[0]) {
            return 1;
        }
        // bins [e_i, e_i+1), the last one closed
        int i = Arrays.binarySearch(edges, x);
        i = i >= 0 ? i : -i - 2;
        return Math.min(i, b - 1) + 1;
    }

    /** @return the slot of a category (null: missing) */
    int slot(String category) {
        if (category == null) {
            return missingSlot();
        }
        Integer i = categories.get(category);
        return i == null ? shares.length - 2 : i;
    }
}
