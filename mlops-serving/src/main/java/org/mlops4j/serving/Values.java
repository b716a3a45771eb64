package org.mlops4j.serving;

/** Text helpers for messages. */
final class Values {
    private Values() {
    }

    static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
