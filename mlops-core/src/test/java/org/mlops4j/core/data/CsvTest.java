package org.mlops4j.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.MlopsException;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Schema.Field;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CsvTest {
    @TempDir
    Path dir;

    @Test
    void readsTheBostonFileWithItsCountLineAndQuotedHeader() {
        Dataset d = TestData.boston().load();

        assertThat(d.rowCount()).isEqualTo(506);
        assertThat(d.schema().names()).containsExactly("CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD",
                "TAX", "PTRATIO", "B", "LSTAT", "MEDV");
        assertThat(d.schema().fields()).allMatch(Field::isNumeric);
        assertThat(d.numeric("CRIM").get(0)).isEqualTo(0.00632);
        assertThat(d.numeric("MEDV").get(505)).isEqualTo(11.9);
        assertThat(d.origin(0)).endsWith("boston_house_prices.csv line 3");
        assertThat(d.version().bytes()).isEqualTo(fileSize(TestData.bostonFile()));
    }

    @Test
    void infersNumericAndCategoricalColumnsAndMissingValues() {
        Path f = TestData.write(dir, "mixed.csv", "x,city,y\n1,Paris,2.5\n,Lyon,NA\n3,\"Nice, France\",4e1\n");
        Dataset d = Csv.file(f).load();

        assertThat(d.schema().field("x").type()).isEqualTo(ColumnType.NUMERIC);
        assertThat(d.schema().field("city").type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(d.schema().field("x").nullable()).isTrue();
        assertThat(d.numeric("x").isMissing(1)).isTrue();
        assertThat(d.numeric("y").isMissing(1)).isTrue();
        assertThat(d.numeric("y").get(2)).isEqualTo(40.0);
        assertThat(d.categorical("city").get(2)).isEqualTo("Nice, France");
    }

    @Test
    void declaredCategoricalColumnsKeepNumericLookingText() {
        Path f = TestData.write(dir, "zip.csv", "zip,v\n01000,1\n75001,2\n");
        Dataset d = Csv.file(f).categorical("zip").load();

        assertThat(d.categorical("zip").get(0)).isEqualTo("01000");
    }

    @Test
    void headerlessFilesGetGivenOrDefaultNames() {
        Path f = TestData.write(dir, "plain.csv", "1,2\n3,4\n");

        assertThat(Csv.file(f).header(false).load().schema().names()).containsExactly("c0", "c1");
        assertThat(Csv.file(f).header(false).columnNames("a", "b").load().numeric("b").get(1)).isEqualTo(4.0);
    }

    @Test
    void otherSeparatorsGzipBomAndCrlfAreRead() throws IOException {
        byte[] text = "\uFEFFa;b\r\n1;2\r\n3;4\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(text);
        }
        Path f = dir.resolve("data.csv.gz");
        Files.write(f, gz.toByteArray());

        Dataset d = Csv.file(f).separator(';').load();

        assertThat(d.schema().names()).containsExactly("a", "b");
        assertThat(d.numeric("b").toArray()).containsExactly(2.0, 4.0);
    }

    @Test
    void lineNumbersStayRightAfterQuotedLineBreaksAndBlankLines() {
        Path f = TestData.write(dir, "multi.csv", "n,note\n1,\"two\nlines\"\n\n2,ok\n3,oops,extra\n");

        InvalidDataException e = catchThrowableOfType(InvalidDataException.class, () -> Csv.file(f).load());

        assertThat(e.line()).contains(6L);
        assertThat(e.getMessage()).contains("multi.csv line 6").contains("expected 2 fields but found 3");
    }

    @Test
    void anUnterminatedQuoteNamesTheLineWhereTheRecordStarts() {
        Path f = TestData.write(dir, "open.csv", "a,b\n1,2\n3,\"never closed\n4,5\n");

        InvalidDataException e = catchThrowableOfType(InvalidDataException.class, () -> Csv.file(f).load());

        assertThat(e.getMessage()).contains("open.csv line 3").contains("quoted field is not closed");
        assertThat(e.line()).contains(3L);
    }

    @Test
    void aWrongNumberOfFieldsNamesFileLineAndCounts() {
        Path f = TestData.write(dir, "short.csv", "a,b,c\n1,2,3\n4,5\n");

        assertThatThrownBy(() -> Csv.file(f).load())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("short.csv line 3: expected 3 fields but found 2");
    }

    @Test
    void textInANumericColumnNamesLineColumnAndValue() {
        StringBuilder sb = new StringBuilder("price,rooms\n");
        for (int i = 0; i < 20; i++) {
            sb.append(100 + i).append(',').append(i % 5 + 1).append('\n');
        }
        sb.append("120,three\n");
        Path f = TestData.write(dir, "typo.csv", sb.toString());

        InvalidDataException e = catchThrowableOfType(InvalidDataException.class, () -> Csv.file(f).load());

        assertThat(e.getMessage()).contains("typo.csv line 22, column 'rooms': 'three' is not a number");
        assertThat(e.column()).contains("rooms");
        assertThat(e.value()).contains("three");
        assertThat(e.line()).contains(22L);
    }

    @Test
    void textInADeclaredNumericColumnIsRefusedEvenWhenMostValuesAreText() {
        Path f = TestData.write(dir, "declared.csv", "v\na\nb\n1\n");

        assertThatThrownBy(() -> Csv.file(f).numeric("v").load())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("declared.csv line 2, column 'v': 'a' is not a number");
    }

    @Test
    void nanAndInfinityAreRefusedWithLineColumnAndValue() {
        for (String bad : new String[] {"NaN", "Infinity", "-inf", "nan"}) {
            Path f = TestData.write(dir, "nonfinite.csv", "a,b\n1,2\n3," + bad + "\n5,6\n");

            InvalidDataException e = catchThrowableOfType(InvalidDataException.class, () -> Csv.file(f).load());

            assertThat(e).as(bad).isNotNull();
            assertThat(e.getMessage()).contains("nonfinite.csv line 3, column 'b': '" + bad + "' is not a finite number");
            assertThat(e.value()).contains(bad);
        }
    }

    @Test
    void numbersBeyondDoubleRangeAreRefused() {
        Path f = TestData.write(dir, "huge.csv", "a\n1\n1e400\n");

        assertThatThrownBy(() -> Csv.file(f).load())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("huge.csv line 3, column 'a': '1e400' is beyond the range of a double");
    }

    @Test
    void javaOnlyNumberSpellingsAreNotNumbers() {
        assertThat(Csv.Numbers.isDecimal("1d")).isFalse();
        assertThat(Csv.Numbers.isDecimal("0x1p3")).isFalse();
        assertThat(Csv.Numbers.isDecimal("1e")).isFalse();
        assertThat(Csv.Numbers.isDecimal(".")).isFalse();
        assertThat(Csv.Numbers.isDecimal("-.5e-3")).isTrue();
        assertThat(Csv.Numbers.isDecimal("+12.")).isTrue();
    }

    @Test
    void anEmptyFileIsAnErrorNamingTheFile() {
        Path f = TestData.write(dir, "empty.csv", "");

        assertThatThrownBy(() -> Csv.file(f).load())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("empty.csv is empty; expected a header line and data rows");
    }

    @Test
    void aFileThatEndsDuringSkippedLinesIsAnError() {
        Path f = TestData.write(dir, "count-only.csv", "506,13\n");

        assertThatThrownBy(() -> Csv.file(f).skipLines(2).load())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("count-only.csv is empty after skipping 1 of 2 lines");
    }

    @Test
    void aHeaderWithoutRowsIsAnError() {
        Path f = TestData.write(dir, "header-only.csv", "a,b\n");

        assertThatThrownBy(() -> Csv.file(f).load())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("header-only.csv has a header [a, b] but no data rows");
    }

    @Test
    void duplicateOrEmptyHeaderNamesAreErrors() {
        Path dup = TestData.write(dir, "dup.csv", "a,b,a\n1,2,3\n");
        Path blank = TestData.write(dir, "blank.csv", "a,,c\n1,2,3\n");

        assertThatThrownBy(() -> Csv.file(dup).load()).hasMessageContaining("dup.csv line 1: column name 'a' appears twice");
        assertThatThrownBy(() -> Csv.file(blank).load()).hasMessageContaining("blank.csv line 1: header field 2 is empty")
                .message().doesNotContain("skipLines");
    }

    @Test
    void aCountLineBeforeTheHeaderIsNamedWithTheSkipThatReadsPastIt() {
        // scikit-learn's data files start with "rows,columns,,,": read without skipLines(1), say so
        Path counted = TestData.write(dir, "counted.csv", "3,2,\nx,y,label\n1,2,a\n3,4,b\n5,6,a\n");

        assertThatThrownBy(() -> Csv.file(counted).load())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("counted.csv line 1: header field 3 is empty")
                .hasMessageContaining("the line reads '3,2,', like a count line before the header: skip it with skipLines(1)");
        assertThat(Csv.file(counted).skipLines(1).load().schema().names()).containsExactly("x", "y", "label");
    }

    @Test
    void aMissingFileIsAnErrorWithItsPath() {
        assertThatThrownBy(() -> Csv.file(dir.resolve("nope.csv")).load())
                .isInstanceOf(MlopsException.class)
                .hasMessageContaining("nope.csv: no such file");
    }

    @Test
    void declaringAColumnThatDoesNotExistNamesTheColumns() {
        Path f = TestData.write(dir, "ab.csv", "a,b\n1,2\n");

        assertThatThrownBy(() -> Csv.file(f).categorical("c").load())
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("column 'c' declared CATEGORICAL is not in")
                .hasMessageContaining("[a, b]");
    }

    @Test
    void optionsAreValidatedWhenSet() {
        Csv csv = Csv.file("x.csv");
        assertThatThrownBy(() -> csv.skipLines(-1)).hasMessage("skipLines must be >= 0 but was -1");
        assertThatThrownBy(() -> csv.separator('"')).hasMessageContaining("separator must not be a quote");
        assertThatThrownBy(() -> csv.columnNames("a", "a")).hasMessageContaining("column names must be unique");
        assertThatThrownBy(() -> csv.numeric("a").categorical("a")).hasMessageContaining("already declared NUMERIC");
    }

    @Test
    void theLoadTimeComesFromTheInjectedClock() {
        Path f = TestData.write(dir, "t.csv", "a\n1\n");
        Instant fixed = Instant.parse("2026-01-02T03:04:05Z");

        Dataset d = Csv.file(f).clock(Clock.fixed(fixed, ZoneOffset.UTC)).load();

        assertThat(d.version().loadedAt()).isEqualTo(fixed);
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aHeaderOfNumbersIsRefusedSuggestingThatTheFileHasNone() {
        Path f = TestData.write(dir, "wine.csv", "14.23,1.71,2.43,15.6,1\n13.2,1.78,2.14,11.2,1\n13.16,2.36,2.67,18.6,2\n");

        assertThatThrownBy(() -> Csv.file(f).load())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("wine.csv line 1: the header holds only numbers (14.23, 1.71, 2.43, 15.6, …)")
                .hasMessageContaining("header(false)");
        assertThat(Csv.file(f).header(false).load().rowCount()).isEqualTo(3);
        assertThat(Csv.file(f).columnNames("a", "b", "c", "d", "class").load().rowCount())
                .as("names given: the first line is taken as the header the user means").isEqualTo(2);
        Path years = TestData.write(dir, "years.csv", "region,2019,2020\nnorth,1,2\n");
        assertThat(Csv.file(years).load().schema().names()).as("some names are numbers").containsExactly("region", "2019", "2020");
    }

    @Test
    void aSemicolonFileReadWithTheDefaultCommaIsRefusedNotReadAsOneColumn() {
        Path f = TestData.write(dir, "euro.csv", "a;b;c\n1,5;2;3\n4;5;6\n");

        assertThatThrownBy(() -> Csv.file(f).load())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("euro.csv line 1: the header is one field 'a;b;c' holding 3 names separated by ';'")
                .hasMessageContaining("read it with separator(';')");
        assertThat(Csv.file(f).separator(';').load().schema().names()).containsExactly("a", "b", "c");
        Path tabs = TestData.write(dir, "tabs.csv", "x\ty\n1\t2\n");
        assertThatThrownBy(() -> Csv.file(tabs).load()).hasMessageContaining("separator('\\t')");
        Path one = TestData.write(dir, "one.csv", "price\n1\n2\n");
        assertThat(Csv.file(one).load().schema().names()).containsExactly("price");
    }
}
