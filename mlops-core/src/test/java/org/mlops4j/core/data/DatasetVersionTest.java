package org.mlops4j.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.TestData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetVersionTest {
    @TempDir
    Path dir;

    /** Frozen: a change here means every stored dataset version changes. Update only with a format bump. */
    private static final String BOSTON_VERSION = "530159db0e400acdcfc28c50b2faa658abfc81a4e4d73c4f2a5c3aa766772b16";

    @Test
    void theBostonFileHasItsFrozenVersion() {
        assertThat(TestData.boston().load().version().id()).isEqualTo(BOSTON_VERSION);
    }

    @Test
    void sameContentHasTheSameVersionWhateverThePathLineEndingsQuotingOrNumberSpelling() {
        Path a = TestData.write(dir, "a.csv", "x,label\n1,yes\n2.5,no\n");
        Path b = TestData.write(dir, "other-name.csv", "\"x\",\"label\"\r\n1.0,\"yes\"\r\n25e-1,no\r\n");
        Path sub = dir.resolve("sub");
        Path c = TestData.write(mkdirs(sub), "a.csv", "x,label\n+1.00,yes\n2.50,no");

        DatasetVersion va = Csv.file(a).load().version();
        DatasetVersion vb = Csv.file(b).load().version();
        DatasetVersion vc = Csv.file(c).load().version();

        assertThat(vb.id()).isEqualTo(va.id());
        assertThat(vc.id()).isEqualTo(va.id());
        assertThat(va.sameContentAs(vb)).isTrue();
        assertThat(va.uri()).isNotEqualTo(vb.uri()).startsWith("file:/").endsWith("/a.csv");
        assertThat(Dataset.builder("toy").numeric("x", 1).build().version().uri()).isEqualTo("memory:toy");
    }

    @Test
    void theSameTableFromAFileAndFromMemoryHasTheSameVersion() {
        Path f = TestData.write(dir, "t.csv", "x,c\n1,a\n,b\n");
        Dataset mem = Dataset.builder("memory").numeric("x", Arrays.asList(1.0, null)).categorical("c", "a", "b").build();

        assertThat(mem.version().id()).isEqualTo(Csv.file(f).load().version().id());
    }

    @Test
    void oneChangedCellGivesADifferentVersion() {
        Dataset base = TestData.boston().load();
        double[] medv = base.numeric("MEDV").toArray();
        medv[250] += 0.1;
        Dataset changed = base.withColumns(List.of(NumericColumn.of("MEDV", medv)));

        assertThat(changed.version().id()).isNotEqualTo(base.version().id());
    }

    @Test
    void renamingRetypingReorderingOrBlankingChangesTheVersion() {
        Dataset base = Dataset.builder("t").numeric("x", 1, 2).categorical("c", "1", "2").build();
        Set<String> ids = new HashSet<>();
        ids.add(base.version().id());
        ids.add(Dataset.builder("t").numeric("y", 1, 2).categorical("c", "1", "2").build().version().id());
        ids.add(Dataset.builder("t").numeric("x", 1, 2).numeric("c", 1, 2).build().version().id());
        ids.add(Dataset.builder("t").numeric("x", 2, 1).categorical("c", "2", "1").build().version().id());
        ids.add(Dataset.builder("t").categorical("c", "1", "2").numeric("x", 1, 2).build().version().id());
        ids.add(Dataset.builder("t").numeric("x", Arrays.asList(1.0, null)).categorical("c", "1", "2").build().version().id());
        ids.add(Dataset.builder("t").numeric("x", 1, 2).categorical("c", "1", null).build().version().id());
        ids.add(Dataset.builder("t").numeric("x", 1, 2).categorical("c", "1", "").build().version().id());

        assertThat(ids).hasSize(8);
    }

    @Test
    void zeroAndNegativeZeroAreTheSameValue() {
        assertThat(Dataset.builder("t").numeric("x", 0.0).build().version().id())
                .isEqualTo(Dataset.builder("t").numeric("x", -0.0).build().version().id());
    }

    @Test
    void categoryBoundariesCannotCollide() {
        Dataset ab = Dataset.builder("t").categorical("a", "xy").categorical("b", "z").build();
        Dataset ba = Dataset.builder("t").categorical("a", "x").categorical("b", "yz").build();

        assertThat(ab.version().id()).isNotEqualTo(ba.version().id());
    }

    @Test
    void everySingleCellMutationOfRandomTablesChangesTheVersionAndCopiesDoNot() {
        Random rnd = new Random(2026);
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + rnd.nextInt(30);
            double[] x = new double[rows];
            String[] c = new String[rows];
            for (int r = 0; r < rows; r++) {
                x[r] = Math.round(rnd.nextGaussian() * 1000) / 100.0;
                c[r] = "k" + rnd.nextInt(4);
            }
            Dataset d = Dataset.builder("t").numeric("x", x).categorical("c", c).build();
            Dataset copy = Dataset.builder("copy").numeric("x", x.clone()).categorical("c", c.clone()).build();
            assertThat(copy.version().id()).isEqualTo(d.version().id());

            int r = rnd.nextInt(rows);
            double[] x2 = x.clone();
            String[] c2 = c.clone();
            if (rnd.nextBoolean()) {
                x2[r] = Math.nextUp(x2[r]);
            } else {
                c2[r] = c2[r] + "'";
            }
            Dataset mutated = Dataset.builder("t").numeric("x", x2).categorical("c", c2).build();
            assertThat(mutated.version().id()).as("trial %d", trial).isNotEqualTo(d.version().id());
        }
    }

    @Test
    void theVersionRecordsRowsColumnsAndShortId() {
        DatasetVersion v = TestData.boston().load().version();

        assertThat(v.rows()).isEqualTo(506);
        assertThat(v.columns()).isEqualTo(14);
        assertThat(v.shortId()).isEqualTo(BOSTON_VERSION.substring(0, 12));
        assertThat(v.toString()).contains("sha256:" + v.shortId()).contains("506 rows x 14 columns");
    }

    private static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
