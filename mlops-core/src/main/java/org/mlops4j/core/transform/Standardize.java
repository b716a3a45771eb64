package org.mlops4j.core.transform;

import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.ColumnType;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.data.profile.NumericProfile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Centers numeric columns on the training mean and divides by the training standard deviation
 * (sample, n - 1). A column that is constant in training is only centered (its scale is 1). Missing
 * values stay missing.
 * {@snippet :
 * Standardize.all();                    // every numeric column
 * Standardize.columns("RM", "LSTAT");   // some
 * }
 *
 * @param columns columns to standardize; empty for every numeric column
 */
public record Standardize(List<String> columns) implements Transform {

    /** Copies the list. */
    public Standardize {
        columns = List.copyOf(columns);
    }

    /** @return standardization of every numeric column */
    public static Standardize all() {
        return new Standardize(List.of());
    }

    /**
     * @param names numeric columns
     * @return standardization of those columns
     */
    public static Standardize columns(String... names) {
        return new Standardize(Columns.copy(names));
    }

    @Override
    public Fitted fit(Dataset train) {
        Map<String, Scale> scales = new LinkedHashMap<>();
        for (String name : Columns.resolve(train, columns, ColumnType.NUMERIC, "standardize")) {
            NumericProfile p = NumericProfile.of(train.numeric(name));
            if (p.count() == 0) {
                throw new InvalidDataException("cannot standardize column '" + name + "': all " + train.rowCount()
                        + " training rows of " + train.source() + " are missing", train.source(), null, name, null, null);
            }
            double std = p.std() > 0 ? p.std() : 1.0;
            scales.put(name, new Scale(p.mean(), std));
        }
        return new Fitted(scales);
    }

    /**
     * Mean and scale of one column.
     *
     * @param center subtracted first
     * @param scale  divided by next (never 0)
     */
    public record Scale(double center, double scale) {
    }

    @Override
    public String describe() {
        return "standardize(" + Columns.orAll(columns) + ")";
    }

    /**
     * Centers and scales learned from the training split.
     *
     * @param scales per column
     */
    public record Fitted(Map<String, Scale> scales) implements FittedTransform {

        /** Copies the map, keeping its order. */
        public Fitted {
            scales = Collections.unmodifiableMap(new LinkedHashMap<>(scales));
        }

        @Override
        public Dataset apply(Dataset data) {
            return affine(data, scales, "standardize");
        }

        @Override
        public String describe() {
            return "standardize " + scales.keySet();
        }
    }

    /** (x - center) / scale for each listed column; shared with {@link MinMax}. */
    static Dataset affine(Dataset data, Map<String, Scale> scales, String what) {
        List<Column> out = new ArrayList<>(data.columnCount());
        for (String name : scales.keySet()) {
            if (!data.schema().contains(name)) {
                throw Columns.missing(data, name, what);
            }
        }
        for (Column c : data.columns()) {
            Scale s = scales.get(c.name());
            if (s == null) {
                out.add(c);
                continue;
            }
            double[] v = data.numeric(c.name()).toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = (v[i] - s.center()) / s.scale(); // NaN (missing) stays NaN
            }
            out.add(NumericColumn.ofMissing(c.name(), v));
        }
        return data.withColumnList(out);
    }
}
