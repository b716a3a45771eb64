package org.mlops4j.core.internal;

import java.util.regex.Pattern;

/**
 * Naming rules shared by the tracker, the registry and the data readers; messages say the rule and the
 * value. Internal: not an API.
 *
 * <pre>{@code
 * String key = Names.key("metric", "cv/rmse");         // returned as given
 * Names.model("model name", "house prices");           // IllegalArgumentException naming the rule and the value
 * }</pre>
 */
public final class Names {
    /** MLflow's rule for param, metric and tag keys. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-. /]{1,250}");
    /** Model names and aliases: safe as path segments and in URLs. */
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,99}");
    public static final int MAX_PARAM_VALUE = 6000;
    public static final int MAX_TAG_VALUE = 8000;
    public static final int MAX_ARTIFACT_PATH = 1000;

    private Names() {
    }

    public static String key(String kind, String key) {
        if (key == null || !KEY.matcher(key).matches() || key.startsWith("/") || key.contains("..") || key.contains("//")) {
            throw new IllegalArgumentException(kind + " key must be 1-250 characters of letters, digits, '_', '-', '.', ' ' or '/'"
                    + " (not starting with '/', without '..' or '//') but was " + quote(key));
        }
        return key;
    }

    public static String paramValue(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("param '" + key + "' needs a value, not null");
        }
        storable("param '" + key + "' value", value);
        if (value.length() > MAX_PARAM_VALUE) {
            throw new IllegalArgumentException("param '" + key + "' value must be at most " + MAX_PARAM_VALUE
                    + " characters but has " + value.length());
        }
        return value;
    }

    public static String tagValue(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("tag '" + key + "' needs a value, not null");
        }
        storable("tag '" + key + "' value", value);
        if (value.length() > MAX_TAG_VALUE) {
            throw new IllegalArgumentException("tag '" + key + "' value must be at most " + MAX_TAG_VALUE
                    + " characters but has " + value.length());
        }
        return value;
    }

    public static String experiment(String name) {
        if (name == null || name.isBlank() || name.length() > 500) {
            throw new IllegalArgumentException("experiment name must be 1-500 characters, not blank, but was " + quote(name));
        }
        return storable("experiment name", name);
    }

    public static String model(String kind, String name) {
        if (name == null || !MODEL.matcher(name).matches()) {
            throw new IllegalArgumentException(kind + " must be 1-100 characters of letters, digits, '_', '.', '-',"
                    + " starting with a letter or digit, but was " + quote(name));
        }
        return name;
    }

    public static String alias(String alias) {
        model("alias", alias);
        if (alias.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("alias must not be all digits (it would read as a version) but was '" + alias + "'");
        }
        if (alias.equals("latest")) {
            throw new IllegalArgumentException("alias 'latest' is reserved: name@latest always means the newest version");
        }
        return alias;
    }

    /**
     * Normalizes a run-relative artifact path and refuses anything that could leave the run's folder:
     * absolute paths, drive letters, backslashes, '.', '..' and empty segments, control characters and '%'
     * (so no encoded traversal reaches a store).
     */
    public static String artifactPath(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_ARTIFACT_PATH) {
            throw new IllegalArgumentException("artifact path must be 1-" + MAX_ARTIFACT_PATH + " characters but was " + quote(path));
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == '%' || c == ':') {
                throw new IllegalArgumentException("artifact path must not contain control characters, '\\', '%' or ':'"
                        + " but was " + quote(path));
            }
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("artifact path must be relative to the run but was " + quote(path));
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new IllegalArgumentException("artifact path must not have empty, '.' or '..' segments but was " + quote(path));
            }
        }
        return path;
    }

    /**
     * A count with its noun in the right number: {@code count(1, "row")} is "1 row", {@code count(3, "row")} "3 rows".
     *
     * @param n    how many
     * @param noun the singular noun (regular plural: an "s" is added; "-y" after a consonant becomes "-ies")
     * @return "n noun" or "n nouns"
     */
    public static String count(long n, String noun) {
        return n + " " + plural(n, noun);
    }

    /**
     * @param n    how many
     * @param noun the singular noun
     * @return the noun in the number {@code n} asks for, without the count
     */
    public static String plural(long n, String noun) {
        if (n == 1 || n == -1) {
            return noun;
        }
        if (noun.length() > 1 && noun.endsWith("y") && "aeiou".indexOf(noun.charAt(noun.length() - 2)) < 0) {
            return noun.substring(0, noun.length() - 1) + "ies";
        }
        return noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("ch") || noun.endsWith("sh") ? noun + "es" : noun + "s";
    }

    /**
     * @param name    a name that matched nothing
     * @param choices the names there are
     * @return {@code "; did you mean 'X'?"} for the closest choice, or "" when none is close
     */
    public static String didYouMean(String name, java.util.Collection<String> choices) {
        String c = closest(name, choices);
        return c == null ? "" : "; did you mean '" + c + "'?";
    }

    /**
     * Refuses text that no store keeps as given: a NUL character (PostgreSQL's {@code text} cannot hold one, so the
     * write would fail there and succeed on SQLite) or an unpaired UTF-16 surrogate (written as '?', a silent change).
     *
     * @param what  what the text is, for the message ("param 'lr' value")
     * @param value the text
     * @return the text
     * @throws IllegalArgumentException naming {@code what}, the character and its position
     */
    public static String storable(String what, String value) {
        String bad = unstorable(value);
        if (bad != null) {
            throw new IllegalArgumentException(what + " has " + bad + "; text must be UTF-8 without NUL");
        }
        return value;
    }

    /**
     * @param s text
     * @return what makes it unstorable (a NUL character or an unpaired surrogate, and its position), or null when nothing does
     */
    public static String unstorable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "a NUL character (\\u0000) at position " + i;
            }
            if (Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                return "an unpaired surrogate (\\u" + Integer.toHexString(c) + ") at position " + i;
            }
        }
        return null;
    }

    public static String quote(String s) {
        return s == null ? "null" : "'" + s.replace("\u0000", "\\0") + "'";
    }

    /**
     * @param name    a name that matched nothing
     * @param choices the names there are
     * @return the choice that differs least (same letters in another case first, then at most a third of the
     *     letters edited), or null when none is close
     */
    public static String closest(String name, java.util.Collection<String> choices) {
        for (String c : choices) {
            if (c.equalsIgnoreCase(name)) {
                return c;
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : choices) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(1, Math.min(name.length(), best.length()) / 3) ? best : null;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
