package org.mlops4j.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two data sets joined on a key or put side by side, with every source's version recorded. */
class JoinTest {
    @TempDir
    Path dir;

    private Path houses() {
        return TestData.write(dir, "houses.csv", "id,rooms,district\n1,5,north\n2,6,south\n3,7,north\n4,4,east\n");
    }

    private Path districts() {
        return TestData.write(dir, "districts.csv", "district,crime\nnorth,0.2\nsouth,0.7\n");
    }

    @Test
    void anInnerJoinKeepsMatchedRowsAndALeftJoinKeepsEveryRow() {
        Dataset h = Csv.file(houses()).load();
        Dataset d = Csv.file(districts()).load();

        Dataset inner = h.join(d, "district", Dataset.Join.INNER);
        Dataset left = h.join(d, "district", Dataset.Join.LEFT);

        assertThat(inner.schema().names()).containsExactly("id", "rooms", "district", "crime");
        assertThat(inner.rowCount()).isEqualTo(3);
        assertThat(inner.numeric("crime").toArray()).containsExactly(0.2, 0.7, 0.2);
        assertThat(left.rowCount()).isEqualTo(4);
        assertThat(left.column("crime").isMissing(3)).isTrue();
        assertThat(inner.version().sources()).extracting(DatasetVersion::id).containsExactly(h.version().id(), d.version().id());
        assertThat(inner.version().uri()).startsWith("join:inner:district(" + h.version().uri() + "@sha256:" + h.version().id())
                .contains(d.version().uri() + "@sha256:" + d.version().id());
        assertThat(inner.version().id()).isNotEqualTo(left.version().id());
    }

    @Test
    void badKeysAreNamed() {
        Dataset h = Csv.file(houses()).load();
        Dataset twice = Csv.file(TestData.write(dir, "twice.csv", "district,crime\nnorth,0.2\nnorth,0.3\n")).load();
        Dataset missingKey = Csv.file(TestData.write(dir, "holes.csv", "district,crime\n,0.2\nsouth,0.3\n")).load();
        Dataset clash = Csv.file(TestData.write(dir, "clash.csv", "district,rooms\nnorth,3\n")).load();
        Dataset numericKey = Csv.file(TestData.write(dir, "numbers.csv", "district,crime\n1,0.2\n")).load();

        assertThatThrownBy(() -> h.join(twice, "district", Dataset.Join.INNER)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("twice.csv line 3: key 'district' = north appears again (first at ")
                .hasMessageContaining("twice.csv line 2");
        assertThatThrownBy(() -> h.join(missingKey, "district", Dataset.Join.INNER))
                .hasMessageContaining("holes.csv line 2: no value for the join key 'district'");
        assertThatThrownBy(() -> h.join(clash, "district", Dataset.Join.INNER)).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("column 'rooms' is in both");
        assertThatThrownBy(() -> h.join(numericKey, "district", Dataset.Join.INNER)).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("join key 'district' is categorical in").hasMessageContaining("but numeric in");
        assertThatThrownBy(() -> h.join(clash, "zone", Dataset.Join.LEFT)).hasMessageContaining("join key 'zone' is not a column");
    }

    @Test
    void sideBySideNeedsTheSameRows() {
        Dataset x = Csv.file(TestData.write(dir, "x.csv", "a,b\n1,2\n3,4\n")).load();
        Dataset y = Csv.file(TestData.write(dir, "y.csv", "y\n10\n20\n")).load();
        Dataset y3 = Csv.file(TestData.write(dir, "y3.csv", "y\n10\n20\n30\n")).load();

        assertThat(x.beside(y).schema().names()).containsExactly("a", "b", "y");
        assertThat(x.beside(y).version().sources()).hasSize(2);
        assertThatThrownBy(() -> x.beside(y3)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("has 2 rows but").hasMessageContaining("y3.csv has 3");
    }

    @Test
    void aPipelineOverJoinedFilesRecordsEverySourceAndRebuildsFromPipelineJson() {
        DataSource joined = DataSource.join(Csv.file(houses()), Csv.file(districts()), "district", Dataset.Join.INNER);
        Tracker tracker = Tracker.inMemory();
        PipelineResult r = Pipeline.from(joined).label("rooms").drop("id", "district")
                .train(DecisionTree.regression().maxDepth(2)).split(org.mlops4j.core.evaluate.Split.trainTest(0.67))
                .track(tracker, "joins").run();

        String source = tracker.run(r.runId().orElseThrow()).orElseThrow().params().get("source");
        assertThat(source).isEqualTo(r.datasetVersion().uri()).contains("houses.csv@sha256:", "districts.csv@sha256:");
        assertThat(r.bundle().manifest().lineage().datasetSource()).isEqualTo(source);
        PipelineSpec again = PipelineSpec.read(r.spec().toJson());
        assertThat(again).isEqualTo(r.spec());
        assertThat(Pipeline.of(again).run().testPredictions()).isEqualTo(r.testPredictions());
    }
}
