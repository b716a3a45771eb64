package org.mlops4j.core.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The scores of one classification {@link org.mlops4j.core.model.Prediction}, backed by arrays instead of a hash
 * map: the signature's class list (shared, never copied) and {@code classes.size()} scores from an offset of a
 * {@code double[]} that nobody writes afterwards. An unmodifiable {@link Map} in the class list's order, equal to
 * (and with the same hash code as) a {@code LinkedHashMap} of the same entries; {@code Prediction} keeps it as it
 * is instead of copying it. The class names must be distinct, as a {@code ModelSignature}'s are. Internal: not
 * an API.
 * {@snippet :
 * Map<String, Double> s = new org.mlops4j.core.internal.ScoreMap(List.of("a", "b"), new double[] {0.25, 0.75}, 0);
 * s.get("b");   // 0.75
 * }
 */
public final class ScoreMap extends AbstractMap<String, Double> {
    private final List<String> classes;
    private final double[] scores;
    private final int offset;

    /**
     * @param classes distinct class names, in order (the list is kept, not copied: pass an immutable one)
     * @param scores  holds {@code classes.size()} scores from {@code offset}; not copied, so never written again
     * @param offset  index of the first class's score
     */
    public ScoreMap(List<String> classes, double[] scores, int offset) {
        this.classes = Objects.requireNonNull(classes, "classes");
        this.scores = Objects.requireNonNull(scores, "scores");
        Objects.checkFromIndexSize(offset, classes.size(), scores.length);
        this.offset = offset;
    }

    @Override
    public int size() {
        return classes.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return classes.contains(key);
    }

    @Override
    public Double get(Object key) {
        int i = classes.indexOf(key);
        return i < 0 ? null : scores[offset + i];
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return classes.size();
            }

            @Override
            public Iterator<Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < classes.size();
                    }

                    @Override
                    public Entry<String, Double> next() {
                        if (i >= classes.size()) {
                            throw new NoSuchElementException();
                        }
                        int k = i++;
                        return new SimpleImmutableEntry<>(classes.get(k), scores[offset + k]);
                    }
                };
            }
        };
    }
}
