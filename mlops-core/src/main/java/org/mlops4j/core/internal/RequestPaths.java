package org.mlops4j.core.internal;

import java.util.Locale;

/**
 * The one spelling of a request path that mlops4j's HTTP servers (the MLflow-compatible tracking server,
 * serving) accept, checked on the path exactly as the client sent it (still percent-encoded, before an HTTP
 * library resolves or strips anything): the route and the token decision are then taken on a path that has
 * no second reading. Refused: dot segments ({@code .} and {@code ..}, raw or as {@code %2e}), path
 * parameters ({@code ;}), empty segments ({@code //}), encoded slashes and backslashes ({@code %2f},
 * {@code %5c}), raw backslashes, and encoded NUL and control characters. A trailing slash is left to the
 * route. Stateless and thread-safe. Internal: not an API.
 * {@snippet :
 * String ok = org.mlops4j.core.internal.RequestPaths.problem("/v2/models/house-prices/ready"); // null: canonical
 * String dots = org.mlops4j.core.internal.RequestPaths.problem("/v2/health/../../metrics");  // "the path has a '..' segment ..."
 * String param = org.mlops4j.core.internal.RequestPaths.problem("/metrics;jsessionid=1");    // "the path has a ';' ..."
 * }
 */
public final class RequestPaths {
    private RequestPaths() {
    }

    /**
     * @param rawPath the path of the request target as sent (percent-encoded, without the query); null reads as "/"
     * @return null when the path is canonical, else what is wrong with it, for a 400 answer
     */
    public static String problem(String rawPath) {
        String p = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (p.charAt(0) != '/') {
            return "the path must start with '/'";
        }
        if (p.indexOf(';') >= 0) {
            return "the path has a ';' (a path parameter); this server takes no path parameters: send the path without it";
        }
        if (p.indexOf('\\') >= 0) {
            return "the path has a backslash; separate segments with '/'";
        }
        String lower = p.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c")) {
            return "the path has an encoded '/' or '\\' (%2F, %5C) inside a segment; a segment cannot contain one";
        }
        for (int i = lower.indexOf('%'); i >= 0; i = lower.indexOf('%', i + 1)) {
            if (i + 2 < lower.length() && (lower.charAt(i + 1) == '0' || lower.charAt(i + 1) == '1' || lower.startsWith("7f", i + 1))) {
                return "the path has an encoded control character (" + p.substring(i, i + 3) + ")";
            }
        }
        int start = 1;
        while (start <= p.length()) {
            int end = p.indexOf('/', start);
            if (end < 0) {
                end = p.length();
            }
            String segment = lower.substring(start, end).replace("%2e", ".");
            if (segment.equals(".") || segment.equals("..")) {
                return "the path has a '" + segment + "' segment; send the path it stands for (this server resolves no dot segments)";
            }
            if (segment.isEmpty() && end < p.length()) {
                return "the path has an empty segment ('//')";
            }
            start = end + 1;
        }
        return null;
    }
}
