package org.mlops4j.core.data;

import org.mlops4j.core.MlopsException;

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
        java.util.Objects.requireNonNull(dataset, "dataset");
        return new DataSource() {
            @Override
            public Dataset load() {
                return dataset;
            }

            @Override
            public String describe() {
                return "memory:" + dataset.source();
            }
        };
    }
}
