package org.mlops4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Data files the benchmarks read: packaged in the benchmark jar, copied to a temporary file once.
 *
 * <pre>{@code
 * Dataset boston = Csv.file(BenchmarkData.boston()).skipLines(1).load();
 * }</pre>
 */
public final class BenchmarkData {
    private static Path boston;

    private BenchmarkData() {
    }

    /** @return the Boston housing CSV (with its count line), as a file */
    public static synchronized Path boston() {
        if (boston == null) {
            try (InputStream in = BenchmarkData.class.getResourceAsStream("/data/boston_house_prices.csv")) {
                if (in == null) {
                    throw new IllegalStateException("data/boston_house_prices.csv is not in the benchmark jar");
                }
                Path p = Files.createTempFile("boston_house_prices-", ".csv");
                Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
                p.toFile().deleteOnExit();
                boston = p;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return boston;
    }
}
