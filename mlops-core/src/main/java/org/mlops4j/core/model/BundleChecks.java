package org.mlops4j.core.model;

import org.mlops4j.core.data.ColumnType;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Schema;
import org.mlops4j.core.data.profile.CategoricalProfile;
import org.mlops4j.core.data.profile.ColumnProfile;
import org.mlops4j.core.data.profile.DataProfile;
import org.mlops4j.core.data.profile.NumericProfile;
import org.mlops4j.core.transform.FittedTransform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks that a manifest agrees with the bundle's other files, and the input ranges it records. */
final class BundleChecks {
    private BundleChecks() {
    }

    /**
     * {@code input-example.json} must be a JSON array of 1 to 100 objects whose keys are input columns (or the label).
     */
    static void inputExample(byte[] json, BundleManifest m, String where) {
        String at = where + ": " + ModelBundle.INPUT_EXAMPLE;
        com.fasterxml.jackson.databind.JsonNode n;
        try {
            n = org.mlops4j.core.internal.Json.mapper().readTree(json);
        } catch (java.io.IOException | RuntimeException e) {
            throw new BundleIntegrityException(at + " is not valid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isArray() || n.isEmpty() || n.size() > 100) {
            throw new BundleIntegrityException(at + " must be a JSON array of 1 to 100 rows but is " + ManifestCheck.kind(n));
        }
        for (int i = 0; i < n.size(); i++) {
            com.fasterxml.jackson.databind.JsonNode row = n.get(i);
            if (!row.isObject()) {
                throw new BundleIntegrityException(at + ": row " + (i + 1) + " must be a JSON object but is " + ManifestCheck.kind(row));
            }
            for (java.util.Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!m.inputSchema().contains(k) && !k.equals(m.label())) {
                    throw new BundleIntegrityException(at + ": row " + (i + 1) + " has '" + k + "', which is not an input column");
                }
            }
        }
    }

    /** @return per raw input column, the range of its training profile */
    static Map<String, BundleManifest.Range> ranges(Schema inputSchema, DataProfile profile) {
        Map<String, BundleManifest.Range> out = new LinkedHashMap<>();
        for (ColumnProfile c : profile.columns()) {
            if (!inputSchema.contains(c.name())) {
                continue;
            }
            if (c instanceof NumericProfile n && n.count() > 0 && Double.isFinite(n.min()) && Double.isFinite(n.max())) {
                out.put(c.name(), new BundleManifest.Range(n.min(), n.max(), List.of()));
            } else if (c instanceof CategoricalProfile k) {
                out.put(c.name(), new BundleManifest.Range(null, null, k.frequencies().stream().map(CategoricalProfile.CategoryCount::value).toList()));
            }
        }
        return out;
    }

    /**
     * The profile must describe the input columns with their types, and the chain, applied to a row of the
     * input schema, must give exactly the manifest's features: a manifest whose feature list was edited
     * (cut to one column, reordered, renamed) is refused instead of predicting from the wrong columns.
     */
    static void againstFiles(BundleManifest m, List<FittedTransform> chain, DataProfile profile, String where) {
        Map<String, ColumnProfile> byName = new LinkedHashMap<>();
        for (ColumnProfile c : profile.columns()) {
            byName.put(c.name(), c);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> row = new LinkedHashMap<>();
        for (Schema.Field f : m.inputSchema().fields()) {
            ColumnProfile c = byName.get(f.name());
            if (c == null) {
                throw new BundleIntegrityException(where + ": input column '" + f.name() + "' of the manifest has no profile in "
                        + ModelBundle.PROFILE + " (profiled: " + byName.keySet() + "); refusing it");
            }
            boolean numeric = c instanceof NumericProfile;
            if (numeric != (f.type() == ColumnType.NUMERIC)) {
                throw new BundleIntegrityException(where + ": input column '" + f.name() + "' is " + f.type() + " in the manifest but "
                        + (numeric ? "numeric" : "categorical") + " in " + ModelBundle.PROFILE + "; refusing it");
            }
            if (c instanceof NumericProfile n) {
                row.put(f.name(), Double.isFinite(n.mean()) ? n.mean() : 0.0);
            } else {
                CategoricalProfile k = (CategoricalProfile) c;
                row.put(f.name(), k.frequencies().isEmpty() ? null : k.frequencies().get(0).value());
            }
        }
        rows.add(row);
        List<String> produced;
        try {
            List<Schema.Field> lenient = new ArrayList<>();
            for (Schema.Field f : m.inputSchema().fields()) {
                lenient.add(new Schema.Field(f.name(), f.type(), true));
            }
            Dataset one = Dataset.fromRows("bundle check", new Schema(lenient), rows);
            produced = FittedTransform.applyAll(chain, one).schema().names();
        } catch (RuntimeException e) {
            throw new BundleIntegrityException(where + ": " + ModelBundle.TRANSFORMS + " does not apply to the manifest's inputSchema: "
                    + e.getMessage(), e);
        }
        if (!produced.equals(m.features())) {
            throw new BundleIntegrityException(where + ": the manifest's features " + m.features() + " are not what " + ModelBundle.TRANSFORMS
                    + " makes of its inputSchema " + produced + "; the manifest was edited, refusing it");
        }
    }
}
