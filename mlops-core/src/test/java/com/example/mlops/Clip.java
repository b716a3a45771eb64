package com.example.mlops;

import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.transform.FittedTransform;
import org.mlops4j.core.transform.Transform;

import java.util.ArrayList;
import java.util.List;

/**
 * A transform written outside mlops4j: caps a column at its training quantile.
 *
 * @param column   the column
 * @param quantile the training quantile to cap at, in (0, 1]
 */
public record Clip(String column, double quantile) implements Transform {

    @Override
    public Fitted fit(Dataset train) {
        double[] v = train.numeric(column).toArray();
        java.util.Arrays.sort(v);
        return new Fitted(column, v[(int) Math.min(v.length - 1, Math.floor(quantile * (v.length - 1)))]);
    }

    @Override
    public String describe() {
        return "clip(" + column + " at q" + quantile + ")";
    }

    /**
     * The cap learned in training.
     *
     * @param column the column
     * @param max    the cap
     */
    public record Fitted(String column, double max) implements FittedTransform {
        @Override
        public Dataset apply(Dataset data) {
            List<Column> out = new ArrayList<>();
            for (Column c : data.columns()) {
                if (c.name().equals(column)) {
                    double[] v = data.numeric(column).toArray();
                    for (int i = 0; i < v.length; i++) {
                        v[i] = Math.min(v[i], max);
                    }
                    out.add(NumericColumn.ofMissing(column, v));
                } else {
                    out.add(c);
                }
            }
            return data.withColumnList(out);
        }
    }
}
