package org.mlops4j.core.data;

import org.mlops4j.core.MlopsException;

import java.util.Objects;

/**
 * Where a pipeline's data comes from. One method: load the whole data set, validated, with its
 * version. Implementations are immutable descriptions, so loading twice reads the source twice.
 * {@snippet :
 * DataSource fromFile = Csv.file("prices.csv").skipLines(1);
 * DataSource inMemory = DataSource.of(Dataset.builder("toy").numeric("x", 1, 2).numeric("y", 2, 4).build());
 * Dataset data = fromFile.load();
 * }
 */
@FunctionalInterface
public interface DataSource {

    /**
     * @return the loaded data set
     * @throws InvalidDataException when the data does not fit what was expected (names file, line, column, value)
     * @throws MlopsException      when the source cannot be read
     */
    Dataset load();

    /** @return a short description for logs and run records; the class name by default */
    default String describe() {
        return getClass().getSimpleName();
    }

    /**
     * @param dataset a data set already in memory
     * @return a source that always returns it
     */
    static DataSource of(Dataset dataset) {
        return new InMemory(dataset);
    }

    /**
     * @param left  the left data
     * @param right the data joined to it
     * @param key   the key column, unique on the right
     * @param how   inner or left
     * @return a source that loads both and joins them ({@link Dataset#join}); recorded in {@code pipeline.json}
     *     when both sides are
     */
    static DataSource join(DataSource left, DataSource right, String key, Dataset.Join how) {
        return new Combined(left, right, Objects.requireNonNull(key, "key"), Objects.requireNonNull(how, "how"));
    }

    /**
     * @param left  the left data
     * @param right data with the same rows in the same order
     * @return a source that loads both and puts them side by side ({@link Dataset#beside})
     */
    static DataSource beside(DataSource left, DataSource right) {
        return new Combined(left, right, null, null);
    }

    /**
     * A data set already in memory: loading returns it. {@code pipeline.json} records it as the {@link Csv} that
     * read it when it is unchanged since ({@link Dataset#loadedFrom()}), else by description only.
     *
     * @param dataset the data
     */
    record InMemory(Dataset dataset) implements DataSource {
        /** Checks the data set is given. */
        public InMemory {
            Objects.requireNonNull(dataset, "dataset");
        }

        @Override
        public Dataset load() {
            return dataset;
        }

        @Override
        public String describe() {
            return "memory:" + dataset.source();
        }
    }

    /**
     * Two sources combined on load: joined on a key, or side by side when {@code key} is null.
     *
     * @param left  the left data
     * @param right the other data
     * @param key   the join key, or null for side by side
     * @param how   inner or left, or null for side by side
     */
    record Combined(DataSource left, DataSource right, String key, Dataset.Join how) implements DataSource {
        /** Checks that a join has both a key and a kind. */
        public Combined {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
            if ((key == null) != (how == null)) {
                throw new IllegalArgumentException("a join needs both a key and a kind; side by side needs neither");
            }
        }

        @Override
        public Dataset load() {
            Dataset l = left.load();
            Dataset r = right.load();
            return key == null ? l.beside(r) : l.join(r, key, how);
        }

        @Override
        public String describe() {
            return (key == null ? "beside(" : "join:" + how.name().toLowerCase(java.util.Locale.ROOT) + ":" + key + "(")
                    + left.describe() + ", " + right.describe() + ")";
        }
    }
}
