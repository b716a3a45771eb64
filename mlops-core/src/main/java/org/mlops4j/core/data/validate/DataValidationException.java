package org.mlops4j.core.data.validate;

import org.mlops4j.core.data.InvalidDataException;

/**
 * Data that breaks its expectations: before training (the pipeline fails before fitting anything) or before
 * predicting (the predictor refuses the batch; serving answers 400 naming the field). The message lists every
 * violation; {@link #report()} holds them.
 * {@snippet :
 * try {
 *     predictor.predict(Map.of("RM", 6.5e9));
 * } catch (DataValidationException e) {
 *     e.report().violations().get(0).column();   // "RM"
 * }
 * }
 */
public class DataValidationException extends InvalidDataException {
    private static final long serialVersionUID = 1L;
    private final transient ValidationReport report;

    /** @param report the violations (at least one) */
    public DataValidationException(ValidationReport report) {
        super(report.toString(), report.source(), report.violations().isEmpty() || first(report).row() == 0 ? null : first(report).row(),
                report.violations().isEmpty() ? null : first(report).column(),
                report.violations().isEmpty() ? null : first(report).value(), null);
        this.report = report;
    }

    private static Violation first(ValidationReport r) {
        return r.violations().get(0);
    }

    /** @return the violations */
    public ValidationReport report() {
        return report;
    }
}
