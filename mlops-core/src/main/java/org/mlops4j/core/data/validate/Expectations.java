package org.mlops4j.core.data.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.data.CategoricalColumn;
import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.ColumnType;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.data.profile.CategoricalProfile;
import org.mlops4j.core.data.profile.ColumnProfile;
import org.mlops4j.core.data.profile.DataProfile;
import org.mlops4j.core.data.profile.NumericProfile;
import org.mlops4j.core.internal.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A data contract: what every column of a batch must look like, inferred from the training profile and
 * editable in code or as JSON ({@code expectations.json}). A pipeline checks its data against them before
 * training ({@code Steps.validate}), a bundle carries them, and the predictor checks each batch before
 * scoring (it refuses, or flags and passes, as configured).
 *
 * <p>{@link #infer(DataProfile)} expects each profiled column present with its type, a missing rate at most
 * the training rate plus {@value #DEFAULT_MISSING_SLACK}, numbers inside the training range widened on each
 * side by {@value #DEFAULT_RANGE_TOLERANCE} of its span, and categories from the set seen in training (when the
 * profile lists them all). Missing rates are judged only on batches of at least {@value #MIN_ROWS_FOR_RATES}
 * rows; a single row may miss a value unless the column's bound is 0. Immutable and thread-safe.
 * {@snippet :
 * Expectations e = Expectations.infer(data.profile())
 *         .with(ColumnExpectation.numeric("RM").range(3.0, 9.0))   // edit one column
 *         .without("B");                                            // not checked
 * ValidationReport report = e.validate(data);
 * Files.write(Path.of("expectations.json"), e.toJson());
 * Expectations again = Expectations.fromJson(Files.readAllBytes(Path.of("expectations.json")), "expectations.json");
 * }
 *
 * @param columns        one expectation per column, in order
 * @param refuseUnknown  whether a column the expectations do not name is a violation
 */
public record Expectations(List<ColumnExpectation> columns, boolean refuseUnknown) {
    /** The format name of {@code expectations.json}. */
    public static final String FORMAT = "mlops4j-expectations";
    /** The format version written. */
    public static final int FORMAT_VERSION = 1;
    /** The file name in a bundle. */
    public static final String FILE = "expectations.json";
    /** Range widening on each side, as a fraction of the training span. */
    public static final double DEFAULT_RANGE_TOLERANCE = 0.1;
    /** Added to the training missing rate. */
    public static final double DEFAULT_MISSING_SLACK = 0.05;
    /** Smallest batch whose missing rates are judged. */
    public static final int MIN_ROWS_FOR_RATES = 20;

    /** Copies; one expectation per name. */
    public Expectations {
        columns = List.copyOf(columns);
        Set<String> names = new HashSet<>();
        for (ColumnExpectation c : columns) {
            Objects.requireNonNull(c, "column expectation");
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("column '" + c.name() + "' has two expectations; give one per column");
            }
        }
    }

    /**
     * @param profile a training profile
     * @return the expectations it implies, with the default tolerances
     */
    public static Expectations infer(DataProfile profile) {
        return infer(profile, DEFAULT_RANGE_TOLERANCE, DEFAULT_MISSING_SLACK);
    }

    /**
     * @param profile        a training profile
     * @param rangeTolerance widening of each numeric range on each side, as a fraction of its span (0 = exactly the
     *                       training range)
     * @param missingSlack   added to each column's training missing rate
     * @return the expectations it implies
     */
    public static Expectations infer(DataProfile profile, double rangeTolerance, double missingSlack) {
        Objects.requireNonNull(profile, "profile");
        if (!(rangeTolerance >= 0) || !Double.isFinite(rangeTolerance)) {
            throw new IllegalArgumentException("rangeTolerance must be a finite number >= 0 but was " + rangeTolerance);
        }
        if (!(missingSlack >= 0 && missingSlack <= 1)) {
            throw new IllegalArgumentException("missingSlack must be between 0 and 1 but was " + missingSlack);
        }
        List<ColumnExpectation> out = new ArrayList<>();
        for (ColumnProfile c : profile.columns()) {
            long n = c.count() + c.missing();
            double rate = n == 0 ? 0 : (double) c.missing() / n;
            double bound = Math.min(1.0, rate == 0 && missingSlack == 0 ? 0 : rate + missingSlack);
            if (c instanceof NumericProfile num) {
                ColumnExpectation e = ColumnExpectation.numeric(c.name()).maxMissingRate(bound);
                if (num.count() > 0) {
                    double span = num.max() - num.min();
                    double pad = rangeTolerance * (span > 0 ? span : Math.max(1.0, Math.abs(num.max())));
                    e = e.range(num.min() - pad, num.max() + pad);
                }
                out.add(e);
            } else {
                CategoricalProfile cat = (CategoricalProfile) c;
                ColumnExpectation e = ColumnExpectation.categorical(c.name()).maxMissingRate(bound);
                if (cat.otherCount() == 0 && cat.frequencies().size() == cat.distinct()) {
                    e = e.categories(cat.frequencies().stream().map(CategoricalProfile.CategoryCount::value).sorted().toList());
                }
                out.add(e);
            }
        }
        return new Expectations(out, false);
    }

    /**
     * @param name a column
     * @return its expectation
     * @throws IllegalArgumentException naming the columns there are when it has none
     */
    public ColumnExpectation column(String name) {
        for (ColumnExpectation c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no expectation for column '" + name + "'; expected columns are "
                + columns.stream().map(ColumnExpectation::name).toList());
    }

    /**
     * @param changed a column's new expectation (replacing the one of that name, or added at the end)
     * @return the changed expectations
     */
    public Expectations with(ColumnExpectation changed) {
        Objects.requireNonNull(changed, "changed");
        List<ColumnExpectation> out = new ArrayList<>(columns);
        boolean replaced = false;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).name().equals(changed.name())) {
                out.set(i, changed);
                replaced = true;
            }
        }
        if (!replaced) {
            out.add(changed);
        }
        return new Expectations(out, refuseUnknown);
    }

    /**
     * @param names columns not to check
     * @return the changed expectations
     */
    public Expectations without(String... names) {
        Set<String> drop = Set.of(names);
        return new Expectations(columns.stream().filter(c -> !drop.contains(c.name())).toList(), refuseUnknown);
    }

    /**
     * @param refuse whether a column the expectations do not name is a violation (default: ignored)
     * @return the changed expectations
     */
    public Expectations refuseUnknownColumns(boolean refuse) {
        return new Expectations(columns, refuse);
    }

    /**
     * Checks a batch: every violation, in column then row order.
     *
     * @param data the batch
     * @return the report
     */
    public ValidationReport validate(Dataset data) {
        return validate(data, Set.of());
    }

    /**
     * @param data   the batch
     * @param ignore columns whose expectation is not checked (a predictor ignores the label)
     * @return the report
     */
    public ValidationReport validate(Dataset data, Set<String> ignore) {
        Objects.requireNonNull(data, "data");
        Collector out = new Collector();
        int rows = data.rowCount();
        for (ColumnExpectation e : columns) {
            if (ignore.contains(e.name())) {
                continue;
            }
            if (!data.schema().contains(e.name())) {
                if (e.required()) {
                    out.add(new Violation(Violation.Rule.MISSING_COLUMN, e.name(), 0, null, data.source() + ": no column '" + e.name()
                            + "'; expected a " + e.type().lower() + " column (columns are " + data.schema().names() + ")"));
                }
                continue;
            }
            Column c = data.column(e.name());
            if (c.type() != e.type()) {
                out.add(new Violation(Violation.Rule.WRONG_TYPE, e.name(), 0, null, data.source() + ", column '" + e.name() + "': is "
                        + c.type().lower() + " but expected " + e.type().lower()));
                continue;
            }
            if (rows >= MIN_ROWS_FOR_RATES && e.maxMissingRate() > 0) {
                double rate = (double) c.missingCount() / rows;
                if (rate > e.maxMissingRate()) {
                    out.add(new Violation(Violation.Rule.MISSING_RATE, e.name(), 0, Long.toString(c.missingCount()), String.format(Locale.ROOT,
                            "%s, column '%s': %d of %d values missing (%.1f%%); expected at most %.1f%%", data.source(), e.name(),
                            c.missingCount(), rows, 100 * rate, 100 * e.maxMissingRate())));
                }
            }
            Set<String> accepted = e.categories() == null ? null : new HashSet<>(e.categories());
            for (int r = 0; r < rows; r++) {
                if (c.isMissing(r)) {
                    if (e.maxMissingRate() == 0) {
                        out.add(new Violation(Violation.Rule.MISSING_VALUE, e.name(), data.lineOf(r), null, data.origin(r) + ", column '"
                                + e.name() + "': no value; expected a " + e.type().lower() + " value (none was missing in training)"));
                    }
                    continue;
                }
                if (c instanceof NumericColumn num) {
                    double v = num.get(r);
                    if ((e.min() != null && v < e.min()) || (e.max() != null && v > e.max())) {
                        out.add(new Violation(Violation.Rule.OUT_OF_RANGE, e.name(), data.lineOf(r), Double.toString(v), data.origin(r)
                                + ", column '" + e.name() + "': " + v + " is outside the expected range [" + fmt(e.min()) + ", "
                                + fmt(e.max()) + "]"));
                    }
                } else if (accepted != null) {
                    String s = ((CategoricalColumn) c).get(r);
                    if (!accepted.contains(s)) {
                        out.add(new Violation(Violation.Rule.UNKNOWN_CATEGORY, e.name(), data.lineOf(r), s, data.origin(r) + ", column '"
                                + e.name() + "': '" + s + "' is not a category seen in training; expected one of "
                                + (e.categories().size() > 20 ? e.categories().subList(0, 20) + "… (" + e.categories().size() + ")" : e.categories())));
                    }
                }
            }
        }
        if (refuseUnknown) {
            Set<String> known = new HashSet<>();
            columns.forEach(c -> known.add(c.name()));
            for (String n : data.schema().names()) {
                if (!known.contains(n) && !ignore.contains(n)) {
                    out.add(new Violation(Violation.Rule.UNEXPECTED_COLUMN, n, 0, null, data.source() + ": column '" + n
                            + "' is not in the expectations; expected only " + known));
                }
            }
        }
        return new ValidationReport(data.source(), rows, out.listed, out.total);
    }

    private static String fmt(Double d) {
        return d == null ? "-inf" : String.format(Locale.ROOT, "%.6g", d);
    }

    private static final class Collector {
        final List<Violation> listed = new ArrayList<>();
        long total;

        void add(Violation v) {
            total++;
            if (listed.size() < ValidationReport.MAX_LISTED) {
                listed.add(v);
            }
        }
    }

    // ---- JSON ----

    /** @return {@code expectations.json}: format, version, and one object per column */
    public byte[] toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("refuseUnknownColumns", refuseUnknown);
        ArrayNode cols = root.putArray("columns");
        for (ColumnExpectation c : columns) {
            ObjectNode n = cols.addObject();
            n.put("name", c.name());
            n.put("type", c.type().lower());
            n.put("required", c.required());
            n.put("maxMissingRate", c.maxMissingRate());
            if (c.min() != null) {
                n.put("min", c.min());
            }
            if (c.max() != null) {
                n.put("max", c.max());
            }
            if (c.categories() != null) {
                ArrayNode a = n.putArray("categories");
                c.categories().forEach(a::add);
            }
        }
        return Json.write(root);
    }

    /**
     * @param file an {@code expectations.json}
     * @return the expectations it holds
     * @throws IllegalArgumentException naming the file, the column and the field when it is not valid
     */
    public static Expectations read(Path file) {
        try {
            return fromJson(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param json  what {@link #toJson()} wrote, possibly edited by hand
     * @param where names the file in messages
     * @return the expectations
     * @throws IllegalArgumentException naming where, the column and the field when it is not valid
     */
    public static Expectations fromJson(byte[] json, String where) {
        JsonNode root;
        try {
            // a key twice (the last would silently win) or anything after the object is a mistake in the file
            root = Json.mapper().reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() + " at line " + (j.getLocation() == null ? "?" : j.getLocation().getLineNr()) : e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + " must hold a JSON object with \"format\": \"" + FORMAT + "\" and \"columns\"");
        }
        String format = root.path("format").asText(null);
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(where + ": \"format\" is " + (format == null ? "missing" : "'" + format + "'")
                    + "; expected '" + FORMAT + "'");
        }
        int version = root.path("formatVersion").asInt(-1);
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IllegalArgumentException(where + " has format version " + root.path("formatVersion") + "; this mlops4j reads 1 to "
                    + FORMAT_VERSION);
        }
        known(root, where, Set.of("format", "formatVersion", "refuseUnknownColumns", "columns"));
        JsonNode cols = root.get("columns");
        if (cols == null || !cols.isArray()) {
            throw new IllegalArgumentException(where + ": \"columns\" must be an array of column expectations");
        }
        List<ColumnExpectation> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : cols) {
            String at = where + ": columns[" + i + "]";
            i++;
            if (!n.isObject()) {
                throw new IllegalArgumentException(at + " must be an object but is " + n);
            }
            JsonNode name = n.get("name");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                throw new IllegalArgumentException(at + ": \"name\" must be a column name but is " + name);
            }
            at = at + " ('" + name.asText() + "')";
            known(n, at, Set.of("name", "type", "required", "maxMissingRate", "min", "max", "categories"));
            String type = n.path("type").asText("");
            ColumnType t = switch (type) {
                case "numeric" -> ColumnType.NUMERIC;
                case "categorical" -> ColumnType.CATEGORICAL;
                default -> throw new IllegalArgumentException(at + ": \"type\" must be \"numeric\" or \"categorical\" but is " + n.get("type"));
            };
            boolean required = bool(n, "required", true, at);
            double rate = number(n, "maxMissingRate", at, 0.0);
            Double min = n.has("min") && !n.get("min").isNull() ? number(n, "min", at, 0) : null;
            Double max = n.has("max") && !n.get("max").isNull() ? number(n, "max", at, 0) : null;
            List<String> cats = null;
            JsonNode c = n.get("categories");
            if (c != null && !c.isNull()) {
                if (!c.isArray()) {
                    throw new IllegalArgumentException(at + ": \"categories\" must be an array of strings but is " + c);
                }
                cats = new ArrayList<>();
                for (JsonNode x : c) {
                    if (!x.isTextual()) {
                        throw new IllegalArgumentException(at + ": \"categories\" must hold strings but holds " + x);
                    }
                    cats.add(x.asText());
                }
            }
            try {
                out.add(new ColumnExpectation(name.asText(), t, required, rate, min, max, cats));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        try {
            return new Expectations(out, bool(root, "refuseUnknownColumns", false, where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static void known(JsonNode n, String at, Set<String> fields) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new IllegalArgumentException(at + ": unknown field \"" + f + "\"; expected " + new java.util.TreeSet<>(fields));
            }
        }
    }

    private static boolean bool(JsonNode n, String field, boolean dflt, String at) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(at + ": \"" + field + "\" must be true or false but is " + v);
        }
        return v.asBoolean();
    }

    private static double number(JsonNode n, String field, String at, double dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(at + ": \"" + field + "\" must be a number but is " + v);
        }
        return v.asDouble();
    }

    /** @return one line per column */
    @Override
    public String toString() {
        Map<String, String> m = new LinkedHashMap<>();
        columns.forEach(c -> m.put(c.name(), c.toString()));
        return "Expectations[" + String.join("; ", m.values()) + (refuseUnknown ? "; no other columns" : "") + "]";
    }
}
