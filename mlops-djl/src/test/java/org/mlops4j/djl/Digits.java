package org.mlops4j.djl;

import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;

import java.nio.file.Files;
import java.nio.file.Path;

/** The digits data of the samples (1797 × 64, label {@code digit}), for the tests. */
final class Digits {
    private Digits() {
    }

    static Path file() {
        Path p = Path.of(System.getProperty("basedir", "."), "..", "samples", "data", "digits.csv.gz").normalize();
        if (!Files.exists(p)) {
            p = Path.of("samples", "data", "digits.csv.gz");
        }
        return p;
    }

    static Csv csv() {
        String[] names = new String[65];
        for (int i = 0; i < 64; i++) {
            names[i] = "p" + i;
        }
        names[64] = "digit";
        return Csv.file(file()).header(false).columnNames(names).categorical("digit");
    }

    static Dataset load() {
        return csv().load();
    }
}
