package org.mlops4j.core.tune;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrunersTest {
    private static List<Trial> finished(double... lastValues) {
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < lastValues.length; i++) {
            out.add(new Trial(i + 1, Map.of(), TrialState.COMPLETE, lastValues[i], List.of(lastValues[i], lastValues[i]), null));
        }
        return out;
    }

    @Test
    void theMedianPrunerStopsATrialWorseThanTheMedianOnceEnoughTrialsCompleted() {
        Pruner median = Pruners.median();
        List<Trial> four = finished(1, 2, 3, 4);
        List<Trial> five = finished(1, 2, 3, 4, 5);

        assertThat(median.prune(1, 10, 99, four, Direction.MINIMIZE)).as("four completed: still starting up").isFalse();
        assertThat(median.prune(1, 10, 99, five, Direction.MINIMIZE)).isTrue();
        assertThat(median.prune(1, 2.5, 99, five, Direction.MINIMIZE)).isFalse();
        assertThat(median.prune(1, 2.5, 99, five, Direction.MAXIMIZE)).as("higher is better: 2.5 is below the median 3").isTrue();
        assertThat(new Pruners.Median(5, 1, 1).prune(1, 10, 99, five, Direction.MINIMIZE)).as("warm-up step").isFalse();
    }

    @Test
    void successiveHalvingKeepsTheBestThirdAtEachRung() {
        Pruner asha = Pruners.successiveHalving();
        List<Trial> six = finished(1, 2, 3, 4, 5, 6);

        assertThat(asha.prune(1, 1.5, 99, six, Direction.MINIMIZE)).isFalse();
        assertThat(asha.prune(1, 3.5, 99, six, Direction.MINIMIZE)).isTrue();
        assertThat(asha.prune(2, 9, 99, six, Direction.MINIMIZE)).as("step 2 is no rung").isFalse();
        assertThat(asha.prune(1, 9, 99, List.of(), Direction.MINIMIZE)).as("alone at the rung").isFalse();
    }
}
