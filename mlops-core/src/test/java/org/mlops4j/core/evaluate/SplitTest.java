package org.mlops4j.core.evaluate;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitTest {

    @Test
    void trainTestIsSeededDisjointAndComplete() {
        Split.Fold a = Split.trainTest(0.8).seed(42).folds(506, null).get(0);
        Split.Fold b = Split.trainTest(0.8).seed(42).folds(506, null).get(0);
        Split.Fold c = Split.trainTest(0.8).seed(43).folds(506, null).get(0);

        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(a.train()).hasSize(405);
        assertThat(a.test()).hasSize(101);
        int[] all = IntStream.concat(Arrays.stream(a.train()), Arrays.stream(a.test())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 506).toArray());
    }

    @Test
    void kFoldTestsEveryRowExactlyOnceWithBalancedSizes() {
        List<Split.Fold> folds = Split.kFold(5).seed(7).folds(506, null);

        assertThat(folds).hasSize(5);
        int[] seen = new int[506];
        for (Split.Fold f : folds) {
            assertThat(f.test().length).isBetween(101, 102);
            assertThat(f.train().length + f.test().length).isEqualTo(506);
            for (int r : f.test()) {
                seen[r]++;
            }
        }
        assertThat(seen).containsOnly(1);
    }

    @Test
    void kFoldAndTrainTestWithTheSameSeedDoNotShareATestSet() {
        Split.Fold holdout = Split.trainTest(0.8).seed(42).folds(506, null).get(0);

        for (Split.Fold f : Split.kFold(5).seed(42).folds(506, null)) {
            assertThat(f.test()).isNotEqualTo(holdout.test());
        }
    }

    @Test
    void stratifiedSplitsKeepClassProportions() {
        String[] classes = new String[100];
        for (int i = 0; i < 100; i++) {
            classes[i] = i < 80 ? "common" : "rare";
        }
        Split.Fold tt = Split.trainTest(0.75).seed(1).stratified().folds(100, classes).get(0);
        assertThat(count(tt.test(), classes)).containsEntry("common", 20).containsEntry("rare", 5);

        for (Split.Fold f : Split.kFold(4).seed(1).stratified().folds(100, classes)) {
            assertThat(count(f.test(), classes)).containsEntry("common", 20).containsEntry("rare", 5);
        }
    }

    @Test
    void impossibleSplitsAreRefusedWithTheNumbers() {
        assertThatThrownBy(() -> Split.trainTest(1.0)).hasMessage("trainFraction must be > 0 and < 1 but was 1.0");
        assertThatThrownBy(() -> Split.kFold(1)).hasMessage("k-fold needs k >= 2 but k was 1");
        assertThatThrownBy(() -> Split.kFold(5).folds(3, null))
                .hasMessage("5-fold cross-validation needs at least 5 rows but there are 3");
        assertThatThrownBy(() -> Split.trainTest(0.9).folds(2, null)).hasMessageContaining("both need at least one");
    }

    private static Map<String, Integer> count(int[] rows, String[] classes) {
        Map<String, Integer> m = new HashMap<>();
        for (int r : rows) {
            m.merge(classes[r], 1, Integer::sum);
        }
        return m;
    }
}
