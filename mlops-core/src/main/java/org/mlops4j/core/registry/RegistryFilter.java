package org.mlops4j.core.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * MLflow's registry search syntax, as {@code search_registered_models} and {@code search_model_versions}
 * read it: comparisons joined by {@code AND}; {@code name}, {@code tags.<key>} (backticks or double quotes
 * around a key with other characters) with {@code = != LIKE ILIKE}; for versions also {@code run_id}
 * ({@code = != IN}), {@code source_path} ({@code = != LIKE ILIKE}) and {@code version_number}
 * ({@code = != < <= > >=}). Strings are single- or double-quoted; {@code %} and {@code _} are LIKE's
 * wildcards, LIKE is case-sensitive. Immutable.
 */
final class RegistryFilter {
    private static final int MAX_FILTER = 4000;

    enum Op { EQ, NE, LT, LE, GT, GE, LIKE, ILIKE, IN, NOT_IN }

    record Condition(String field, Op op, List<String> values) {
    }

    private final List<Condition> conditions;

    private RegistryFilter(List<Condition> conditions) {
        this.conditions = List.copyOf(conditions);
    }

    /**
     * @param filter   the filter, null or blank for everything
     * @param versions whether it filters versions (more fields) rather than models
     * @return the parsed filter
     * @throws IllegalArgumentException naming the position and what was expected
     */
    static RegistryFilter parse(String filter, boolean versions) {
        if (filter == null || filter.isBlank()) {
            return new RegistryFilter(List.of());
        }
        if (filter.length() > MAX_FILTER) {
            throw new IllegalArgumentException("filter must be at most " + MAX_FILTER + " characters but has " + filter.length());
        }
        return new RegistryFilter(new Parser(filter, versions).conditions());
    }

    /**
     * @param fields reads a field's value ({@code name}, {@code tags.k}, ...) of a candidate, or null when absent
     * @return whether every condition holds
     */
    boolean test(Function<String, String> fields) {
        for (Condition c : conditions) {
            String v = fields.apply(c.field());
            if (v == null || !holds(c, v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Condition c, String v) {
        String want = c.values().get(0);
        return switch (c.op()) {
            case EQ -> c.field().equals("version_number") ? Long.parseLong(v) == Long.parseLong(want) : v.equals(want);
            case NE -> c.field().equals("version_number") ? Long.parseLong(v) != Long.parseLong(want) : !v.equals(want);
            case LT -> Long.parseLong(v) < Long.parseLong(want);
            case LE -> Long.parseLong(v) <= Long.parseLong(want);
            case GT -> Long.parseLong(v) > Long.parseLong(want);
            case GE -> Long.parseLong(v) >= Long.parseLong(want);
            case LIKE -> like(want, false).matcher(v).matches();
            case ILIKE -> like(want, true).matcher(v).matches();
            case IN -> c.values().contains(v);
            case NOT_IN -> !c.values().contains(v);
        };
    }

    private static Pattern like(String like, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char ch = like.charAt(i);
            switch (ch) {
                case '%' -> re.append(".*");
                case '_' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
    }

    /**
     * @param orderBy  clauses such as {@code name ASC}, {@code version_number DESC}
     * @param versions for versions
     * @param fields   reads a field of a candidate
     * @param <T>      candidate type
     * @return the comparator (stable; ties keep the natural order)
     */
    static <T> Comparator<T> order(List<String> orderBy, boolean versions, Function<T, Map<String, Object>> fields) {
        Comparator<T> cmp = (a, b) -> 0;
        for (String clause : orderBy == null ? List.<String>of() : orderBy) {
            String[] parts = clause.strip().split("\\s+");
            if (parts.length == 0 || parts.length > 2 || parts[0].isEmpty()) {
                throw new IllegalArgumentException("order_by clause must be '<field> [ASC|DESC]' but was '" + clause + "'");
            }
            String field = parts[0].toLowerCase(Locale.ROOT);
            List<String> allowed = versions ? List.of("name", "version_number", "creation_timestamp", "last_updated_timestamp")
                    : List.of("name", "creation_timestamp", "last_updated_timestamp");
            if (field.equals("timestamp")) {
                field = "creation_timestamp";
            }
            if (!allowed.contains(field)) {
                throw new IllegalArgumentException("cannot order by '" + parts[0] + "'; order_by fields are " + allowed);
            }
            boolean desc = parts.length == 2 && parts[1].equalsIgnoreCase("DESC");
            if (parts.length == 2 && !desc && !parts[1].equalsIgnoreCase("ASC")) {
                throw new IllegalArgumentException("order_by direction must be ASC or DESC but was '" + parts[1] + "'");
            }
            String f = field;
            @SuppressWarnings("unchecked")
            Comparator<T> one = Comparator.comparing(t -> (Comparable<Object>) fields.apply(t).get(f));
            cmp = cmp.thenComparing(desc ? one.reversed() : one);
        }
        return cmp;
    }

    /**
     * @param offset the offset of the next page
     * @return its opaque token
     */
    static String token(long offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("registry:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param token a token from {@link #token}, or null/empty for the first page
     * @return its offset
     * @throws IllegalArgumentException for a token this registry did not issue
     */
    static int offset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith("registry:")) {
                int n = Integer.parseInt(s.substring("registry:".length()));
                if (n >= 0) {
                    return n;
                }
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw new IllegalArgumentException("invalid page_token '" + (token.length() > 64 ? token.substring(0, 64) + "..." : token)
                + "' (pass the next_page_token of the previous page)");
    }

    private static final class Parser {
        private final String s;
        private final boolean versions;
        private int pos;

        Parser(String s, boolean versions) {
            this.s = s;
            this.versions = versions;
        }

        List<Condition> conditions() {
            List<Condition> out = new ArrayList<>();
            while (true) {
                out.add(condition());
                skip();
                if (pos >= s.length()) {
                    return out;
                }
                String word = word();
                if (!word.equalsIgnoreCase("AND")) {
                    throw error("expected AND (MLflow filters have no OR) but found '" + word + "'");
                }
            }
        }

        private Condition condition() {
            skip();
            String field = field();
            skip();
            Op op = op();
            List<String> allowedOps;
            boolean numeric = field.equals("version_number");
            if (numeric) {
                allowedOps = List.of("=", "!=", "<", "<=", ">", ">=");
            } else if (field.equals("run_id")) {
                allowedOps = List.of("=", "!=", "IN", "NOT IN", "LIKE", "ILIKE");
            } else {
                allowedOps = List.of("=", "!=", "LIKE", "ILIKE");
            }
            String opText = switch (op) {
                case EQ -> "="; case NE -> "!="; case LT -> "<"; case LE -> "<="; case GT -> ">"; case GE -> ">=";
                case LIKE -> "LIKE"; case ILIKE -> "ILIKE"; case IN -> "IN"; case NOT_IN -> "NOT IN";
            };
            if (!allowedOps.contains(opText)) {
                throw error("'" + field + "' compares with " + allowedOps + ", not " + opText);
            }
            skip();
            List<String> values = new ArrayList<>();
            if (op == Op.IN || op == Op.NOT_IN) {
                expect('(');
                do {
                    skip();
                    values.add(string());
                    skip();
                } while (accept(','));
                expect(')');
            } else if (numeric) {
                int start = pos;
                while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '-')) {
                    pos++;
                }
                String n = s.substring(start, pos);
                if (n.isEmpty() && pos < s.length() && (s.charAt(pos) == '\'' || s.charAt(pos) == '"')) {
                    n = string();
                }
                try {
                    Long.parseLong(n);
                } catch (NumberFormatException e) {
                    throw error("version_number compares with a whole number but was '" + n + "'");
                }
                values.add(n);
            } else {
                values.add(string());
            }
            return new Condition(field, op, values);
        }

        private String field() {
            String head = identifier();
            String lower = head.toLowerCase(Locale.ROOT);
            if ((lower.equals("tags") || lower.equals("tag")) && accept('.')) {
                String key = pos < s.length() && (s.charAt(pos) == '`' || s.charAt(pos) == '"') ? quoted(s.charAt(pos)) : identifier();
                return "tags." + key;
            }
            List<String> fields = versions ? List.of("name", "run_id", "source_path", "version_number") : List.of("name");
            if (lower.equals("version")) {
                lower = "version_number";
            }
            if (!fields.contains(lower)) {
                throw error("unknown field '" + head + "'; " + (versions ? "version" : "model") + " filters compare " + fields
                        + " or tags.<key>");
            }
            return lower;
        }

        private String identifier() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '-')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a field name");
            }
            return s.substring(start, pos);
        }

        private Op op() {
            if (s.startsWith("!=", pos)) {
                pos += 2;
                return Op.NE;
            }
            if (s.startsWith("<=", pos)) {
                pos += 2;
                return Op.LE;
            }
            if (s.startsWith(">=", pos)) {
                pos += 2;
                return Op.GE;
            }
            if (accept('=')) {
                return Op.EQ;
            }
            if (accept('<')) {
                return Op.LT;
            }
            if (accept('>')) {
                return Op.GT;
            }
            String w = word().toUpperCase(Locale.ROOT);
            switch (w) {
                case "LIKE":
                    return Op.LIKE;
                case "ILIKE":
                    return Op.ILIKE;
                case "IN":
                    return Op.IN;
                case "NOT":
                    skip();
                    if (word().equalsIgnoreCase("IN")) {
                        return Op.NOT_IN;
                    }
                    throw error("expected IN after NOT");
                default:
                    throw error("expected a comparison (= != < <= > >= LIKE ILIKE IN) but found '" + w + "'");
            }
        }

        private String word() {
            int start = pos;
            while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private String string() {
            if (pos < s.length() && (s.charAt(pos) == '\'' || s.charAt(pos) == '"')) {
                return quoted(s.charAt(pos));
            }
            throw error("expected a quoted string");
        }

        private String quoted(char q) {
            pos++;
            StringBuilder b = new StringBuilder();
            while (pos < s.length()) {
                char ch = s.charAt(pos++);
                if (ch == q) {
                    if (pos < s.length() && s.charAt(pos) == q) { // doubled quote
                        b.append(q);
                        pos++;
                        continue;
                    }
                    return b.toString();
                }
                b.append(ch);
            }
            throw error("unterminated quoted string");
        }

        private void expect(char ch) {
            skip();
            if (!accept(ch)) {
                throw error("expected '" + ch + "'");
            }
        }

        private boolean accept(char ch) {
            if (pos < s.length() && s.charAt(pos) == ch) {
                pos++;
                return true;
            }
            return false;
        }

        private void skip() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid filter at character " + (pos + 1) + " of \"" + s + "\": " + what);
        }
    }
}
