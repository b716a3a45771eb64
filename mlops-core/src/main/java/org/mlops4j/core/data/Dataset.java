package org.mlops4j.core.data;

import org.mlops4j.core.data.Schema.Field;
import org.mlops4j.core.data.profile.CategoricalProfile;
import org.mlops4j.core.data.profile.ColumnProfile;
import org.mlops4j.core.data.profile.DataProfile;
import org.mlops4j.core.data.profile.NumericProfile;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable, columnar table with a typed {@link Schema}, a content {@link DatasetVersion} and a
 * {@link DataProfile}.
 *
 * <p>Data sets come from a {@link DataSource} ({@link Csv}, or {@link #builder(String)} for data already in
 * memory). Every derived data set ({@link #select}, {@link #drop}, {@link #rows}) is a new object; the
 * original never changes, so a {@code Dataset} is safe to share between threads. Version and profile are
 * computed on first use and cached.
 *
 * <p>Rows remember where they came from: errors about a row name the file and line
 * ({@code prices.csv line 17}), also after a split or a shuffle.
 * {@snippet :
 * Dataset data = Dataset.builder("example")
 *         .numeric("rooms", 6.5, 5.9, 7.1)
 *         .categorical("river", "yes", "no", "no")
 *         .numeric("price", 24.0, 21.6, 34.7)
 *         .build();
 * data.version().id();               // SHA-256 of schema + content
 * data.profile().column("rooms");    // count, missing, min/max, quantiles, histogram
 * Dataset features = data.drop("price");
 * }
 */
public final class Dataset {
    private final String source;
    private final String uri;
    private final Schema schema;
    private final List<Column> columns;
    private final int rows;
    /** Source line of each row (1-based), or null when rows are not from a file. */
    private final long[] lines;
    private final long sourceBytes;
    private final Instant createdAt;
    /** The versions of the data sets this one was joined from; empty for data read from one source. */
    private final List<DatasetVersion> parts;
    private volatile DatasetVersion version;
    private volatile DataProfile profile;
    /** The reader that produced exactly these rows and columns; null for data built, joined or changed since. */
    private volatile Csv loadedFrom;

    Dataset(String source, String uri, List<Column> columns, long[] lines, long sourceBytes, Instant createdAt) {
        this(source, uri, columns, lines, sourceBytes, createdAt, List.of());
    }

    private Dataset(String source, String uri, List<Column> columns, long[] lines, long sourceBytes, Instant createdAt,
                    List<DatasetVersion> parts) {
        this.parts = List.copyOf(parts);
        this.source = Objects.requireNonNull(source, "source");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.columns = List.copyOf(columns);
        List<Field> fields = new ArrayList<>(columns.size());
        int n = columns.isEmpty() ? 0 : columns.get(0).size();
        for (Column c : columns) {
            if (c.size() != n) {
                throw new IllegalArgumentException("column '" + c.name() + "' has " + c.size()
                        + " values but column '" + columns.get(0).name() + "' has " + n + "; all columns need the same length");
            }
            fields.add(new Field(c.name(), c.type(), c.missingCount() > 0));
        }
        if (lines != null && lines.length != n) {
            throw new IllegalArgumentException("line numbers: " + lines.length + " for " + n + " rows");
        }
        this.schema = new Schema(fields);
        this.rows = n;
        this.lines = lines;
        this.sourceBytes = sourceBytes;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    private Dataset derive(List<Column> newColumns, long[] newLines) {
        return new Dataset(source, uri, newColumns, newLines, -1, createdAt, parts);
    }

    /** How {@link #join} matches rows. */
    public enum Join {
        /** Only rows whose key is on both sides. */
        INNER,
        /** Every row of the left side; right-side columns are missing where its key has no match. */
        LEFT
    }

    /**
     * Joins another data set on a key column: each row of this one gets the columns of the row of
     * {@code right} with the same key. The key must be unique on the right (a left key may repeat), present
     * in every row of both, and of one type on both sides; other column names must differ. The result's
     * version records both sides' versions ({@link DatasetVersion#sources()}), and its URI names both.
     * {@snippet :
     * Dataset houses = Csv.file("houses.csv").load();
     * Dataset schools = Csv.file("schools.csv").load();
     * Dataset both = houses.join(schools, "district", Dataset.Join.LEFT);
     * both.version().sources();   // [houses.csv's version, schools.csv's version]
     * }
     *
     * @param right the other data set
     * @param key   the key column, in both
     * @param how   inner or left
     * @return the joined data set: this one's columns, then the right's without its key
     * @throws SchemaMismatchException when the key is missing or typed differently, or a column name is on both sides
     * @throws InvalidDataException    when a key is missing in a row, or repeats on the right (naming the rows)
     */
    public Dataset join(Dataset right, String key, Join how) {
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(how, "how");
        Field lf = schema.find(key).orElseThrow(() -> new SchemaMismatchException("join key '" + key + "' is not a column of "
                + source + "; columns are " + schema.names() + org.mlops4j.core.internal.Names.didYouMean(key, schema.names())));
        Field rf = right.schema.find(key).orElseThrow(() -> new SchemaMismatchException("join key '" + key
                + "' is not a column of " + right.source + "; columns are " + right.schema.names()
                + org.mlops4j.core.internal.Names.didYouMean(key, right.schema.names())));
        if (lf.type() != rf.type()) {
            throw new SchemaMismatchException("join key '" + key + "' is " + lf.type().lower() + " in " + source + " but "
                    + rf.type().lower() + " in " + right.source + "; declare it the same type on both sides");
        }
        requireDistinctColumns(right, key);
        Column lk = column(key);
        Column rk = right.column(key);
        Map<Object, Integer> index = new LinkedHashMap<>();
        for (int r = 0; r < right.rows; r++) {
            Object k = keyOf(right, rk, r, key);
            Integer before = index.putIfAbsent(k, r);
            if (before != null) {
                throw new InvalidDataException(right.origin(r) + ": key '" + key + "' = " + k + " appears again (first at "
                        + right.origin(before) + "); the right side of a join needs unique keys", right.source,
                        right.lineOf(r), key, String.valueOf(k), null);
            }
        }
        List<Integer> leftRows = new ArrayList<>();
        List<Integer> rightRows = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            Integer match = index.get(keyOf(this, lk, r, key));
            if (match != null || how == Join.LEFT) {
                leftRows.add(r);
                rightRows.add(match == null ? -1 : match);
            }
        }
        int[] li = leftRows.stream().mapToInt(Integer::intValue).toArray();
        int[] ri = rightRows.stream().mapToInt(Integer::intValue).toArray();
        List<Column> out = new ArrayList<>();
        for (Column c : columns) {
            out.add(c.rows(li));
        }
        for (Column c : right.columns) {
            if (!c.name().equals(key)) {
                out.add(rowsOrMissing(c, ri));
            }
        }
        String name = how.name().toLowerCase(Locale.ROOT) + " join of " + source + " and " + right.source + " on " + key;
        return combined(name, "join:" + how.name().toLowerCase(Locale.ROOT) + ":" + key, right, out);
    }

    /**
     * Puts another data set's columns beside this one's, row by row: for files that hold the same rows in
     * the same order (features in one, targets in another). Row counts must match and column names differ.
     * {@snippet :
     * Dataset x = Csv.file("diabetes_data.csv").load();
     * Dataset y = Csv.file("diabetes_target.csv").header(false).columnNames("progression").load();
     * Dataset both = x.beside(y);
     * }
     *
     * @param right the other data set
     * @return this one's columns, then the right's
     * @throws InvalidDataException    when the row counts differ
     * @throws SchemaMismatchException when a column name is on both sides
     */
    public Dataset beside(Dataset right) {
        Objects.requireNonNull(right, "right");
        if (right.rows != rows) {
            throw new InvalidDataException(source + " has " + rows + " rows but " + right.source + " has " + right.rows
                    + "; putting columns side by side needs the same rows in the same order (join on a key instead?)",
                    right.source, null, null, null, null);
        }
        requireDistinctColumns(right, null);
        List<Column> out = new ArrayList<>(columns);
        out.addAll(right.columns);
        return combined(source + " beside " + right.source, "beside", right, out);
    }

    private void requireDistinctColumns(Dataset right, String key) {
        for (String n : right.schema.names()) {
            if (!n.equals(key) && schema.contains(n)) {
                throw new SchemaMismatchException("column '" + n + "' is in both " + source + " and " + right.source
                        + "; drop or rename it on one side first");
            }
        }
    }

    private Dataset combined(String name, String how, Dataset right, List<Column> out) {
        List<DatasetVersion> sources = List.of(version(), right.version());
        StringBuilder u = new StringBuilder(how).append('(');
        for (DatasetVersion v : sources) {
            u.append(u.charAt(u.length() - 1) == '(' ? "" : ", ").append(v.uri()).append("@sha256:").append(v.id());
        }
        return new Dataset(name, u.append(')').toString(), out, null, -1, createdAt, sources);
    }

    private static Object keyOf(Dataset d, Column c, int r, String key) {
        Object k = c.valueAt(r);
        if (k == null) {
            throw new InvalidDataException(d.origin(r) + ": no value for the join key '" + key + "'; every row needs a key",
                    d.source, d.lineOf(r), key, null, null);
        }
        return k;
    }

    /** The column's values at the rows given, missing where the row is -1. */
    private static Column rowsOrMissing(Column c, int[] rows) {
        if (c instanceof NumericColumn n) {
            double[] v = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                v[i] = rows[i] < 0 ? Double.NaN : n.get(rows[i]);
            }
            return new NumericColumn(c.name(), v);
        }
        CategoricalColumn k = (CategoricalColumn) c;
        String[] v = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = rows[i] < 0 ? null : k.get(rows[i]);
        }
        return new CategoricalColumn(c.name(), v);
    }

    /**
     * @param source a short description of where the data comes from, used in messages and versions
     * @return a builder for a data set held in memory
     */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    /**
     * Builds a data set from rows as a user has them (for example JSON objects): values may be numbers,
     * numeric text, categories or null for missing.
     *
     * @param source description used in messages ("request", "batch-2026-11-26")
     * @param schema the expected columns; every row must fit it
     * @param rows   one map per row, from column name to value; keys not in the schema are ignored
     * @return the data set
     * @throws InvalidDataException naming the row, column and value when a value does not fit its field
     */
    public static Dataset fromRows(String source, Schema schema, List<? extends Map<String, ?>> rows) {
        int n = rows.size();
        List<Column> cols = new ArrayList<>(schema.size());
        for (Field f : schema.fields()) {
            if (f.isNumeric()) {
                double[] v = new double[n];
                for (int r = 0; r < n; r++) {
                    v[r] = toDouble(source, r, f, rows.get(r));
                }
                cols.add(new NumericColumn(f.name(), v));
            } else {
                String[] v = new String[n];
                for (int r = 0; r < n; r++) {
                    Map<String, ?> row = Objects.requireNonNull(rows.get(r), "row " + (r + 1));
                    Object o = row.get(f.name());
                    v[r] = o == null ? null : o.toString();
                    if (v[r] == null && !f.nullable()) {
                        throw missingRequired(source, r, f);
                    }
                }
                cols.add(new CategoricalColumn(f.name(), v));
            }
        }
        return new Dataset(source, "memory:" + source, cols, null, -1, Instant.now());
    }

    private static double toDouble(String source, int r, Field f, Map<String, ?> row) {
        Objects.requireNonNull(row, "row " + (r + 1));
        Object o = row.get(f.name());
        if (o == null) {
            if (!f.nullable()) {
                throw missingRequired(source, r, f);
            }
            return Double.NaN;
        }
        double d;
        if (o instanceof Number num) {
            d = num.doubleValue();
        } else if (o instanceof CharSequence cs) {
            String s = cs.toString().strip();
            if (s.isEmpty()) {
                if (!f.nullable()) {
                    throw missingRequired(source, r, f);
                }
                return Double.NaN;
            }
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new InvalidDataException(source + " row " + (r + 1) + ", column '" + f.name() + "': '" + s
                        + "' is not a number; expected a finite decimal number", source, (long) (r + 1), f.name(), s, e);
            }
        } else {
            throw new InvalidDataException(source + " row " + (r + 1) + ", column '" + f.name() + "': value " + o
                    + " of type " + o.getClass().getSimpleName() + " is not a number; expected a number or numeric text",
                    source, (long) (r + 1), f.name(), String.valueOf(o), null);
        }
        if (!Double.isFinite(d)) {
            throw new InvalidDataException(source + " row " + (r + 1) + ", column '" + f.name() + "': " + o
                    + " is not a finite number; expected a finite decimal number", source, (long) (r + 1), f.name(), String.valueOf(o), null);
        }
        return d;
    }

    private static InvalidDataException missingRequired(String source, int r, Field f) {
        return new InvalidDataException(source + " row " + (r + 1) + ": no value for column '" + f.name()
                + "'; expected a " + f.type().name().toLowerCase(Locale.ROOT) + " value", source, (long) (r + 1), f.name(), null, null);
    }

    /**
     * The reader that loaded this data set as it is, so a pipeline over the data in memory can still record where
     * it came from ({@code pipeline.json} names the file and options; a reproduction reads it again and checks its
     * version). Every derived data set ({@link #drop}, {@link #join}, a filter…) has none.
     * {@snippet :
     * Dataset data = Csv.file("prices.csv").skipLines(1).load();
     * data.loadedFrom();               // Optional[Csv[prices.csv, header=true, …]]
     * data.drop("B").loadedFrom();     // Optional.empty
     * }
     *
     * @return the {@link Csv} that read this data set, if it is unchanged since
     */
    public java.util.Optional<Csv> loadedFrom() {
        return java.util.Optional.ofNullable(loadedFrom);
    }

    /** Called by {@link Csv} on the data set it has just read. */
    Dataset readBy(Csv reader) {
        this.loadedFrom = reader;
        return this;
    }

    /** @return where the data comes from (a file path as given, or a description) */
    public String source() {
        return source;
    }

    /**
     * @return where the data comes from as a URI: {@code file:///…} for files, {@code memory:<source>} for
     *     data built in memory (recorded in the {@link DatasetVersion} and in runs)
     */
    public String uri() {
        return uri;
    }

    /** @return the typed columns */
    public Schema schema() {
        return schema;
    }

    /** @return the number of rows */
    public int rowCount() {
        return rows;
    }

    /** @return the number of columns */
    public int columnCount() {
        return columns.size();
    }

    /** @return the columns, in schema order */
    public List<Column> columns() {
        return columns;
    }

    /**
     * @param name column name
     * @return the column
     * @throws SchemaMismatchException listing the columns when there is none of that name
     */
    public Column column(String name) {
        int i = schema.indexOf(name);
        if (i < 0) {
            throw new SchemaMismatchException("unknown column '" + name + "' in " + source + "; columns are " + schema.names()
                    + org.mlops4j.core.internal.Names.didYouMean(name, schema.names()));
        }
        return columns.get(i);
    }

    /**
     * @param name column name
     * @return the column as numbers
     * @throws SchemaMismatchException when the column is missing or categorical
     */
    public NumericColumn numeric(String name) {
        Column c = column(name);
        if (c instanceof NumericColumn n) {
            return n;
        }
        throw new SchemaMismatchException("column '" + name + "' in " + source + " is categorical; a numeric column is needed here");
    }

    /**
     * @param name column name
     * @return the column as categories
     * @throws SchemaMismatchException when the column is missing or numeric
     */
    public CategoricalColumn categorical(String name) {
        Column c = column(name);
        if (c instanceof CategoricalColumn k) {
            return k;
        }
        throw new SchemaMismatchException("column '" + name + "' in " + source + " is numeric; a categorical column is needed here");
    }

    /**
     * @param names the columns to keep, in the order wanted
     * @return a data set with only those columns
     * @throws SchemaMismatchException naming unknown columns
     */
    public Dataset select(Collection<String> names) {
        schema.requireColumns(names, "select in " + source);
        List<Column> out = new ArrayList<>(names.size());
        for (String n : new LinkedHashSet<>(names)) {
            out.add(columns.get(schema.indexOf(n)));
        }
        return derive(out, lines);
    }

    /**
     * @param names the columns to keep
     * @return a data set with only those columns
     */
    public Dataset select(String... names) {
        return select(Arrays.asList(names));
    }

    /**
     * @param names the columns to remove
     * @return a data set without those columns
     * @throws SchemaMismatchException naming unknown columns
     */
    public Dataset drop(Collection<String> names) {
        schema.requireColumns(names, "drop in " + source);
        Set<String> gone = Set.copyOf(names);
        List<Column> out = new ArrayList<>(columns.size());
        for (Column c : columns) {
            if (!gone.contains(c.name())) {
                out.add(c);
            }
        }
        return derive(out, lines);
    }

    /**
     * @param names the columns to remove
     * @return a data set without those columns
     */
    public Dataset drop(String... names) {
        return drop(Arrays.asList(names));
    }

    /**
     * @param rowIndices 0-based rows in the order wanted
     * @return a data set of those rows (their source lines are kept)
     */
    public Dataset rows(int[] rowIndices) {
        for (int r : rowIndices) {
            Objects.checkIndex(r, rows);
        }
        List<Column> out = new ArrayList<>(columns.size());
        for (Column c : columns) {
            out.add(c.rows(rowIndices));
        }
        long[] newLines = null;
        if (lines != null) {
            newLines = new long[rowIndices.length];
            for (int i = 0; i < rowIndices.length; i++) {
                newLines[i] = lines[rowIndices[i]];
            }
        }
        return derive(out, newLines);
    }

    /**
     * @param replacement columns to put in place of the columns of the same name, or to append
     * @return a data set with those columns
     */
    public Dataset withColumns(List<? extends Column> replacement) {
        Map<String, Column> byName = new LinkedHashMap<>();
        for (Column c : columns) {
            byName.put(c.name(), c);
        }
        for (Column c : replacement) {
            byName.put(c.name(), c);
        }
        return derive(new ArrayList<>(byName.values()), lines);
    }

    /**
     * Replaces the whole column list, keeping rows, source and line numbers: what a transform returns.
     *
     * @param newColumns the columns, each with {@link #rowCount()} values
     * @return a data set of exactly those columns
     */
    public Dataset withColumnList(List<? extends Column> newColumns) {
        return derive(List.copyOf(newColumns), lines);
    }

    /**
     * @param row 0-based row
     * @return where the row came from, for messages: {@code "prices.csv line 17"} or {@code "example row 3"}
     */
    public String origin(int row) {
        return lines != null ? source + " line " + lines[row] : source + " row " + (row + 1);
    }

    /**
     * @param row 0-based row
     * @return the 1-based source line of the row, or its 1-based position when not from a file
     */
    public long lineOf(int row) {
        return lines != null ? lines[row] : row + 1L;
    }

    /** @return whether rows carry source line numbers (read from a file) */
    boolean hasLines() {
        return lines != null;
    }

    /**
     * The content version: SHA-256 over a canonical encoding of schema and values, so the same table
     * has the same version whatever file, path, line endings or number spelling it came from.
     *
     * @return the version (computed once)
     */
    public DatasetVersion version() {
        DatasetVersion v = version;
        if (v == null) {
            synchronized (this) {
                v = version;
                if (v == null) {
                    v = DatasetHasher.version(this, sourceBytes, createdAt, parts);
                    version = v;
                }
            }
        }
        return v;
    }

    /** @return the profile of every column (computed once) */
    public DataProfile profile() {
        DataProfile p = profile;
        if (p == null) {
            synchronized (this) {
                p = profile;
                if (p == null) {
                    List<ColumnProfile> out = new ArrayList<>(columns.size());
                    for (Column c : columns) {
                        out.add(c instanceof NumericColumn num ? NumericProfile.of(num) : CategoricalProfile.of((CategoricalColumn) c));
                    }
                    p = new DataProfile(rows, out);
                    profile = p;
                }
            }
        }
        return p;
    }

    /**
     * @param n how many rows
     * @return the first rows as a fixed-width text table, for a terminal or JShell
     */
    public String head(int n) {
        int shown = Math.min(Math.max(n, 0), rows);
        List<String[]> cells = new ArrayList<>();
        cells.add(schema.names().toArray(new String[0]));
        for (int r = 0; r < shown; r++) {
            String[] line = new String[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                Object v = columns.get(c).valueAt(r);
                line[c] = v == null ? "" : v instanceof Double d ? formatNumber(d) : v.toString();
            }
            cells.add(line);
        }
        int[] width = new int[columns.size()];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                if (c > 0) {
                    sb.append("  ");
                }
                sb.append(" ".repeat(width[c] - line[c].length())).append(line[c]);
            }
            sb.append('\n');
        }
        if (shown < rows) {
            sb.append("... ").append(rows - shown).append(" more rows\n");
        }
        return sb.toString();
    }

    static String formatNumber(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String s = String.format(Locale.ROOT, "%.6g", d);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    @Override
    public String toString() {
        return "Dataset[" + source + ", " + org.mlops4j.core.internal.Names.count(rows, "row") + " x "
                + org.mlops4j.core.internal.Names.count(columns.size(), "column") + " " + schema.fields() + "]";
    }

    /**
     * Collects columns for a data set held in memory. Mutable and single-use; each call checks its
     * arguments at once.
     * {@snippet :
     * Dataset d = Dataset.builder("toy").numeric("x", 1, 2, 3).numeric("y", 2, 4, 6).build();
     * }
     */
    public static final class Builder {
        private final String source;
        private final List<Column> columns = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder(String source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /**
         * @param name   column name
         * @param values finite values
         * @return this builder
         */
        public Builder numeric(String name, double... values) {
            return add(NumericColumn.of(name, values));
        }

        /**
         * @param name   column name
         * @param values values, null where missing
         * @return this builder
         */
        public Builder numeric(String name, List<? extends Number> values) {
            return add(NumericColumn.ofNullable(name, values));
        }

        /**
         * @param name   column name
         * @param values categories, null where missing
         * @return this builder
         */
        public Builder categorical(String name, String... values) {
            return add(CategoricalColumn.of(name, values));
        }

        /**
         * @param column a column
         * @return this builder
         */
        public Builder add(Column column) {
            Objects.requireNonNull(column, "column");
            for (Column c : columns) {
                if (c.name().equals(column.name())) {
                    throw new IllegalArgumentException("column '" + column.name() + "' was already added");
                }
            }
            if (!columns.isEmpty() && columns.get(0).size() != column.size()) {
                throw new IllegalArgumentException("column '" + column.name() + "' has " + column.size()
                        + " values but column '" + columns.get(0).name() + "' has " + columns.get(0).size());
            }
            columns.add(column);
            return this;
        }

        /**
         * @param clock the clock that stamps the data set's load time (tests inject a fixed one)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @return the data set */
        public Dataset build() {
            if (columns.isEmpty()) {
                throw new IllegalStateException("a data set needs at least one column");
            }
            return new Dataset(source, "memory:" + source, columns, null, -1, clock.instant());
        }
    }
}
