package org.mlops4j.core.tracking.spi;

import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed run filter in MLflow's search syntax (the subset below), with its reference semantics
 * ({@link #test(Run)}) that every store must reproduce, in SQL or otherwise.
 *
 * <p>Grammar: comparisons joined by {@code AND} (MLflow has no {@code OR}). The left side is
 * {@code metrics.<key>}, {@code params.<key>}, {@code tags.<key>} or {@code attributes.<name>} (also
 * {@code metric.}, {@code param.}, {@code tag.}, {@code attribute.}, {@code attr.}, {@code run.}); a key
 * with spaces or operator characters is quoted with backticks or double quotes. Metrics compare with
 * {@code = != < <= > >=} against a number; params and tags with {@code = != LIKE ILIKE} against a quoted
 * string ({@code %} and {@code _} are the LIKE wildcards, LIKE is case-sensitive); attributes are
 * {@code run_id} ({@code = != IN NOT IN}), {@code run_name} and {@code status} ({@code = != LIKE ILIKE}),
 * {@code start_time} and {@code end_time} (numeric, epoch milliseconds; {@code created} is
 * {@code start_time}). A run lacking the metric, param or tag does not match, whatever the operator; NaN
 * never matches.
 * {@snippet :
 * RunFilter f = RunFilter.parse("metrics.rmse < 3.0 and params.trees = '100'");
 * f.test(tracker.run(runId).orElseThrow());
 * }
 *
 * @param conditions the comparisons, all of which must hold (empty: every run)
 */
public record RunFilter(List<Condition> conditions) {

    /** What a condition looks at. */
    public enum Entity {
        /** The latest value of a metric. */
        METRIC,
        /** A param value. */
        PARAM,
        /** A tag value. */
        TAG,
        /** A run attribute: {@code run_id}, {@code run_name}, {@code status}, {@code start_time}, {@code end_time}. */
        ATTRIBUTE
    }

    /** Comparison operators. */
    public enum Op {
        /** Equal. */
        EQ("="),
        /** Not equal (the value must exist). */
        NE("!="),
        /** Less than. */
        LT("<"),
        /** Less than or equal. */
        LE("<="),
        /** Greater than. */
        GT(">"),
        /** Greater than or equal. */
        GE(">="),
        /** SQL LIKE, case-sensitive. */
        LIKE("LIKE"),
        /** SQL LIKE, case-insensitive. */
        ILIKE("ILIKE"),
        /** One of a list. */
        IN("IN"),
        /** None of a list. */
        NOT_IN("NOT IN");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        /** @return how the operator is written */
        public String symbol() {
            return symbol;
        }
    }

    /** Longest filter text, in characters; a longer one is refused before it is parsed. */
    public static final int MAX_FILTER_CHARS = 64 * 1024;
    /**
     * Most comparisons in one filter. Each becomes one nested {@code AND} in the store's SQL, and SQLite
     * refuses expressions nested deeper than 1,000; 100 is far more than any hand-written search.
     */
    public static final int MAX_CONDITIONS = 100;
    /** Most values in one {@code IN (...)} list. */
    public static final int MAX_IN_VALUES = 1_000;
    /** Most {@code order by} clauses in one search. */
    public static final int MAX_ORDER_BY = 16;

    /** Attribute names, canonical. */
    public static final List<String> ATTRIBUTES = List.of("run_id", "run_name", "status", "start_time", "end_time");

    /**
     * One comparison.
     *
     * @param entity what is compared
     * @param key    metric, param or tag key, or canonical attribute name
     * @param op     operator
     * @param values one value ({@link Double} for metrics and times, {@link String} otherwise); several for IN
     */
    public record Condition(Entity entity, String key, Op op, List<Object> values) {
        /** Validates and copies. */
        public Condition {
            Objects.requireNonNull(entity, "entity");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(op, "op");
            values = List.copyOf(values);
        }

        /** @return the single value */
        public Object value() {
            return values.get(0);
        }

        /** @return whether the attribute or metric compares as a number */
        public boolean numeric() {
            return entity == Entity.METRIC || isTimeAttribute(entity, key);
        }
    }

    /**
     * One sort key of {@code order by}: missing values (and NaN) sort last in both directions.
     *
     * @param entity    what is sorted on
     * @param key       metric, param or tag key, or canonical attribute name
     * @param ascending direction
     */
    public record Order(Entity entity, String key, boolean ascending) {
        /** Validates. */
        public Order {
            Objects.requireNonNull(entity, "entity");
            Objects.requireNonNull(key, "key");
        }
    }

    /** Copies. */
    public RunFilter {
        conditions = List.copyOf(conditions);
    }

    /** @return the filter that matches every run */
    public static RunFilter all() {
        return new RunFilter(List.of());
    }

    static boolean isTimeAttribute(Entity entity, String key) {
        return entity == Entity.ATTRIBUTE && (key.equals("start_time") || key.equals("end_time"));
    }

    /**
     * @param filter MLflow filter text; null or blank matches every run
     * @return the parsed filter
     * @throws IllegalArgumentException naming the position and what was expected
     */
    public static RunFilter parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return all();
        }
        if (filter.length() > MAX_FILTER_CHARS) {
            throw new IllegalArgumentException("invalid filter: it has " + filter.length() + " characters but at most "
                    + MAX_FILTER_CHARS + " are allowed (RunFilter.MAX_FILTER_CHARS)");
        }
        return new Parser(filter, "filter").filter();
    }

    /**
     * @param orderBy clauses such as {@code "metrics.rmse ASC"}, {@code "attributes.start_time DESC"}
     * @return the parsed sort keys
     * @throws IllegalArgumentException for an unknown entity, attribute or direction
     */
    public static List<Order> parseOrderBy(List<String> orderBy) {
        if (orderBy.size() > MAX_ORDER_BY) {
            throw new IllegalArgumentException("invalid order_by: " + orderBy.size() + " clauses but at most " + MAX_ORDER_BY
                    + " are allowed (RunFilter.MAX_ORDER_BY)");
        }
        List<Order> out = new ArrayList<>();
        for (String clause : orderBy) {
            if (clause == null || clause.length() > 1024) {
                throw new IllegalArgumentException("invalid order_by clause: " + (clause == null ? "null"
                        : clause.length() + " characters, at most 1024 are allowed"));
            }
            out.add(new Parser(clause, "order_by clause").order());
        }
        return List.copyOf(out);
    }

    /**
     * @param run a run
     * @return whether every condition holds for it
     */
    public boolean test(Run run) {
        for (Condition c : conditions) {
            if (!matches(c, run)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Condition c, Run run) {
        if (c.numeric()) {
            Double v = numericValue(c.entity(), c.key(), run);
            if (v == null || v.isNaN()) {
                return false;
            }
            double x = (Double) c.value();
            return switch (c.op()) {
                case EQ -> v == x;
                case NE -> v != x;
                case LT -> v < x;
                case LE -> v <= x;
                case GT -> v > x;
                case GE -> v >= x;
                default -> throw new IllegalStateException("unreachable: " + c.op());
            };
        }
        String s = stringValue(c.entity(), c.key(), run);
        if (s == null) {
            return false;
        }
        return switch (c.op()) {
            case EQ -> s.equals(c.value());
            case NE -> !s.equals(c.value());
            case LIKE -> like(s, (String) c.value(), false);
            case ILIKE -> like(s, (String) c.value(), true);
            case IN -> c.values().contains(s);
            case NOT_IN -> !c.values().contains(s);
            default -> throw new IllegalStateException("unreachable: " + c.op());
        };
    }

    /**
     * @param entity METRIC or a time attribute
     * @param key    the key
     * @param run    the run
     * @return the number, or null when absent
     */
    static Double numericValue(Entity entity, String key, Run run) {
        if (entity == Entity.METRIC) {
            Metric m = run.metrics().get(key);
            return m == null ? null : m.value();
        }
        var t = key.equals("start_time") ? run.info().startTime() : run.info().endTime();
        return t == null ? null : (double) t.toEpochMilli();
    }

    static String stringValue(Entity entity, String key, Run run) {
        return switch (entity) {
            case PARAM -> run.params().get(key);
            case TAG -> run.tags().get(key);
            case ATTRIBUTE -> switch (key) {
                case "run_id" -> run.id();
                case "run_name" -> run.info().name();
                case "status" -> run.info().status().name();
                default -> throw new IllegalStateException("unreachable: " + key);
            };
            case METRIC -> throw new IllegalStateException("unreachable");
        };
    }

    /**
     * Matches a value against a LIKE pattern in time linear in the value for each {@code %}-free segment
     * of the pattern (O(value &times; pattern) in all, never exponential: no backtracking regular expression
     * is involved, so a hostile pattern such as {@code %a%a%a%a%b} costs what a plain one does).
     * {@snippet :
     * RunFilter.like("lr-0.1-adam", "lr-%-adam", false); // true
     * RunFilter.like("LR-0.1", "lr%", true);             // true (ILIKE)
     * }
     *
     * @param value      the string tested
     * @param like       a LIKE pattern ({@code %} any run of characters, {@code _} one character, no escape character)
     * @param ignoreCase ILIKE rather than LIKE (Unicode case folding of each code point)
     * @return whether the whole value matches
     */
    public static boolean like(String value, String like, boolean ignoreCase) {
        int[] v = fold(value.codePoints().toArray(), ignoreCase);
        int[] p = fold(like.codePoints().toArray(), ignoreCase);
        // Split the pattern at '%': the first segment is anchored at the start, the last at the end, and each
        // one between is found leftmost after the previous one (leftmost is always safe for '%'-separated parts).
        List<int[]> segments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= p.length; i++) {
            if (i == p.length || p[i] == '%') {
                segments.add(java.util.Arrays.copyOfRange(p, start, i));
                start = i + 1;
            }
        }
        if (segments.size() == 1) {
            return v.length == segments.get(0).length && matchesAt(v, 0, segments.get(0));
        }
        int[] first = segments.get(0);
        int[] last = segments.get(segments.size() - 1);
        if (first.length + last.length > v.length || !matchesAt(v, 0, first) || !matchesAt(v, v.length - last.length, last)) {
            return false;
        }
        int from = first.length;
        int end = v.length - last.length;
        for (int s = 1; s < segments.size() - 1; s++) {
            int[] seg = segments.get(s);
            int found = -1;
            for (int at = from; at + seg.length <= end; at++) {
                if (matchesAt(v, at, seg)) {
                    found = at;
                    break;
                }
            }
            if (found < 0) {
                return false;
            }
            from = found + seg.length;
        }
        return true;
    }

    private static boolean matchesAt(int[] v, int at, int[] seg) {
        for (int i = 0; i < seg.length; i++) {
            if (seg[i] != '_' && seg[i] != v[at + i]) {
                return false;
            }
        }
        return true;
    }

    private static int[] fold(int[] cps, boolean ignoreCase) {
        if (ignoreCase) {
            for (int i = 0; i < cps.length; i++) {
                cps[i] = Character.toLowerCase(Character.toUpperCase(cps[i]));
            }
        }
        return cps;
    }

    /**
     * The reference order: the given keys (missing values last), then start time newest first, then run id.
     *
     * @param orders sort keys
     * @return a comparator of runs
     */
    public static Comparator<Run> comparator(List<Order> orders) {
        Comparator<Run> c = (a, b) -> 0;
        for (Order o : orders) {
            c = c.thenComparing(orderComparator(o));
        }
        return c.thenComparing((Run r) -> r.info().startTime(), Comparator.reverseOrder()).thenComparing(Run::id);
    }

    private static Comparator<Run> orderComparator(Order o) {
        boolean numeric = o.entity() == Entity.METRIC || isTimeAttribute(o.entity(), o.key());
        return (a, b) -> {
            Comparable<Object> x = sortValue(o, a, numeric);
            Comparable<Object> y = sortValue(o, b, numeric);
            if (x == null || y == null) {
                return x == null ? (y == null ? 0 : 1) : -1; // missing last in both directions
            }
            int cmp = x.compareTo(y);
            return o.ascending() ? cmp : -cmp;
        };
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> sortValue(Order o, Run run, boolean numeric) {
        if (numeric) {
            Double d = numericValue(o.entity(), o.key(), run);
            return d == null || d.isNaN() ? null : (Comparable<Object>) (Comparable<?>) d;
        }
        return (Comparable<Object>) (Comparable<?>) stringValue(o.entity(), o.key(), run);
    }

    /** Recursive-descent parser over the characters of one filter or order-by clause. */
    private static final class Parser {
        private final String text;
        private final String noun;
        private int pos;

        Parser(String text, String noun) {
            this.text = text;
            this.noun = noun;
        }

        RunFilter filter() {
            List<Condition> out = new ArrayList<>();
            while (true) {
                if (out.size() == MAX_CONDITIONS) {
                    throw new IllegalArgumentException("invalid filter: more than " + MAX_CONDITIONS
                            + " comparisons joined by AND; at most " + MAX_CONDITIONS + " are allowed (RunFilter.MAX_CONDITIONS)");
                }
                out.add(condition());
                skipSpace();
                if (pos >= text.length()) {
                    return new RunFilter(out);
                }
                String word = peekWord();
                if (word.equalsIgnoreCase("and")) {
                    pos += 3;
                    continue;
                }
                if (word.equalsIgnoreCase("or")) {
                    throw error("OR is not supported (MLflow's filter syntax joins comparisons with AND only)");
                }
                throw error("expected AND or the end of the filter");
            }
        }

        Order order() {
            skipSpace();
            int start = pos;
            Entity entity = entity();
            String key = key(entity);
            skipSpace();
            boolean ascending = true;
            String word = peekWord();
            if (word.equalsIgnoreCase("asc") || word.equalsIgnoreCase("desc")) {
                ascending = word.equalsIgnoreCase("asc");
                pos += word.length();
            } else if (!word.isEmpty()) {
                throw error("expected ASC or DESC after '" + text.substring(start, pos).strip() + "'");
            }
            skipSpace();
            if (pos < text.length()) {
                throw error("expected the end of the order-by clause");
            }
            return new Order(entity, key, ascending);
        }

        private Condition condition() {
            skipSpace();
            int start = pos;
            Entity entity = entity();
            String key = key(entity);
            String left = text.substring(start, pos).strip();
            skipSpace();
            Op op = operator(left);
            skipSpace();
            boolean numeric = entity == Entity.METRIC || isTimeAttribute(entity, key);
            List<Object> values = new ArrayList<>();
            if (op == Op.IN || op == Op.NOT_IN) {
                expect('(');
                do {
                    skipSpace();
                    if (values.size() == MAX_IN_VALUES) {
                        throw new IllegalArgumentException("invalid filter: an IN list of " + left + " holds more than "
                                + MAX_IN_VALUES + " values; at most " + MAX_IN_VALUES + " are allowed (RunFilter.MAX_IN_VALUES)");
                    }
                    values.add(string(left));
                    skipSpace();
                } while (consume(','));
                expect(')');
            } else {
                values.add(numeric ? number(left) : string(left));
            }
            check(entity, key, op, left);
            return new Condition(entity, key, op, values);
        }

        private void check(Entity entity, String key, Op op, String left) {
            List<Op> allowed = switch (entity) {
                case METRIC -> List.of(Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE);
                case PARAM, TAG -> List.of(Op.EQ, Op.NE, Op.LIKE, Op.ILIKE);
                case ATTRIBUTE -> switch (key) {
                    case "run_id" -> List.of(Op.EQ, Op.NE, Op.IN, Op.NOT_IN);
                    case "run_name", "status" -> List.of(Op.EQ, Op.NE, Op.LIKE, Op.ILIKE);
                    default -> List.of(Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE);
                };
            };
            if (!allowed.contains(op)) {
                throw new IllegalArgumentException("invalid filter '" + text + "': " + left + " does not support " + op.symbol()
                        + "; it supports " + allowed.stream().map(Op::symbol).toList());
            }
        }

        private Entity entity() {
            int start = pos;
            while (pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            String prefix = text.substring(start, pos).toLowerCase(Locale.ROOT);
            Entity e = switch (prefix) {
                case "metrics", "metric" -> Entity.METRIC;
                case "params", "param", "parameters", "parameter" -> Entity.PARAM;
                case "tags", "tag" -> Entity.TAG;
                case "attributes", "attribute", "attr", "run" -> Entity.ATTRIBUTE;
                default -> {
                    pos = start;
                    throw error("expected metrics., params., tags. or attributes. but found '" + preview() + "'");
                }
            };
            if (!consume('.')) {
                throw error("expected '.' after '" + prefix + "'");
            }
            return e;
        }

        private String key(Entity entity) {
            String key;
            if (pos < text.length() && (text.charAt(pos) == '`' || text.charAt(pos) == '"')) {
                key = quoted(text.charAt(pos));
            } else {
                int start = pos;
                while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && "=!<>(),'\"".indexOf(text.charAt(pos)) < 0) {
                    pos++;
                }
                key = text.substring(start, pos);
            }
            if (key.isEmpty()) {
                throw error("expected a key after the '.'");
            }
            if (entity == Entity.ATTRIBUTE) {
                String canonical = key.equals("created") ? "start_time" : key.equals("run_uuid") ? "run_id" : key;
                if (!ATTRIBUTES.contains(canonical)) {
                    throw new IllegalArgumentException("invalid " + noun + " '" + text + "': unknown attribute '" + key
                            + "'; searchable attributes are " + ATTRIBUTES);
                }
                return canonical;
            }
            return key;
        }

        private Op operator(String left) {
            if (pos >= text.length()) {
                throw error("expected a comparison operator after '" + left + "'");
            }
            for (String sym : List.of("!=", "<=", ">=", "=", "<", ">")) {
                if (text.startsWith(sym, pos)) {
                    pos += sym.length();
                    return switch (sym) {
                        case "!=" -> Op.NE;
                        case "<=" -> Op.LE;
                        case ">=" -> Op.GE;
                        case "=" -> Op.EQ;
                        case "<" -> Op.LT;
                        default -> Op.GT;
                    };
                }
            }
            String word = peekWord().toUpperCase(Locale.ROOT);
            switch (word) {
                case "LIKE", "ILIKE", "IN" -> {
                    pos += word.length();
                    return Op.valueOf(word);
                }
                case "NOT" -> {
                    pos += 3;
                    skipSpace();
                    if (peekWord().equalsIgnoreCase("in")) {
                        pos += 2;
                        return Op.NOT_IN;
                    }
                    throw error("expected IN after NOT (NOT LIKE is not part of MLflow's syntax)");
                }
                default -> throw error("expected a comparison operator (= != < <= > >= LIKE ILIKE IN NOT IN) after '" + left + "'");
            }
        }

        private Double number(String left) {
            int start = pos;
            if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
                pos++;
            }
            while (pos < text.length() && ((text.charAt(pos) >= '0' && text.charAt(pos) <= '9') || ".eE".indexOf(text.charAt(pos)) >= 0
                    || ((text.charAt(pos) == '-' || text.charAt(pos) == '+') && "eE".indexOf(text.charAt(pos - 1)) >= 0))) {
                pos++;
            }
            String s = text.substring(start, pos);
            try {
                if (s.isEmpty()) {
                    throw new NumberFormatException();
                }
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                pos = start;
                throw error(left + " compares with a number but found '" + preview() + "'");
            }
        }

        private String string(String left) {
            if (pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"')) {
                return quoted(text.charAt(pos));
            }
            throw error(left + " compares with a quoted string ('value') but found '" + preview() + "'");
        }

        /** Reads a quoted token; a doubled quote stands for one quote character. */
        private String quoted(char quote) {
            int start = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == quote) {
                    if (pos < text.length() && text.charAt(pos) == quote) {
                        sb.append(quote);
                        pos++;
                        continue;
                    }
                    return sb.toString();
                }
                sb.append(c);
            }
            pos = start;
            throw error("unterminated " + quote + " quote");
        }

        private String peekWord() {
            int end = pos;
            while (end < text.length() && Character.isLetter(text.charAt(end))) {
                end++;
            }
            return text.substring(pos, end);
        }

        private boolean consume(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            skipSpace();
            if (!consume(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private String preview() {
            String rest = text.substring(pos);
            return rest.length() > 20 ? rest.substring(0, 20) + "..." : rest;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid " + noun + " '" + text + "' at position " + pos + ": " + what);
        }
    }
}
