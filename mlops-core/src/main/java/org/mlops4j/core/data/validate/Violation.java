package org.mlops4j.core.data.validate;

/**
 * One value, column or batch that breaks an {@link Expectations}.
 * {@snippet :
 * Violation v = report.violations().get(0);
 * v.column();   // "RM"
 * v.row();      // 3 (1-based), or 0 for the whole column
 * v.message();  // "input row 3, column 'RM': 6.5e9 is outside the training range [3.1, 9.2] ..."
 * }
 *
 * @param rule    what was broken
 * @param column  the column
 * @param row     1-based row (its source line when the data came from a file), or 0 when the whole column is meant
 * @param value   the offending value as text, or null
 * @param message the whole sentence: where, what, and what was expected
 */
public record Violation(Rule rule, String column, long row, String value, String message) {

    /** The kinds of violation. */
    public enum Rule {
        /** A required column is absent. */
        MISSING_COLUMN,
        /** A column has the wrong type. */
        WRONG_TYPE,
        /** A value is missing where none may be. */
        MISSING_VALUE,
        /** Too many values of a batch are missing. */
        MISSING_RATE,
        /** A number lies outside the accepted range. */
        OUT_OF_RANGE,
        /** A category was not seen in training. */
        UNKNOWN_CATEGORY,
        /** A column the expectations do not know (only when extra columns are refused). */
        UNEXPECTED_COLUMN
    }

    @Override
    public String toString() {
        return message;
    }
}
