package org.mlops4j.core.tune;

import java.util.LinkedHashMap;
import java.util.Map;

/** A configuration as run params, and back: values are written as text and read by the parameter's type. */
final class Params {
    private Params() {
    }

    static Map<String, String> strings(Map<String, Object> params) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /** @return the configuration, or null when a value does not fit the space (a trial of another space) */
    @SuppressWarnings({"rawtypes"})
    static Map<String, Object> parse(Space<?> space, Map<String, String> strings) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Space.Param p : space.params()) {
            String s = strings.get(p.name());
            if (s == null) {
                continue;
            }
            try {
                Object v = switch (p) {
                    case Space.IntParam i -> Integer.parseInt(s);
                    case Space.DoubleParam d -> Double.parseDouble(s);
                    case Space.ChoiceParam c -> c.values().stream().filter(x -> String.valueOf(x).equals(s)).findFirst().orElseThrow();
                };
                out.put(p.name(), v);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return out;
    }

    /** @return the values as an integer, a number or text, whichever reads (for a study read without its space) */
    static Map<String, Object> guess(Map<String, String> strings) {
        Map<String, Object> out = new LinkedHashMap<>();
        new java.util.TreeMap<>(strings).forEach((k, s) -> {
            Object v = s;
            if (s.matches("-?\\d{1,9}")) {
                v = Integer.parseInt(s);
            } else {
                try {
                    v = Double.parseDouble(s);
                } catch (NumberFormatException text) {
                    // stays text
                }
            }
            out.put(k, v);
        });
        return out;
    }
}
