package org.mlops4j.core;

import org.mlops4j.core.data.Csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real data sets of {@code samples/data}, and small helpers to write test files. */
public final class TestData {
    private TestData() {
    }

    public static Path samples() {
        String dir = System.getProperty("mlops.samples.data");
        Path p = dir != null ? Path.of(dir) : Path.of("../samples/data");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("samples data folder not found at " + p.toAbsolutePath());
        }
        return p;
    }

    public static Path bostonFile() {
        return samples().resolve("boston_house_prices.csv");
    }

    /** Boston housing: a count line, then a quoted header. */
    public static Csv boston() {
        return Csv.file(bostonFile()).skipLines(1);
    }

    /** Iris: a count line, no header, class 0-2 in the last column (read as categorical). */
    public static Csv iris() {
        return Csv.file(samples().resolve("iris.csv")).skipLines(1).header(false)
                .columnNames("sepal_length", "sepal_width", "petal_length", "petal_width", "species")
                .categorical("species");
    }

    public static Path write(Path dir, String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
