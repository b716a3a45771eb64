package org.mlops4j.core.transform;

import org.mlops4j.core.data.ColumnType;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.profile.NumericProfile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scales numeric columns to [0, 1] using the training minimum and maximum; values outside the training
 * range map outside [0, 1] (they are not clipped). A constant column maps to 0. Missing values stay
 * missing.
 * {@snippet :
 * MinMax.all();
 * MinMax.columns("AGE", "TAX");
 * }
 *
 * @param columns columns to scale; empty for every numeric column
 */
public record MinMax(List<String> columns) implements Transform {

    /** Copies the list. */
    public MinMax {
        columns = List.copyOf(columns);
    }

    /** @return min-max scaling of every numeric column */
    public static MinMax all() {
        return new MinMax(List.of());
    }

    /**
     * @param names numeric columns
     * @return min-max scaling of those columns
     */
    public static MinMax columns(String... names) {
        return new MinMax(Columns.copy(names));
    }

    @Override
    public Fitted fit(Dataset train) {
        Map<String, Standardize.Scale> scales = new LinkedHashMap<>();
        for (String name : Columns.resolve(train, columns, ColumnType.NUMERIC, "min-max scale")) {
            NumericProfile p = NumericProfile.of(train.numeric(name));
            if (p.count() == 0) {
                throw new InvalidDataException("cannot min-max scale column '" + name + "': all " + train.rowCount()
                        + " training rows of " + train.source() + " are missing", train.source(), null, name, null, null);
            }
            double range = p.max() - p.min();
            scales.put(name, new Standardize.Scale(p.min(), range > 0 ? range : 1.0));
        }
        return new Fitted(scales);
    }

    @Override
    public String describe() {
        return "min_max(" + Columns.orAll(columns) + ")";
    }

    /**
     * Minimum (center) and range (scale) learned from the training split.
     *
     * @param scales per column
     */
    public record Fitted(Map<String, Standardize.Scale> scales) implements FittedTransform {

        /** Copies the map, keeping its order. */
        public Fitted {
            scales = Collections.unmodifiableMap(new LinkedHashMap<>(scales));
        }

        @Override
        public Dataset apply(Dataset data) {
            return Standardize.affine(data, scales, "min-max scale");
        }

        @Override
        public String describe() {
            return "min-max scale " + scales.keySet();
        }
    }
}
