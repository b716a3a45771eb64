package org.mlops4j.serving.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** Turning JSON values into a column's value, with the 400 a wrong one gets. */
final class Values {
    private Values() {
    }

    /**
     * @param n         the value (null or JSON null for missing, when allowed)
     * @param where     the field, for the message
     * @param column    the column name
     * @param nullable  whether null means missing
     * @param text      whether numeric text ("6.5") is accepted
     * @return the number, NaN for missing
     */
    static double number(JsonNode n, String where, String column, boolean nullable, boolean text) {
        if (n == null || n.isNull()) {
            if (nullable) {
                return Double.NaN;
            }
            throw RequestException.badRequest(column, where + ": column '" + column + "' is null; expected a number");
        }
        if (n.isNumber()) {
            double v = n.doubleValue();
            if (!Double.isFinite(v)) {
                throw RequestException.badRequest(column, where + ": column '" + column + "' is " + shorten(n.asText())
                        + ", outside the range of a 64-bit float");
            }
            return v;
        }
        if (text && n.isTextual()) {
            String s = n.textValue().strip();
            if (s.isEmpty() && nullable) {
                return Double.NaN;
            }
            double v = decimal(s);
            if (Double.isFinite(v)) {
                return v;
            }
            throw RequestException.badRequest(column, where + ": column '" + column + "' is \"" + shorten(s) + "\"; expected a number");
        }
        throw RequestException.badRequest(column, where + ": column '" + column + "' is " + kind(n) + "; expected a number");
    }

    /**
     * @return the category (numbers as their text), null for missing
     */
    static String category(JsonNode n, String where, String column) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isIntegralNumber()) {
            return n.asText();
        }
        if (n.isNumber()) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : n.asText();
        }
        throw RequestException.badRequest(column, where + ": column '" + column + "' is " + kind(n) + "; expected a category (a string)");
    }

    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    /**
     * A number written in decimal ({@code 6.5}, {@code -1e3}), NaN for anything else. {@code Double.parseDouble}
     * alone also reads {@code 0x1p3}, {@code 1d}, {@code 1f}, {@code NaN} and {@code Infinity}, none of which a
     * client means as a value of a column.
     *
     * @param s stripped text
     * @return the value, NaN when it is not a decimal number (or is out of range)
     */
    static double decimal(String s) {
        if (s.length() > 1_000 || !DECIMAL.matcher(s).matches()) {
            return Double.NaN;
        }
        return Double.parseDouble(s);
    }

    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean (" + n.asText() + ")";
            case STRING -> "a string (\"" + shorten(n.textValue()) + "\")";
            case NUMBER -> "a number (" + shorten(n.asText()) + ")";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
