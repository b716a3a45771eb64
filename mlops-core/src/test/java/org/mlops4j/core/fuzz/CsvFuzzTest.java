package org.mlops4j.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.mlops4j.core.MlopsException;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the CSV reader on real files (plain and gzip, any separator, with and without header, tight
 * limits): every file either reads or fails with an {@link MlopsException} (an {@code InvalidDataException}
 * naming the file), never another exception, an endless loop or an {@code OutOfMemoryError}.
 */
class CsvFuzzTest {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("csv-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void anyFileReadsOrFailsWithADataError(FuzzedDataProvider data) throws IOException {
        boolean header = data.consumeBoolean();
        char separator = data.pickValue(new Character[] {',', ';', '\t', ' ', '|'});
        int skip = data.consumeInt(0, 2);
        boolean gzip = data.consumeBoolean();
        byte[] content = data.consumeRemainingAsBytes();
        Path f = DIR.resolve("fuzz.csv");
        if (gzip) {
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
                out.write(content);
            }
        } else {
            Files.write(f, content);
        }
        Csv csv = Csv.file(f).header(header).separator(separator).skipLines(skip)
                .limits(Csv.Limits.DEFAULTS.maxRows(500).maxColumns(50).maxFieldChars(200).maxLineChars(2_000).maxBytes(64_000));
        try {
            Dataset d = csv.load();
            assertThat(d.rowCount()).isPositive().isLessThanOrEqualTo(500);
        } catch (MlopsException expected) {
            assertThat(expected.getMessage()).contains(f.toString());
        } catch (IllegalArgumentException expected) {
            // options the file cannot satisfy (a header without names given, ...): a clear message
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
