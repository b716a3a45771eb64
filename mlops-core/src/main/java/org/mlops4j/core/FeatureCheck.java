package org.mlops4j.core;

import java.util.List;

/** The last check before the model: every feature numeric and present. Messages say what to add. */
final class FeatureCheck {
    private FeatureCheck() {
    }

    /**
     * @param hint     what the user should do about a missing value ("add Impute..." in training)
     * @param training whether this is training data (a column without any value is then its own error)
     */
    static void requireReady(Dataset d, String hint, boolean training) {
        if (d.columnCount() == 0) {
            throw new SchemaMismatchException("no feature columns are left in " + d.source()
                    + " after the transforms; keep at least one column besides the label");
        }
        for (Column c : d.columns()) {
            if (c instanceof CategoricalColumn) {
                throw new SchemaMismatchException("column '" + c.name() + "' of " + d.source()
                        + " is categorical; encode it with OneHot.columns(\"" + c.name() + "\") or drop it before training");
            }
            if (training && c.missingCount() == c.size()) {
                throw new DataFormatException("column '" + c.name() + "' of " + d.source() + " has no value in any of its "
                        + c.size() + " rows; drop it (.drop(\"" + c.name() + "\")) or give it values",
                        d.source(), null, c.name(), null, null);
            }
            if (c.missingCount() > 0) {
                int r = 0;
                while (!c.isMissing(r)) {
                    r++;
                }
                throw new DataFormatException(d.origin(r) + ": no value for column '" + c.name() + "' ("
                        + c.missingCount() + " of " + c.size() + " rows are missing); " + hint,
                        d.source(), d.lineOf(r), c.name(), null, null);
            }
        }
    }

    /** Reorders to the model's features; a column the model needs and the data lacks is an error. */
    static Dataset align(Dataset d, List<String> features) {
        d.schema().requireColumns(features, "the model (after the transforms)");
        return d.select(features);
    }
}
