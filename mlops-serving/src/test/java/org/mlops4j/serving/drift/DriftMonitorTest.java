package org.mlops4j.serving.drift;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Schema;
import org.mlops4j.core.data.profile.DataProfile;
import org.mlops4j.serving.protocol.Batch;
import org.mlops4j.serving.protocol.InputLayout;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Drift detectors on synthetic shifts, and no false alarm without one. */
class DriftMonitorTest {
    static final Schema SCHEMA = Schema.of(Schema.Field.numeric("x"), Schema.Field.categorical("c"), Schema.Field.numeric("k"),
            Schema.Field.numeric("m"));
    static final InputLayout LAYOUT = InputLayout.of(SCHEMA);
    static final DataProfile PROFILE = profile();

    static String category(Random r) {
        double u = r.nextDouble();
        return u < 0.5 ? "a" : u < 0.8 ? "b" : "c";
    }

    static DataProfile profile() {
        Random r = new Random(1);
        List<Map<String, ?>> rows = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("x", r.nextGaussian());
            row.put("c", category(r));
            row.put("k", 1.0);
            rows.add(row); // m: always missing
        }
        Schema nullable = new Schema(SCHEMA.fields().stream().map(f -> new Schema.Field(f.name(), f.type(), true)).toList());
        return DataProfile.of(Dataset.fromRows("training", nullable, rows));
    }

    static DriftMonitor monitor(int window) {
        return DriftMonitor.of("m", 1, PROFILE, LAYOUT, DriftConfig.defaults().withWindowRows(window), Clock.systemUTC());
    }

    static Batch batch(int n, DoubleSupplier x, Supplier<String> c, DoubleSupplier k, DoubleSupplier m) {
        double[] v = new double[n * 4];
        String[] cats = new String[n * 4];
        for (int i = 0; i < n; i++) {
            v[i * 4] = x.getAsDouble();
            v[i * 4 + 1] = Double.NaN;
            cats[i * 4 + 1] = c.get();
            v[i * 4 + 2] = k.getAsDouble();
            v[i * 4 + 3] = m.getAsDouble();
        }
        return new Batch(LAYOUT, n, v, cats);
    }

    static Batch noShift(Random r, int n) {
        return batch(n, r::nextGaussian, () -> category(r), () -> 1.0, () -> Double.NaN);
    }

    static DriftReport window(DriftMonitor m, Batch b) {
        m.record(b, null);
        return m.lastCompleted().orElseThrow();
    }

    @Test
    void theReferenceUsesTheStoredBinEdgesAndQuantilesOfTheTrainingProfile() {
        var x = (org.mlops4j.core.data.profile.NumericProfile) PROFILE.columns().stream().filter(c -> c.name().equals("x")).findFirst().orElseThrow();
        Reference ref = Reference.of(x);
        List<Double> edges = java.util.Arrays.stream(ref.edges).boxed().toList();
        assertThat(edges).containsAll(x.histogram().edges());
        var q = x.quantiles();
        assertThat(edges).contains(q.p01(), q.p05(), q.p25(), q.p50(), q.p75(), q.p95(), q.p99());
        assertThat(edges).isSorted().doesNotHaveDuplicates();
        // the training CDF at each quantile is its probability; at each histogram edge the histogram's share below it
        double below = 0;
        for (int i = 0; i < ref.edges.length - 1; i++) {
            double e = ref.edges[i];
            if (e == q.p25()) {
                assertThat(below).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
            }
            if (e == q.p99()) {
                assertThat(below).isCloseTo(0.99, org.assertj.core.data.Offset.offset(1e-9));
            }
            below += ref.shares[i + 1];
        }
        assertThat(below).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        // a value lands in the bin between the edges around it
        assertThat(ref.slot(q.p50())).isEqualTo(edges.indexOf(q.p50()) + 1);
        assertThat(ref.slot(Math.nextDown(q.p50()))).isEqualTo(edges.indexOf(q.p50()));
        assertThat(ref.slot(x.max())).isEqualTo(ref.edges.length - 1);
        assertThat(ref.slot(x.max() + 1)).isEqualTo(ref.edges.length);
        assertThat(ref.slot(x.min() - 1)).isZero();
    }

    @Test
    void noFalseAlarmOverManyWindowsWithoutAShift() {
        Random r = new Random(7);
        int warnings = 0;
        for (int size : new int[] {100, 300, 1_000, 2_000, 5_000}) {
            DriftMonitor m = monitor(size);
            int windows = size >= 2_000 ? 20 : 100;
            for (int w = 0; w < windows; w++) {
                DriftReport rep = window(m, noShift(r, size));
                assertThat(rep.state()).as("window %d of %d rows: %s", w, size, rep).isNotEqualTo(DriftState.DRIFT);
                warnings += rep.state() == DriftState.WARNING ? 1 : 0;
            }
        }
        // α = 1 % family-wise per window: a handful of warnings over 340 windows at most
        assertThat(warnings).isLessThanOrEqualTo(10);
    }

    @Test
    void aMeanShiftDrifts() {
        for (int size : new int[] {300, 2_000}) {
            Random r = new Random(3);
            DriftReport rep = window(monitor(size), batch(size, () -> r.nextGaussian() + 0.5, () -> category(r), () -> 1.0, () -> Double.NaN));
            FeatureDrift x = rep.feature("x").orElseThrow();
            assertThat(x.state()).as(x.toString()).isEqualTo(DriftState.DRIFT);
            assertThat(rep.feature("c").orElseThrow().state()).isEqualTo(DriftState.OK);
            assertThat(x.statistics().get(0).name()).isEqualTo(size > 1_000 ? "jensen_shannon" : "ks_p_value");
        }
    }

    @Test
    void aLargeMeanShiftIsMeasuredByWassersteinInTrainingSpread() {
        Random r = new Random(4);
        DriftReport rep = window(monitor(5_000), batch(5_000, () -> r.nextGaussian() + 1.0, () -> category(r), () -> 1.0, () -> Double.NaN));
        DriftStatistic w = rep.feature("x").orElseThrow().statistics().stream().filter(s -> s.name().equals("wasserstein")).findFirst().orElseThrow();
        assertThat(w.value()).isBetween(0.85, 1.15); // a shift of one standard deviation
        assertThat(w.state()).isEqualTo(DriftState.DRIFT);
    }

    @Test
    void aVarianceChangeDrifts() {
        for (int size : new int[] {300, 2_000}) {
            Random r = new Random(5);
            DriftReport rep = window(monitor(size), batch(size, () -> 2 * r.nextGaussian(), () -> category(r), () -> 1.0, () -> Double.NaN));
            assertThat(rep.feature("x").orElseThrow().state()).isEqualTo(DriftState.DRIFT);
        }
    }

    @Test
    void aNewCategoryDrifts() {
        for (int size : new int[] {300, 2_000}) {
            Random r = new Random(6);
            DriftReport rep = window(monitor(size), batch(size, r::nextGaussian, () -> r.nextDouble() < 0.1 ? "d" : category(r), () -> 1.0,
                    () -> Double.NaN));
            FeatureDrift c = rep.feature("c").orElseThrow();
            assertThat(c.state()).as(c.toString()).isEqualTo(DriftState.DRIFT);
            assertThat(c.statistics().get(0).name()).isEqualTo(size > 1_000 ? "jensen_shannon" : "chi2_p_value");
            assertThat(rep.feature("x").orElseThrow().state()).isEqualTo(DriftState.OK);
        }
    }

    @Test
    void noAlarmOnFewerThanThirtyRowsHoweverShifted() {
        DriftMonitor m = monitor(29);
        DriftReport rep = window(m, batch(29, () -> 100.0, () -> "zzz", () -> 5.0, () -> 3.0));
        assertThat(rep.state()).isEqualTo(DriftState.OK);
        assertThat(rep.feature("x").orElseThrow().reason()).contains("too few rows");
    }

    @Test
    void anEmptyWindowIsOk() {
        DriftReport rep = monitor(100).current();
        assertThat(rep.state()).isEqualTo(DriftState.OK);
        assertThat(rep.windowRows()).isZero();
        assertThat(rep.feature("x").orElseThrow().reason()).isEqualTo("empty window");
        assertThat(rep.feature("x").orElseThrow().live()).allMatch(v -> v == 0.0);
        assertThat(DriftJson.toJson(rep).toString()).doesNotContain("NaN");
        assertThat(DriftJson.toHtml(rep, null)).contains("<svg");
    }

    @Test
    void constantAndAllMissingColumnsAreSane() {
        Random r = new Random(8);
        DriftReport same = window(monitor(500), noShift(r, 500));
        assertThat(same.feature("k").orElseThrow().state()).isEqualTo(DriftState.OK);
        assertThat(same.feature("m").orElseThrow().state()).isEqualTo(DriftState.OK);
        DriftReport moved = window(monitor(500), batch(500, r::nextGaussian, () -> category(r), () -> 2.0, () -> 1.0));
        assertThat(moved.feature("k").orElseThrow().state()).isEqualTo(DriftState.DRIFT); // the constant changed
        assertThat(moved.feature("m").orElseThrow().state()).isEqualTo(DriftState.DRIFT); // values where training had none
        assertThat(moved.feature("x").orElseThrow().state()).isEqualTo(DriftState.OK);
    }

    @Test
    void predictionDriftIsJudgedAgainstTheFirstWindowOfPredictions() {
        Random r = new Random(9);
        DriftMonitor m = monitor(1_000);
        m.record(noShift(r, 1_000), r.doubles(1_000).map(u -> 20 + 5 * u).toArray());
        assertThat(m.lastCompleted().orElseThrow().prediction().reason()).contains("no prediction reference");
        m.record(noShift(r, 1_000), r.doubles(1_000).map(u -> 20 + 5 * u).toArray());
        assertThat(m.lastCompleted().orElseThrow().prediction().state()).isEqualTo(DriftState.OK);
        m.record(noShift(r, 1_000), r.doubles(1_000).map(u -> 23 + 5 * u).toArray());
        assertThat(m.lastCompleted().orElseThrow().prediction().state()).isEqualTo(DriftState.DRIFT);
    }

    @Test
    void listenersHearOfChangesOnly() {
        Random r = new Random(10);
        DriftMonitor m = monitor(300);
        List<String> heard = new ArrayList<>();
        m.addListener((model, version, change) -> heard.add(change.feature() + ":" + change.state().lower()));
        window(m, noShift(r, 300));
        assertThat(heard).isEmpty();
        window(m, batch(300, () -> r.nextGaussian() + 1, () -> category(r), () -> 1.0, () -> Double.NaN));
        window(m, batch(300, () -> r.nextGaussian() + 1, () -> category(r), () -> 1.0, () -> Double.NaN));
        window(m, noShift(r, 300));
        assertThat(heard).containsExactly("x:drift", "x:ok");
        assertThat(m.states().get(0)).isEqualTo(DriftState.OK);
    }

    @Test
    void statisticsMatchKnownValues() {
        assertThat(Stats.jensenShannon(new double[] {1, 0}, new double[] {0, 1})).isEqualTo(1.0);
        assertThat(Stats.jensenShannon(new double[] {0.5, 0.5}, new double[] {0.5, 0.5})).isZero();
        assertThat(Stats.chiSquareSurvival(3.841458820694124, 1)).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Stats.chiSquareSurvival(18.307038053275146, 10)).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Stats.kolmogorovQ(1.3580986393225505)).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Stats.logGamma(5)).isCloseTo(Math.log(24), org.assertj.core.data.Offset.offset(1e-12));
    }
}
