package org.mlops4j.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Csv.Limits}: every limit refuses a real file with an {@link InvalidDataException} naming the file,
 * the limit and the option that raises it; a file within the limits reads as before; gzip bombs (1.5 MB
 * that expand to 1.5 GiB: one endless line, an unclosed quote, 24 million rows) are refused quickly by the
 * defaults, in a JVM with 512 MiB of heap, never with an {@code OutOfMemoryError}.
 */
class CsvLimitsTest {
    @TempDir
    Path dir;

    /**
     * Writes a gzip file whose members each expand {@code block} (compressed once, repeated): the file is
     * small, its content huge, made in milliseconds.
     */
    static Path bomb(Path file, String head, String block, int repeats) throws IOException {
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(member)) {
            gz.write(block.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] m = member.toByteArray();
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(first)) {
                gz.write(head.getBytes(StandardCharsets.US_ASCII));
            }
            out.write(first.toByteArray());
            for (int i = 0; i < repeats; i++) {
                out.write(m);
            }
        }
        return file;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static void assertRefused(Csv csv, String limit, String option) {
        assertThatThrownBy(csv::load).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(csv.path().toString()).hasMessageContaining(limit).hasMessageContaining(option)
                .hasMessageContaining("Csv.limits(");
    }

    @Test
    void eachLimitRefusesTheFileNamingItAndHowToRaiseIt() throws IOException {
        Path f = write("f.csv", "a,b,c\n1,2,3\n4,5,666666\n7,8,9\n");
        Csv csv = Csv.file(f);
        assertThat(csv.load().rowCount()).isEqualTo(3);
        assertRefused(csv.limits(Csv.Limits.DEFAULTS.maxRows(2)), "Csv.Limits.maxRows", "maxRows(20L)");
        assertRefused(csv.limits(Csv.Limits.DEFAULTS.maxColumns(2)), "Csv.Limits.maxColumns", "maxColumns(20)");
        assertRefused(csv.limits(Csv.Limits.DEFAULTS.maxFieldChars(5)), "Csv.Limits.maxFieldChars", "maxFieldChars(50)");
        assertRefused(csv.limits(Csv.Limits.DEFAULTS.maxLineChars(7)), "Csv.Limits.maxLineChars", "maxLineChars(70)");
        assertRefused(csv.limits(Csv.Limits.DEFAULTS.maxBytes(20)), "Csv.Limits.maxBytes", "maxBytes(40L)");
        assertThatThrownBy(() -> csv.limits(Csv.Limits.DEFAULTS.maxRows(2)).load()).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("line 4");
        // exactly at each limit, the file reads
        assertThat(csv.limits(Csv.Limits.DEFAULTS.maxRows(3).maxColumns(3).maxFieldChars(6).maxLineChars(10).maxBytes(Files.size(f)))
                .load().rowCount()).isEqualTo(3);
    }

    @Test
    void quotedFieldsCountAsOneFieldAndQuotedLineBreaksAsOneRecord() throws IOException {
        Path f = write("q.csv", "name,text\nx,\"a, b, c, d, e\"\ny,\"one\nline\"\"s two\"\n");
        Dataset d = Csv.file(f).limits(Csv.Limits.DEFAULTS.maxColumns(2).maxLineChars(20)).load();
        assertThat(d.rowCount()).isEqualTo(2);
        assertRefused(Csv.file(f).limits(Csv.Limits.DEFAULTS.maxLineChars(15)), "maxLineChars", "maxLineChars(150)");
    }

    @Test
    void skippedLinesAreCountedButNotLexed() throws IOException {
        Path f = write("s.csv", "506,13,\"unbalanced\n\"a\",b\n1,2\n");
        assertThat(Csv.file(f).skipLines(1).limits(Csv.Limits.DEFAULTS.maxColumns(2)).load().rowCount()).isEqualTo(1);
        assertRefused(Csv.file(f).skipLines(1).limits(Csv.Limits.DEFAULTS.maxLineChars(10)), "maxLineChars", "maxLineChars(100)");
    }

    @Test
    void anUnclosedQuoteIsRefusedAtTheFieldLimitNotAtTheEndOfTheFile() throws IOException {
        StringBuilder sb = new StringBuilder("a,b\n1,\"open\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append("2,3\n");
        }
        Path f = write("open.csv", sb.toString());
        assertThatThrownBy(() -> Csv.file(f).limits(Csv.Limits.DEFAULTS.maxFieldChars(1_000)).load())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("line 2").hasMessageContaining("quote left open");
    }

    @Test
    void gzipBombsAreRefusedByTheRatioGuardQuickly() throws IOException {
        Path endless = bomb(dir.resolve("endless.csv.gz"), "a,b\n1,", "a".repeat(1 << 20), 1_500);
        assertThat(Files.size(endless)).isLessThan(3L << 20);
        long t0 = System.nanoTime();
        assertRefused(Csv.file(endless), "Csv.Limits.maxFieldChars", "maxFieldChars(");
        Path wide = bomb(dir.resolve("wide.csv.gz"), "a\n", "a".repeat(1 << 20), 1_500);
        assertRefused(Csv.file(wide).limits(Csv.Limits.DEFAULTS.maxFieldChars(Integer.MAX_VALUE)), "Csv.Limits.maxLineChars", "maxLineChars(");
        Csv ratioOnly = Csv.file(endless).limits(Csv.Limits.DEFAULTS.maxLineChars(Integer.MAX_VALUE).maxFieldChars(Integer.MAX_VALUE));
        assertRefused(ratioOnly, "Csv.Limits.maxCompressionRatio", "maxCompressionRatio(5000)");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        Path rows = bomb(dir.resolve("rows.csv.gz"), "a\n", "1\n".repeat(1 << 19), 1_500);
        assertRefused(Csv.file(rows), "Csv.Limits.maxCompressionRatio", "maxCompressionRatio(");
        // a gzip file that compresses well but within the ratio reads
        StringBuilder ok = new StringBuilder("a,b\n");
        for (int i = 0; i < 1000; i++) {
            ok.append(i).append(',').append(i % 7).append('\n');
        }
        Path small = bomb(dir.resolve("ok.csv.gz"), ok.toString(), "", 0);
        assertThat(Csv.file(small).load().rowCount()).isEqualTo(1000);
    }

    /** The three bombs of the attack report, each read with the defaults in a JVM of 512 MiB. */
    @Test
    void theDefaultsRefuseEveryBombAt512MiBOfHeapWithoutOutOfMemory() throws Exception {
        Path endless = bomb(dir.resolve("endless.csv.gz"), "a,b\n1,", "a".repeat(1 << 20), 1_500);
        Path quote = bomb(dir.resolve("quote.csv.gz"), "a,b\n1,\"", "x,y\n".repeat(1 << 18), 1_500);
        Path rows = bomb(dir.resolve("rows.csv.gz"), "a\n", "1\n".repeat(1 << 19), 1_500);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), CsvBombChild.class.getName(),
                endless.toString(), quote.toString(), rows.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).doesNotContain("OutOfMemoryError");
        assertThat(out.lines().filter(l -> l.startsWith("REFUSED ")).toList()).as(out).hasSize(3);
        assertThat(out).contains("maxFieldChars").contains("quote left open");
        assertThat(out.lines().filter(l -> l.startsWith("REFUSED rows")).findFirst().orElseThrow()).containsAnyOf("maxCompressionRatio", "maxRows");
        out.lines().filter(l -> l.startsWith("REFUSED ")).forEach(l ->
                assertThat(Long.parseLong(l.split(" ")[2])).as(l).isLessThan(10_000));
        System.out.println("RELIABILITY csv bombs at -Xmx512m: " + out.lines().filter(l -> l.startsWith("REFUSED ")).toList());
    }
}
