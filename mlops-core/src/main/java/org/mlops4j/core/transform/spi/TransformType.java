package org.mlops4j.core.transform.spi;

import org.mlops4j.core.transform.FittedTransform;
import org.mlops4j.core.transform.Transform;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name under which a transform is written to files: its unfitted record in {@code pipeline.json}
 * and its fitted record in a bundle's {@code transforms.json}. Files name types only through these
 * allow-listed names, never through Java class names. Both classes must be records (or classes Jackson
 * binds) whose components are plain values: numbers, strings, enums, lists, maps, nested records.
 * {@snippet :
 * TransformType clip = TransformType.of("clip", Clip.class, Clip.Fitted.class);
 * }
 *
 * @param name   lower-case name, unique on the class path ({@code impute}, {@code clip})
 * @param spec   the unfitted transform's class
 * @param fitted the fitted step's class
 */
public record TransformType(String name, Class<? extends Transform> spec, Class<? extends FittedTransform> fitted) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.\\-]{0,63}");

    /** Validates the name. */
    public TransformType {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(fitted, "fitted");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a transform type name is 1-64 characters of lower-case letters, digits, '_', '.', '-',"
                    + " starting with a letter, but was " + (name == null ? "null" : "'" + name + "'"));
        }
    }

    /**
     * @param name   lower-case name
     * @param spec   the unfitted transform's class
     * @param fitted the fitted step's class
     * @return the type
     */
    public static TransformType of(String name, Class<? extends Transform> spec, Class<? extends FittedTransform> fitted) {
        return new TransformType(name, spec, fitted);
    }
}
