package org.mlops4j.core.data.profile;

import java.util.List;

/**
 * An equal-width histogram: {@code counts.size()} bins between {@code edges.get(0)} and the last edge.
 * Bin {@code i} holds values in {@code [edges[i], edges[i+1])}; the last bin also holds the maximum.
 * {@snippet :
 * Histogram h = ((NumericProfile) dataset.profile().column("MEDV")).histogram();
 * long inFirstBin = h.counts().get(0);
 * }
 *
 * @param edges  bin edges, one more than bins, ascending
 * @param counts values per bin
 */
public record Histogram(List<Double> edges, List<Long> counts) {

    /** Copies and checks the sizes. */
    public Histogram {
        edges = List.copyOf(edges);
        counts = List.copyOf(counts);
        if (!counts.isEmpty() && edges.size() != counts.size() + 1) {
            throw new IllegalArgumentException("a histogram of " + counts.size() + " bins needs " + (counts.size() + 1)
                    + " edges but got " + edges.size());
        }
    }

    /** Default number of bins. */
    static final int BINS = 10;

    static Histogram of(double[] sorted, double min, double max) {
        if (sorted.length == 0) {
            return new Histogram(List.of(), List.of());
        }
        if (min == max) {
            return new Histogram(List.of(min, max), List.of((long) sorted.length));
        }
        Double[] edges = new Double[BINS + 1];
        double width = (max - min) / BINS;
        for (int i = 0; i <= BINS; i++) {
            edges[i] = i == BINS ? max : min + i * width;
        }
        Long[] counts = new Long[BINS];
        java.util.Arrays.fill(counts, 0L);
        for (double v : sorted) {
            int b = (int) ((v - min) / width);
            if (b >= BINS) {
                b = BINS - 1;
            }
            if (b < 0) {
                b = 0;
            }
            counts[b]++;
        }
        return new Histogram(List.of(edges), List.of(counts));
    }

    /** @return the bins as rounded ranges with their counts */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Histogram[");
        for (int i = 0; i < counts.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.4g", edges.get(i))).append("..")
                    .append(String.format(java.util.Locale.ROOT, "%.4g", edges.get(i + 1))).append(':').append(counts.get(i));
        }
        return sb.append(']').toString();
    }
}
