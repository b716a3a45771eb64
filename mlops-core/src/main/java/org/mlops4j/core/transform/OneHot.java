package org.mlops4j.core.transform;

import org.mlops4j.core.data.CategoricalColumn;
import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.ColumnType;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.NumericColumn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Replaces each categorical column by one 0/1 column per category seen in training, named
 * {@code column=category} and ordered by category. A missing value gives all zeros. A category not seen
 * in training gives all zeros too, or an error naming the row when {@link #failOnUnknown()} is set.
 * A column with more than {@link #maxCategories} categories is refused (it is probably an id).
 * {@snippet :
 * OneHot.all();                               // every categorical column
 * OneHot.columns("CHAS").failOnUnknown();     // strict at inference
 * }
 *
 * @param columns       categorical columns to encode; empty for all
 * @param errorOnUnknown whether an unseen category at apply time is an error
 * @param maxCategories  the largest number of categories a column may have
 */
public record OneHot(List<String> columns, boolean errorOnUnknown, int maxCategories) implements Transform {

    /** Default {@link #maxCategories}. */
    public static final int DEFAULT_MAX_CATEGORIES = 100;

    /** Validates. */
    public OneHot {
        columns = List.copyOf(columns);
        if (maxCategories < 1) {
            throw new IllegalArgumentException("maxCategories must be >= 1 but was " + maxCategories);
        }
    }

    /** @return one-hot encoding of every categorical column */
    public static OneHot all() {
        return new OneHot(List.of(), false, DEFAULT_MAX_CATEGORIES);
    }

    /**
     * @param names categorical columns
     * @return one-hot encoding of those columns
     */
    public static OneHot columns(String... names) {
        return new OneHot(Columns.copy(names), false, DEFAULT_MAX_CATEGORIES);
    }

    /** @return this encoding, failing on categories not seen in training */
    public OneHot failOnUnknown() {
        return new OneHot(columns, true, maxCategories);
    }

    /**
     * @param max the largest number of categories a column may have
     * @return this encoding with that limit
     */
    public OneHot maxCategories(int max) {
        return new OneHot(columns, errorOnUnknown, max);
    }

    @Override
    public Fitted fit(Dataset train) {
        Map<String, List<String>> categories = new LinkedHashMap<>();
        for (String name : Columns.resolve(train, columns, ColumnType.CATEGORICAL, "one-hot")) {
            TreeSet<String> seen = new TreeSet<>();
            for (String v : train.categorical(name).toArray()) {
                if (v != null) {
                    seen.add(v);
                }
            }
            if (seen.isEmpty()) {
                throw new InvalidDataException("cannot one-hot encode column '" + name + "': all " + train.rowCount()
                        + " training rows of " + train.source() + " are missing", train.source(), null, name, null, null);
            }
            if (seen.size() > maxCategories) {
                throw new InvalidDataException("cannot one-hot encode column '" + name + "': it has " + seen.size()
                        + " categories in " + train.source() + ", more than the limit of " + maxCategories
                        + "; drop it or raise maxCategories", train.source(), null, name, null, null);
            }
            categories.put(name, List.copyOf(seen));
        }
        return new Fitted(categories, errorOnUnknown);
    }

    @Override
    public String describe() {
        return "one_hot(" + Columns.orAll(columns) + (errorOnUnknown ? ", fail_on_unknown" : "") + ")";
    }

    /**
     * Categories learned from the training split.
     *
     * @param categories     per column, in output order
     * @param errorOnUnknown whether an unseen category is an error
     */
    public record Fitted(Map<String, List<String>> categories, boolean errorOnUnknown) implements FittedTransform {

        /** Copies the map, keeping its order. */
        public Fitted {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            categories.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            categories = Collections.unmodifiableMap(copy);
        }

        /**
         * @param column   the encoded column
         * @param category one of its categories
         * @return the name of the 0/1 column for that category
         */
        public static String outputName(String column, String category) {
            return column + "=" + category;
        }

        @Override
        public Dataset apply(Dataset data) {
            for (String name : categories.keySet()) {
                if (!data.schema().contains(name)) {
                    throw Columns.missing(data, name, "one-hot");
                }
            }
            List<Column> out = new ArrayList<>();
            for (Column c : data.columns()) {
                List<String> cats = categories.get(c.name());
                if (cats == null) {
                    out.add(c);
                    continue;
                }
                CategoricalColumn col = data.categorical(c.name());
                Map<String, Integer> index = new HashMap<>();
                for (int k = 0; k < cats.size(); k++) {
                    index.put(cats.get(k), k);
                }
                double[][] hot = new double[cats.size()][data.rowCount()];
                for (int r = 0; r < data.rowCount(); r++) {
                    String v = col.get(r);
                    if (v == null) {
                        continue;
                    }
                    Integer k = index.get(v);
                    if (k != null) {
                        hot[k][r] = 1.0;
                    } else if (errorOnUnknown) {
                        throw new InvalidDataException(data.origin(r) + ", column '" + c.name() + "': category '" + v
                                + "' was not seen in training; expected one of " + cats,
                                data.source(), data.lineOf(r), c.name(), v, null);
                    }
                }
                for (int k = 0; k < cats.size(); k++) {
                    out.add(NumericColumn.ofMissing(outputName(c.name(), cats.get(k)), hot[k]));
                }
            }
            return data.withColumnList(out);
        }

        @Override
        public String describe() {
            return "one-hot " + categories;
        }
    }
}
