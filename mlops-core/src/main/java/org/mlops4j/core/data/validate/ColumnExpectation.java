package org.mlops4j.core.data.validate;

import org.mlops4j.core.data.ColumnType;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one column of the data must look like: its type, whether it must be present, how many values may be
 * missing, the range of its numbers or the set of its categories. Immutable; the withers return a changed copy.
 * {@snippet :
 * ColumnExpectation rm = ColumnExpectation.numeric("RM").range(3.0, 9.0).maxMissingRate(0.0);
 * ColumnExpectation chas = ColumnExpectation.categorical("CHAS").categories(List.of("0", "1"));
 * }
 *
 * @param name           column name
 * @param type           numeric or categorical
 * @param required       whether a batch must have the column
 * @param maxMissingRate the largest fraction of missing values accepted in a batch, 0 to 1; with 0 no value may be
 *                       missing (also checked row by row)
 * @param min            smallest accepted number (numeric), or null for no lower bound
 * @param max            largest accepted number (numeric), or null for no upper bound
 * @param categories     the accepted categories (categorical), or null for any
 */
public record ColumnExpectation(String name, ColumnType type, boolean required, double maxMissingRate, Double min, Double max,
                                List<String> categories) {

    /** Validates: bounds finite and ordered, only numeric columns have a range, only categorical ones categories. */
    public ColumnExpectation {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a column expectation needs a column name but was " + (name == null ? "null" : "'" + name + "'"));
        }
        Objects.requireNonNull(type, "type of column '" + name + "'");
        if (!(maxMissingRate >= 0 && maxMissingRate <= 1)) {
            throw new IllegalArgumentException("column '" + name + "': maxMissingRate must be between 0 and 1 but was " + maxMissingRate);
        }
        if ((min != null && !Double.isFinite(min)) || (max != null && !Double.isFinite(max))) {
            throw new IllegalArgumentException("column '" + name + "': the range must be finite but was [" + min + ", " + max + "]");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("column '" + name + "': min " + min + " is above max " + max);
        }
        if (type == ColumnType.CATEGORICAL && (min != null || max != null)) {
            throw new IllegalArgumentException("column '" + name + "' is categorical: it has categories, not a range");
        }
        if (type == ColumnType.NUMERIC && categories != null) {
            throw new IllegalArgumentException("column '" + name + "' is numeric: it has a range, not categories");
        }
        if (categories != null) {
            for (String c : categories) {
                Objects.requireNonNull(c, "column '" + name + "': a category must not be null");
            }
            categories = List.copyOf(categories);
        }
    }

    /**
     * @param name column name
     * @return a required numeric column with any value and no missing value
     */
    public static ColumnExpectation numeric(String name) {
        return new ColumnExpectation(name, ColumnType.NUMERIC, true, 0.0, null, null, null);
    }

    /**
     * @param name column name
     * @return a required categorical column with any category and no missing value
     */
    public static ColumnExpectation categorical(String name) {
        return new ColumnExpectation(name, ColumnType.CATEGORICAL, true, 0.0, null, null, null);
    }

    /**
     * @param lo smallest accepted number
     * @param hi largest accepted number
     * @return this expectation with that range
     */
    public ColumnExpectation range(double lo, double hi) {
        return new ColumnExpectation(name, type, required, maxMissingRate, lo, hi, categories);
    }

    /** @return this expectation without a range */
    public ColumnExpectation anyNumber() {
        return new ColumnExpectation(name, type, required, maxMissingRate, null, null, categories);
    }

    /**
     * @param rate the largest fraction of missing values, 0 to 1
     * @return this expectation with that bound
     */
    public ColumnExpectation maxMissingRate(double rate) {
        return new ColumnExpectation(name, type, required, rate, min, max, categories);
    }

    /**
     * @param accepted the accepted categories
     * @return this expectation accepting only those
     */
    public ColumnExpectation categories(List<String> accepted) {
        return new ColumnExpectation(name, type, required, maxMissingRate, min, max, Objects.requireNonNull(accepted, "accepted"));
    }

    /** @return this expectation accepting any category */
    public ColumnExpectation anyCategory() {
        return new ColumnExpectation(name, type, required, maxMissingRate, min, max, null);
    }

    /**
     * @param mustBePresent whether a batch must have the column
     * @return this expectation so
     */
    public ColumnExpectation required(boolean mustBePresent) {
        return new ColumnExpectation(name, type, mustBePresent, maxMissingRate, min, max, categories);
    }

    @Override
    public String toString() {
        return name + " " + type.name().toLowerCase(Locale.ROOT) + (required ? "" : " (optional)") + ", missing <= " + maxMissingRate
                + (min != null || max != null ? ", in [" + (min == null ? "-inf" : min) + ", " + (max == null ? "+inf" : max) + "]" : "")
                + (categories != null ? ", one of " + (categories.size() > 10 ? categories.subList(0, 10) + "… (" + categories.size() + ")"
                : categories) : "");
    }
}
