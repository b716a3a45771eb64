package org.mlops4j.core.data.validate;

import java.util.List;
import java.util.Objects;

/**
 * Every violation of a batch against its {@link Expectations}, in column then row order. At most
 * {@value #MAX_LISTED} are listed; {@link #total()} counts them all.
 * {@snippet :
 * ValidationReport report = expectations.validate(data);
 * if (!report.isValid()) {
 *     System.err.println(report);       // one line per violation
 * }
 * report.throwIfInvalid();              // DataValidationException naming each violation
 * }
 *
 * @param source     the data checked, for messages
 * @param rows       rows checked
 * @param violations violations, at most {@value #MAX_LISTED}
 * @param total      how many there are in all
 */
public record ValidationReport(String source, long rows, List<Violation> violations, long total) {
    /** The most violations listed. */
    public static final int MAX_LISTED = 1000;

    /** Copies. */
    public ValidationReport {
        Objects.requireNonNull(source, "source");
        violations = List.copyOf(violations);
    }

    /** @return whether nothing was violated */
    public boolean isValid() {
        return total == 0;
    }

    /**
     * @throws DataValidationException listing every violation when there is one
     */
    public void throwIfInvalid() {
        if (!isValid()) {
            throw new DataValidationException(this);
        }
    }

    /** @return "valid" or the count and one line per violation */
    @Override
    public String toString() {
        if (isValid()) {
            return source + ": " + org.mlops4j.core.internal.Names.count(rows, "row") + (rows == 1 ? " meets" : " meet") + " the expectations";
        }
        StringBuilder b = new StringBuilder(source).append(": ").append(total).append(" violation").append(total == 1 ? "" : "s")
                .append(" of the expectations in ").append(org.mlops4j.core.internal.Names.count(rows, "row"));
        for (Violation v : violations) {
            b.append("\n  ").append(v.message());
        }
        if (total > violations.size()) {
            b.append("\n  … and ").append(total - violations.size()).append(" more");
        }
        return b.toString();
    }
}
