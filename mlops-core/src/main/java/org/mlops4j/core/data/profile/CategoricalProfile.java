package org.mlops4j.core.data.profile;

import org.mlops4j.core.data.CategoricalColumn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Profile of a categorical column: how many distinct categories, and the most frequent ones with their
 * counts (at most {@value #TOP} listed; the rest summed in {@code otherCount}).
 * {@snippet :
 * CategoricalProfile p = (CategoricalProfile) dataset.profile().column("CHAS");
 * p.distinct();              // 2
 * p.frequencies().get(0);    // CategoryCount[value=0, count=471]
 * }
 *
 * @param name        column name
 * @param count       present values
 * @param missing     missing values
 * @param distinct    number of distinct categories
 * @param frequencies most frequent categories, by descending count then value
 * @param otherCount  present values in categories not listed
 */
public record CategoricalProfile(String name, long count, long missing, int distinct, List<CategoryCount> frequencies,
                                 long otherCount) implements ColumnProfile {

    /** How many categories are listed at most. */
    public static final int TOP = 50;

    /** Copies the list. */
    public CategoricalProfile {
        frequencies = List.copyOf(frequencies);
    }

    /**
     * @param c a categorical column
     * @return its profile
     */
    public static CategoricalProfile of(CategoricalColumn c) {
        Map<String, Long> counts = new HashMap<>();
        long present = 0;
        for (String s : c.toArray()) {
            if (s != null) {
                counts.merge(s, 1L, Long::sum);
                present++;
            }
        }
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<CategoryCount> top = new ArrayList<>();
        long listed = 0;
        for (int i = 0; i < Math.min(TOP, entries.size()); i++) {
            top.add(new CategoryCount(entries.get(i).getKey(), entries.get(i).getValue()));
            listed += entries.get(i).getValue();
        }
        return new CategoricalProfile(c.name(), present, c.missingCount(), counts.size(), top, present - listed);
    }

    @Override
    public String summary() {
        return name + " categorical: n=" + count + " missing=" + missing + " distinct=" + distinct
                + (frequencies.isEmpty() ? "" : " top=" + frequencies.get(0).value() + " (" + frequencies.get(0).count() + ")");
    }

    /**
     * One category and how often it occurs.
     *
     * @param value the category
     * @param count occurrences
     */
    public record CategoryCount(String value, long count) {
    }

    /** @return the summary and the five most frequent categories, for a terminal or JShell */
    @Override
    public String toString() {
        return "CategoricalProfile[" + summary() + (frequencies.size() > 1 ? ", top " + frequencies.subList(0, Math.min(5,
                frequencies.size())).stream().map(c -> c.value() + "=" + c.count()).toList() : "") + "]";
    }
}
