package org.mlops4j.core.pipeline.spi;

import org.mlops4j.core.data.DataSource;
import org.mlops4j.core.evaluate.Evaluator;
import org.mlops4j.core.pipeline.Step;
import org.mlops4j.core.train.Trainer;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name under which a part of a recipe is written to {@code pipeline.json}: a {@link Trainer}, an
 * {@link Evaluator}, a {@link Step} or a {@link DataSource}. Files name types only through these
 * allow-listed names, never through Java class names. The class must be a record (or a class Jackson
 * binds) whose components are plain values; the pipeline writes every component, so a rebuilt pipeline is
 * the same recipe. Transforms are named by {@link org.mlops4j.core.transform.spi.TransformType} instead.
 * {@snippet :
 * RecipeType mlp = RecipeType.of("djl_mlp", MlpTrainer.class);
 * }
 *
 * @param name lower-case name, unique per kind on the class path
 * @param type a record implementing Trainer, Evaluator, Step or DataSource
 */
public record RecipeType(String name, Class<?> type) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.\\-]{0,63}");

    /** Validates the name and the kind. */
    public RecipeType {
        Objects.requireNonNull(type, "type");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a recipe type name is 1-64 characters of lower-case letters, digits, '_', '.', '-',"
                    + " starting with a letter, but was " + (name == null ? "null" : "'" + name + "'"));
        }
        if (!Trainer.class.isAssignableFrom(type) && !Evaluator.class.isAssignableFrom(type) && !Step.class.isAssignableFrom(type)
                && !DataSource.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("recipe type '" + name + "': " + type.getName()
                    + " is not a Trainer, Evaluator, Step or DataSource");
        }
    }

    /**
     * @param name lower-case name
     * @param type the record class
     * @return the type
     */
    public static RecipeType of(String name, Class<?> type) {
        return new RecipeType(name, type);
    }
}
