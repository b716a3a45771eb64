package org.mlops4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Computes {@link DataProfile}s; one pass per column plus a sort for the quantiles. */
final class Profiler {
    private Profiler() {
    }

    static DataProfile profile(Dataset d) {
        List<ColumnProfile> out = new ArrayList<>(d.columnCount());
        for (Column c : d.columns()) {
            out.add(c instanceof NumericColumn n ? numeric(n) : categorical((CategoricalColumn) c));
        }
        return new DataProfile(d.rowCount(), out);
    }

    static NumericProfile numeric(NumericColumn c) {
        double[] v = c.values();
        double[] present = new double[v.length - c.missingCount()];
        int k = 0;
        double mean = 0;
        double m2 = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                present[k++] = x;
                // Welford: numerically stable single pass.
                double delta = x - mean;
                mean += delta / k;
                m2 += delta * (x - mean);
            }
        }
        Arrays.sort(present);
        double min = k == 0 ? Double.NaN : present[0];
        double max = k == 0 ? Double.NaN : present[k - 1];
        double std = k == 0 ? Double.NaN : k == 1 ? 0.0 : Math.sqrt(m2 / (k - 1));
        return new NumericProfile(c.name(), k, c.missingCount(), min, max, k == 0 ? Double.NaN : mean, std,
                Quantiles.of(present), Histogram.of(present, min, max));
    }

    static CategoricalProfile categorical(CategoricalColumn c) {
        Map<String, Long> counts = new HashMap<>();
        long present = 0;
        for (String s : c.values()) {
            if (s != null) {
                counts.merge(s, 1L, Long::sum);
                present++;
            }
        }
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<CategoricalProfile.CategoryCount> top = new ArrayList<>();
        long listed = 0;
        for (int i = 0; i < Math.min(CategoricalProfile.TOP, entries.size()); i++) {
            top.add(new CategoricalProfile.CategoryCount(entries.get(i).getKey(), entries.get(i).getValue()));
            listed += entries.get(i).getValue();
        }
        return new CategoricalProfile(c.name(), present, c.missingCount(), counts.size(), top, present - listed);
    }
}
