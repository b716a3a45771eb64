package org.mlops4j.core.data;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.mlops4j.core.MlopsException;
import org.mlops4j.core.internal.Names;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A CSV file as a {@link DataSource}: RFC 4180 quoting, any single-character separator, optional
 * header, gzip (detected from the file's first bytes), leading lines to skip, declared or inferred
 * column types. Immutable: every option returns a new {@code Csv}.
 *
 * <p>Column types not declared are inferred: a column is numeric when every present value is a finite
 * decimal number, categorical when most values are not numbers. A column where most values are numbers
 * but one is not (a typo, {@code NaN}, {@code inf}) is an error naming that line, not a silent switch
 * to categorical; declare such a column with {@link #categorical} if it really is text.
 * Cells are stripped of surrounding spaces. Empty cells and {@code NA} are missing values
 * ({@link #nullValues} changes that). Blank lines are skipped.
 * {@snippet :
 * // scikit-learn's copy of the Boston data starts with a count line, then a quoted header.
 * Dataset boston = Csv.file("samples/data/boston_house_prices.csv").skipLines(1).load();
 *
 * // A headerless, gzipped, space-separated file with names given here.
 * Dataset d = Csv.file("diabetes.csv.gz").header(false).separator(' ')
 *         .columnNames("age", "sex", "bmi").categorical("sex").load();
 * }
 */
public final class Csv implements DataSource {
    private final Path path;
    private final Options options;
    private final boolean header;
    private final char separator;
    private final int skipLines;
    private final List<String> columnNames;
    private final Map<String, ColumnType> declared;
    private final Set<String> nullValues;
    private final Charset charset;
    private final Clock clock;
    private final Limits limits;

    private Csv(Path path, Options options, Clock clock, Limits limits) {
        this.path = path;
        this.options = options;
        this.header = options.header();
        this.separator = options.separator();
        this.skipLines = options.skipLines();
        this.columnNames = options.columnNames();
        this.declared = options.declared();
        this.nullValues = Set.copyOf(options.nullValues());
        this.charset = Charset.forName(options.charset());
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * How much a {@link Csv} reads before it refuses the file: bytes (after decompression), the
     * decompression ratio, characters per line (a record, quoted line breaks included) and per field,
     * fields per record, and data rows; and, whatever these allow, never more than about half the free heap
     * for the parsed cells. Crossing one is an {@link InvalidDataException} that names the file, the line,
     * the limit and the option that raises it, before the heap fills: a 1.5 MB gzip bomb of one endless line,
     * an unclosed quote or 24 million rows is refused in about a second, not ended by an
     * {@code OutOfMemoryError}. The defaults are generous for real files; they are not part of the recipe
     * ({@link Options}), so raising one changes no version. Immutable.
     * {@snippet :
     * Dataset big = Csv.file("events.csv.gz")
     *         .limits(Csv.Limits.DEFAULTS.maxRows(200_000_000L).maxBytes(64L << 30))
     *         .load();
     * }
     *
     * @param maxBytes            most bytes read, after decompression (default 4 GiB)
     * @param maxCompressionRatio most decompressed bytes per compressed byte, checked past the first MiB (default 500)
     * @param maxLineChars        most characters in one line or record (default 4 Mi)
     * @param maxFieldChars       most characters in one field (default 1 Mi)
     * @param maxColumns          most fields in one record (default 10,000)
     * @param maxRows             most data rows (default 100 million)
     */
    public record Limits(long maxBytes, double maxCompressionRatio, int maxLineChars, int maxFieldChars, int maxColumns, long maxRows) {
        /** The defaults of every {@link Csv}. */
        public static final Limits DEFAULTS = new Limits(4L << 30, 500, 4 << 20, 1 << 20, 10_000, 100_000_000L);

        /** Validates. */
        public Limits {
            if (maxBytes < 1 || maxLineChars < 1 || maxFieldChars < 1 || maxColumns < 1 || maxRows < 1) {
                throw new IllegalArgumentException("CSV limits must be >= 1 but were " + maxBytes + " bytes, " + maxLineChars
                        + " characters per line, " + maxFieldChars + " per field, " + maxColumns + " columns, " + maxRows + " rows");
            }
            if (!(maxCompressionRatio >= 1)) {
                throw new IllegalArgumentException("maxCompressionRatio must be >= 1 but was " + maxCompressionRatio);
            }
        }

        /**
         * @param n most bytes read, after decompression
         * @return the changed limits
         */
        public Limits maxBytes(long n) {
            return new Limits(n, maxCompressionRatio, maxLineChars, maxFieldChars, maxColumns, maxRows);
        }

        /**
         * @param ratio most decompressed bytes per compressed byte (checked past the first MiB)
         * @return the changed limits
         */
        public Limits maxCompressionRatio(double ratio) {
            return new Limits(maxBytes, ratio, maxLineChars, maxFieldChars, maxColumns, maxRows);
        }

        /**
         * @param n most characters in one line or record
         * @return the changed limits
         */
        public Limits maxLineChars(int n) {
            return new Limits(maxBytes, maxCompressionRatio, n, maxFieldChars, maxColumns, maxRows);
        }

        /**
         * @param n most characters in one field
         * @return the changed limits
         */
        public Limits maxFieldChars(int n) {
            return new Limits(maxBytes, maxCompressionRatio, maxLineChars, n, maxColumns, maxRows);
        }

        /**
         * @param n most fields in one record
         * @return the changed limits
         */
        public Limits maxColumns(int n) {
            return new Limits(maxBytes, maxCompressionRatio, maxLineChars, maxFieldChars, n, maxRows);
        }

        /**
         * @param n most data rows
         * @return the changed limits
         */
        public Limits maxRows(long n) {
            return new Limits(maxBytes, maxCompressionRatio, maxLineChars, maxFieldChars, maxColumns, n);
        }
    }

    /**
     * @param l how much to read before refusing the file; default {@link Limits#DEFAULTS}
     * @return the changed source
     */
    public Csv limits(Limits l) {
        return new Csv(path, options, clock, Objects.requireNonNull(l, "limits"));
    }

    /** @return the read limits */
    public Limits limits() {
        return limits;
    }

    /**
     * How a {@link Csv} reads its file: everything that decides what data comes out, recorded as it is in
     * {@code pipeline.json}. Immutable; validated like the {@code Csv} methods that set each option.
     * {@snippet :
     * Csv.Options o = Csv.file("prices.csv").skipLines(1).options();
     * o.skipLines();  // 1
     * }
     *
     * @param header      whether the first line (after skipped lines) names the columns
     * @param separator   the field separator
     * @param skipLines   physical lines to skip first
     * @param columnNames names given to the columns (required without a header), else empty
     * @param declared    declared column types
     * @param nullValues  cell texts that mean "missing", sorted
     * @param charset     the file's encoding (a canonical charset name)
     */
    public record Options(boolean header, char separator, int skipLines, List<String> columnNames,
                          Map<String, ColumnType> declared, List<String> nullValues, String charset) {

        /** The defaults of {@link Csv#file(Path)}: a header, comma, nothing skipped, empty and {@code NA} missing, UTF-8. */
        public static final Options DEFAULTS = new Options(true, ',', 0, List.of(), Map.of(), List.of("", "NA"), "UTF-8");

        /** Validates every option. */
        public Options {
            if (separator == '"' || separator == '\n' || separator == '\r') {
                throw new IllegalArgumentException("separator must not be a quote or line break but was '" + separator + "'");
            }
            if (skipLines < 0) {
                throw new IllegalArgumentException("skipLines must be >= 0 but was " + skipLines);
            }
            columnNames = List.copyOf(columnNames);
            if (new LinkedHashSet<>(columnNames).size() != columnNames.size()) {
                throw new IllegalArgumentException("column names must be unique but were " + columnNames);
            }
            for (String n : columnNames) {
                if (n.isBlank()) {
                    throw new IllegalArgumentException("column names must not be blank but were " + columnNames);
                }
            }
            declared = Collections.unmodifiableMap(new LinkedHashMap<>(declared));
            nullValues = nullValues.stream().sorted().distinct().toList();
            Objects.requireNonNull(charset, "charset");
            try {
                charset = Charset.forName(charset).name();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown charset '" + charset + "'", e);
            }
        }

        Options header(boolean h) {
            return new Options(h, separator, skipLines, columnNames, declared, nullValues, charset);
        }

        Options separator(char c) {
            return new Options(header, c, skipLines, columnNames, declared, nullValues, charset);
        }

        Options skipLines(int n) {
            return new Options(header, separator, n, columnNames, declared, nullValues, charset);
        }

        Options columnNames(List<String> names) {
            return new Options(header, separator, skipLines, names, declared, nullValues, charset);
        }

        Options declared(Map<String, ColumnType> d) {
            return new Options(header, separator, skipLines, columnNames, d, nullValues, charset);
        }

        Options nullValues(List<String> values) {
            return new Options(header, separator, skipLines, columnNames, declared, values, charset);
        }

        Options charset(String cs) {
            return new Options(header, separator, skipLines, columnNames, declared, nullValues, cs);
        }
    }

    /**
     * @param path the file; gzip is detected from its content
     * @return a source with a header line, comma separator, UTF-8
     */
    public static Csv file(Path path) {
        return new Csv(Objects.requireNonNull(path, "path"), Options.DEFAULTS, Clock.systemUTC(), Limits.DEFAULTS);
    }

    /**
     * @param path the file, as a string path
     * @return a source with a header line, comma separator, UTF-8
     */
    public static Csv file(String path) {
        return file(Path.of(Objects.requireNonNull(path, "path")));
    }

    /**
     * @param all every reading option at once (as recorded in {@code pipeline.json})
     * @return the changed source
     */
    public Csv options(Options all) {
        return new Csv(path, Objects.requireNonNull(all, "options"), clock, limits);
    }

    /** @return every reading option */
    public Options options() {
        return options;
    }

    /**
     * @param hasHeader whether the first line (after skipped lines) names the columns; default true
     * @return the changed source
     */
    public Csv header(boolean hasHeader) {
        return new Csv(path, options.header(hasHeader), clock, limits);
    }

    /**
     * @param sep the field separator; default {@code ,}
     * @return the changed source
     */
    public Csv separator(char sep) {
        return new Csv(path, options.separator(sep), clock, limits);
    }

    /**
     * @param lines how many physical lines to skip before the header (or the first row); default 0
     * @return the changed source
     */
    public Csv skipLines(int lines) {
        return new Csv(path, options.skipLines(lines), clock, limits);
    }

    /**
     * Names the columns: required for a file without header, and replaces the header's names otherwise.
     *
     * @param names one name per column
     * @return the changed source
     */
    public Csv columnNames(String... names) {
        return new Csv(path, options.columnNames(List.of(names)), clock, limits);
    }

    /**
     * @param names columns that must hold numbers; any other value is an error naming its line
     * @return the changed source
     */
    public Csv numeric(String... names) {
        return declare(ColumnType.NUMERIC, names);
    }

    /**
     * @param names columns to read as text categories, even if they look like numbers
     * @return the changed source
     */
    public Csv categorical(String... names) {
        return declare(ColumnType.CATEGORICAL, names);
    }

    private Csv declare(ColumnType type, String... names) {
        Map<String, ColumnType> d = new LinkedHashMap<>(declared);
        for (String n : names) {
            ColumnType before = d.put(Objects.requireNonNull(n, "column name"), type);
            if (before != null && before != type) {
                throw new IllegalArgumentException("column '" + n + "' is already declared " + before);
            }
        }
        return new Csv(path, options.declared(d), clock, limits);
    }

    /**
     * @param values cell texts (after stripping spaces) that mean "missing"; default {@code ""} and {@code NA}
     * @return the changed source
     */
    public Csv nullValues(String... values) {
        return new Csv(path, options.nullValues(List.of(values)), clock, limits);
    }

    /**
     * @param cs the file's encoding; default UTF-8 (a byte-order mark is skipped)
     * @return the changed source
     */
    public Csv charset(Charset cs) {
        return new Csv(path, options.charset(Objects.requireNonNull(cs).name()), clock, limits);
    }

    /**
     * @param c the clock that stamps the load time (tests inject a fixed one)
     * @return the changed source
     */
    public Csv clock(Clock c) {
        return new Csv(path, options, Objects.requireNonNull(c), limits);
    }

    /** @return the file */
    public Path path() {
        return path;
    }

    /** @return the file's URI ({@code file:///…}): the same spelling as the data set's version and lineage */
    @Override
    public String describe() {
        return uri(path);
    }

    static String uri(Path file) {
        return file.toAbsolutePath().normalize().toUri().toString();
    }

    /** Two sources are equal when they read the same path with the same options (the clock does not count). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Csv c && c.path.equals(path) && c.options.equals(options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, options);
    }

    @Override
    public String toString() {
        return "Csv[" + path + ", header=" + header + ", separator='" + separator + "', skipLines=" + skipLines
                + (declared.isEmpty() ? "" : ", declared=" + declared) + "]";
    }

    @Override
    public Dataset load() {
        String src = path.toString();
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new MlopsException("cannot read " + src + ": no such file (looked at " + path.toAbsolutePath() + ")", e);
        } catch (IOException e) {
            throw new MlopsException("cannot read " + src + ": " + e.getMessage(), e);
        }
        if (Files.isDirectory(path)) {
            throw new MlopsException("cannot read " + src + ": it is a directory; expected a CSV file");
        }
        try (InputStream file = Files.newInputStream(path)) {
            CsvGuard.Counting counted = new CsvGuard.Counting(file, src, Long.MAX_VALUE, null, 1);
            // Small buffers under the decompressor: the compressed count stays close to what was inflated, so the
            // ratio guard trips within a few MiB of a bomb.
            InputStream raw = new BufferedInputStream(counted, 4096);
            InputStream in = maybeGunzip(raw, src);
            InputStream limited = new CsvGuard.Counting(in, src, limits.maxBytes(), in == raw ? null : counted, limits.maxCompressionRatio());
            BufferedReader reader = new BufferedReader(new CsvGuard.Lexer(new InputStreamReader(limited, charset), src, limits,
                    separator, skipLines), 1 << 16);
            return parse(reader, src, size);
        } catch (IOException | UncheckedIOException e) {
            throw new MlopsException("cannot read " + src + ": " + e.getMessage(), e);
        }
    }

    private static InputStream maybeGunzip(InputStream raw, String src) throws IOException {
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            try {
                return new GZIPInputStream(raw, 4096);
            } catch (IOException e) {
                throw new InvalidDataException(src + ": starts like a gzip file but is not a valid one: " + e.getMessage(),
                        src, null, null, null, e);
            }
        }
        return raw;
    }

    private Dataset parse(BufferedReader reader, String src, long size) throws IOException {
        // Skip physical lines first: count lines (like the scikit-learn files' "506,13,,..." line) need not
        // have the data's shape.
        long line = 0;
        for (int i = 0; i < skipLines; i++) {
            if (reader.readLine() == null) {
                throw new InvalidDataException(src + " is empty after skipping " + i + " of " + skipLines
                        + " lines; expected " + (header ? "a header line and " : "") + "data rows",
                        src, null, null, null, null);
            }
            line++;
        }
        skipBom(reader);
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(separator)
                .setIgnoreEmptyLines(false)
                .setIgnoreSurroundingSpaces(false)
                .get();
        List<String> names = null;
        List<String[]> cells = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        Runtime rt = Runtime.getRuntime();
        long heapBudget = (rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) / 2;
        long heapCells = 0;
        try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            Iterator<CSVRecord> it = parser.iterator();
            while (true) {
                long recordLine = line + parser.getCurrentLineNumber() + 1;
                CSVRecord rec;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    rec = it.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    String why = e.getMessage() != null && e.getMessage().contains("EOF reached before encapsulated token finished")
                            ? "a quoted field is not closed; expected a closing '\"' before the end of the file"
                            : "malformed CSV: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                    throw new InvalidDataException(src + " line " + recordLine + ": " + why, src, recordLine, null, null, e);
                }
                if (rec.size() == 1 && rec.get(0).isBlank()) {
                    continue; // blank line
                }
                if (names == null && header) {
                    names = headerNames(rec, src, recordLine);
                    continue;
                }
                if (names == null) {
                    names = defaultNames(rec.size());
                }
                if (rec.size() != names.size()) {
                    throw new InvalidDataException(src + " line " + recordLine + ": expected " + names.size()
                            + " fields but found " + rec.size() + " (separator '" + separator + "')",
                            src, recordLine, null, null, null);
                }
                String[] row = new String[rec.size()];
                for (int i = 0; i < row.length; i++) {
                    String s = rec.get(i).strip();
                    row[i] = nullValues.contains(s) ? null : s;
                }
                cells.add(row);
                lines.add(recordLine);
                if (cells.size() > limits.maxRows()) {
                    throw CsvGuard.crossed(src, recordLine, "more than " + limits.maxRows() + " data rows (Csv.Limits.maxRows)",
                            "maxRows(" + limits.maxRows() * 10 + "L)");
                }
                heapCells += 64 + 4L * row.length;
                for (String cell : row) {
                    heapCells += cell == null ? 0 : 48 + cell.length();
                }
                if ((cells.size() & 1023) == 0 && heapCells > heapBudget) {
                    throw new InvalidDataException(src + " line " + recordLine + ": the parsed cells already take about "
                            + (heapCells >> 20) + " MiB, half the heap this JVM has left (-Xmx " + (Runtime.getRuntime().maxMemory() >> 20)
                            + " MiB); give the JVM more heap (-Xmx) or read fewer rows (Csv.Limits.maxRows)",
                            src, recordLine, null, null, null);
                }
            }
        }
        if (names == null) {
            throw new InvalidDataException(src + " is empty" + (skipLines > 0 ? " after skipping " + skipLines + " lines" : "")
                    + "; expected " + (header ? "a header line and " : "") + "data rows", src, null, null, null, null);
        }
        if (cells.isEmpty()) {
            throw new InvalidDataException(src + " has a header " + names + " but no data rows", src, null, null, null, null);
        }
        for (String d : declared.keySet()) {
            if (!names.contains(d)) {
                throw new SchemaMismatchException("column '" + d + "' declared " + declared.get(d) + " is not in " + src
                        + "; columns are " + names);
            }
        }
        long[] lineArray = lines.stream().mapToLong(Long::longValue).toArray();
        List<Column> columns = new ArrayList<>(names.size());
        for (int c = 0; c < names.size(); c++) {
            columns.add(toColumn(src, names.get(c), c, cells, lineArray));
        }
        return new Dataset(src, uri(path), columns, lineArray, size, clock.instant()).readBy(this);
    }

    /** A line for a message: at most 60 characters, then an ellipsis. */
    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 60) + "…";
    }

    private static void skipBom(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != 0xFEFF) {
            reader.reset();
        }
    }

    private List<String> headerNames(CSVRecord rec, String src, long recordLine) {
        if (!columnNames.isEmpty()) {
            if (columnNames.size() != rec.size()) {
                throw new InvalidDataException(src + " line " + recordLine + ": the header has " + rec.size()
                        + " fields but " + columnNames.size() + " column names were given: " + columnNames,
                        src, recordLine, null, null, null);
            }
            return columnNames;
        }
        List<String> names = new ArrayList<>(rec.size());
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < rec.size(); i++) {
            String n = rec.get(i).strip();
            if (n.isEmpty()) {
                boolean preamble = rec.stream().anyMatch(Csv::looksNumeric);
                throw new InvalidDataException(src + " line " + recordLine + ": header field " + (i + 1)
                        + " is empty; expected a column name (or give names with columnNames(...))"
                        + (preamble ? "; the line reads '" + abbreviate(String.join(String.valueOf(separator), rec.toList()))
                                + "', like a count line before the header: skip it with skipLines(" + (skipLines + 1) + ")"
                                : ""),
                        src, recordLine, null, "", null);
            }
            if (!seen.add(n)) {
                throw new InvalidDataException(src + " line " + recordLine + ": column name '" + n
                        + "' appears twice in the header; expected unique names", src, recordLine, n, n, null);
            }
            names.add(n);
        }
        if (names.size() == 1) {
            for (char other : new char[] {';', '\t', '|'}) {
                String[] parts = names.get(0).split(java.util.regex.Pattern.quote(String.valueOf(other)), -1);
                if (other != separator && parts.length >= 2 && java.util.Arrays.stream(parts).noneMatch(x -> x.isBlank())) {
                    String shown = other == '\t' ? "\\t" : String.valueOf(other);
                    throw new InvalidDataException(src + " line " + recordLine + ": the header is one field '" + names.get(0)
                            + "' holding " + parts.length + " names separated by '" + shown + "', but the file is read with"
                            + " separator '" + separator + "'; read it with separator('" + shown + "') (or give the name with"
                            + " columnNames(...) if it really is one column)", src, recordLine, null, names.get(0), null);
                }
            }
        }
        if (names.stream().allMatch(Csv::looksNumeric)) {
            throw new InvalidDataException(src + " line " + recordLine + ": the header holds only numbers ("
                    + String.join(", ", names.subList(0, Math.min(4, names.size()))) + (names.size() > 4 ? ", …" : "")
                    + "): the file probably has no header line, and its first row would become the column names;"
                    + " read it with header(false).columnNames(...), or give the names with columnNames(...) if this"
                    + " line really is the header", src, recordLine, null, names.get(0), null);
        }
        return names;
    }

    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** A header field that reads as a number ({@code 14.23}, {@code -1}, {@code 1e3}) is probably data. */
    private static boolean looksNumeric(String field) {
        return NUMBER.matcher(field).matches();
    }

    private List<String> defaultNames(int fields) {
        if (!columnNames.isEmpty()) {
            return columnNames;
        }
        List<String> names = new ArrayList<>(fields);
        for (int i = 0; i < fields; i++) {
            names.add("c" + i);
        }
        return names;
    }

    private Column toColumn(String src, String name, int c, List<String[]> cells, long[] lines) {
        int n = cells.size();
        ColumnType type = declared.get(name);
        if (type == null) {
            type = infer(cells, c);
        }
        if (type == ColumnType.CATEGORICAL) {
            String[] v = new String[n];
            for (int r = 0; r < n; r++) {
                v[r] = cells.get(r)[c];
            }
            return new CategoricalColumn(name, v);
        }
        double[] v = new double[n];
        for (int r = 0; r < n; r++) {
            String s = cells.get(r)[c];
            if (s == null) {
                v[r] = Double.NaN;
                continue;
            }
            if (!Numbers.isDecimal(s)) {
                String why = Numbers.isNonFinite(s)
                        ? "is not a finite number; expected a finite decimal number, or an empty field for a missing value"
                        : "is not a number; expected a decimal number in numeric column '" + name
                        + "' (declare it with categorical(\"" + name + "\") if it holds text)";
                throw new InvalidDataException(src + " line " + lines[r] + ", column '" + name + "': '" + s + "' " + why,
                        src, lines[r], name, s, null);
            }
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new InvalidDataException(src + " line " + lines[r] + ", column '" + name + "': '" + s
                        + "' is beyond the range of a double; expected a finite number", src, lines[r], name, s, null);
            }
            v[r] = d;
        }
        return new NumericColumn(name, v);
    }

    /** Numeric when most present values look numeric; errors for the rest are raised on conversion. */
    private static ColumnType infer(List<String[]> cells, int c) {
        int present = 0;
        int numeric = 0;
        for (String[] row : cells) {
            String s = row[c];
            if (s != null) {
                present++;
                if (Numbers.isDecimal(s) || Numbers.isNonFinite(s)) {
                    numeric++;
                }
            }
        }
        return present == 0 || numeric * 2 > present ? ColumnType.NUMERIC : ColumnType.CATEGORICAL;
    }

    /** Strict number syntax: what a CSV writer emits, not Java literals ({@code 1d}, {@code 0x1p3}). */
    static final class Numbers {
        private Numbers() {
        }

        static boolean isDecimal(String s) {
            int i = 0;
            int n = s.length();
            if (n == 0) {
                return false;
            }
            if (s.charAt(0) == '+' || s.charAt(0) == '-') {
                i++;
            }
            int digits = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
            if (i < n && s.charAt(i) == '.') {
                i++;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                    digits++;
                }
            }
            if (digits == 0) {
                return false;
            }
            if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                i++;
                if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                    i++;
                }
                int exp = 0;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                    exp++;
                }
                if (exp == 0) {
                    return false;
                }
            }
            return i == n;
        }

        private static final Set<String> NON_FINITE = Set.copyOf(Arrays.asList(
                "nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"));

        static boolean isNonFinite(String s) {
            return NON_FINITE.contains(s.toLowerCase(java.util.Locale.ROOT));
        }
    }
}
