package org.mlops4j.core.registry;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.registry.memory.InMemoryRegistryStore;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromotionTest {

    private static Pipeline housePrices(org.mlops4j.core.train.Trainer trainer) {
        return Pipeline.from(TestData.boston()).label("MEDV").transform(Impute.median()).split(Split.trainTest(0.8).seed(3)).train(trainer);
    }

    private static final Promotion RULE = Promotion.to("champion").ifBeats("rmse").within(0.01);

    @Test
    void aWorseChallengerIsRefusedWithBothScoresRecordedAndABetterOneIsPromoted() {
        try (Tracker tracker = Tracker.inMemory()) {
            ModelRegistry registry = ModelRegistry.inMemory();
            PipelineResult first = housePrices(RandomForest.regression().trees(20).seed(1)).track(tracker, "hp")
                    .register(registry, "hp", RULE).run();
            assertThat(first.promotion()).hasValueSatisfying(d -> {
                assertThat(d.outcome()).isEqualTo(PromotionDecision.Outcome.PROMOTED);
                assertThat(d.current()).isZero();
                assertThat(d.reason()).contains("no version held 'champion'");
            });
            assertThat(first.registered().orElseThrow().aliases()).containsExactly("champion");

            PipelineResult worse = housePrices(DecisionTree.regression().maxDepth(1)).track(tracker, "hp")
                    .register(registry, "hp", RULE).run();
            PromotionDecision refused = worse.promotion().orElseThrow();
            assertThat(refused.outcome()).isEqualTo(PromotionDecision.Outcome.REFUSED);
            assertThat(refused.challenger()).isEqualTo(2);
            assertThat(refused.current()).isEqualTo(1);
            assertThat(refused.challengerScore()).isGreaterThan(refused.currentScore() + 0.01);
            assertThat(refused.currentScore()).isFinite();
            assertThat(refused.rows()).isEqualTo(worse.testSet().rowCount()).isEqualTo(101);
            assertThat(refused.rowsVersion()).as("the exact rows compared on").isEqualTo(worse.testSet().version().id());
            assertThat(refused.datasetVersion()).as("the data set those rows were drawn from, the challenger's")
                    .isEqualTo(worse.datasetVersion().id()).isNotEqualTo(refused.rowsVersion());
            assertThat(PromotionDecision.fromJson(refused.toJson())).isEqualTo(refused);
            assertThat(refused.toString()).contains("on 101 rows (sha256:" + refused.rowsVersion().substring(0, 12) + ") of data "
                    + refused.datasetVersion().substring(0, 12));
            assertThat(refused.decidedBy()).isEqualTo("pipeline run " + worse.runId().orElseThrow());
            assertThat(refused.reason()).contains("is worse than the holder's");
            assertThat(registry.version("hp@champion").version()).isEqualTo(1);
            // recorded on the version and on the run
            assertThat(registry.version("hp/2").tags().keySet()).anyMatch(k -> k.startsWith("mlops.promotion."));
            Run run = tracker.run(worse.runId().orElseThrow()).orElseThrow();
            assertThat(run.tags().entrySet()).anyMatch(e -> e.getKey().startsWith("mlops.promotion.")
                    && e.getValue().contains("\"outcome\":\"REFUSED\"") && e.getValue().contains("\"currentScore\""));

            PipelineResult better = housePrices(RandomForest.regression().trees(40).seed(2).maxDepth(12)).track(tracker, "hp")
                    .register(registry, "hp", Promotion.to("champion").ifBeats("rmse").within(10.0)).run();
            assertThat(better.promotion().orElseThrow().outcome()).isEqualTo(PromotionDecision.Outcome.PROMOTED);
            assertThat(registry.version("hp@champion").version()).isEqualTo(3);

            List<PromotionDecision> history = Promotion.history(registry, "hp");
            assertThat(history).extracting(PromotionDecision::outcome).containsExactly(PromotionDecision.Outcome.PROMOTED,
                    PromotionDecision.Outcome.REFUSED, PromotionDecision.Outcome.PROMOTED);

            PromotionDecision back = Promotion.rollback(registry, "hp", "champion", tracker, "on-call");
            assertThat(back.outcome()).isEqualTo(PromotionDecision.Outcome.ROLLED_BACK);
            assertThat(back.challenger()).isEqualTo(1);
            assertThat(back.current()).isEqualTo(3);
            assertThat(registry.version("hp@champion").version()).isEqualTo(1);
            assertThat(Promotion.history(registry, "hp")).hasSize(4).last().isEqualTo(back);
            assertThat(tracker.run(first.runId().orElseThrow()).orElseThrow().tags().values()).anyMatch(v -> v.contains("ROLLED_BACK"));
            assertThatThrownBy(() -> Promotion.rollback(registry, "hp", "champion", tracker, "on-call"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no recorded promotion");
        }
    }

    @Test
    void floorsBoundTheChallengerEvenWithoutAHolder() {
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult r = housePrices(DecisionTree.regression().maxDepth(1))
                .register(registry, "floor", Promotion.to("champion").maximum("rmse", 2.0).minimum("r2", 0.9)).run();
        PromotionDecision d = r.promotion().orElseThrow();
        assertThat(d.outcome()).isEqualTo(PromotionDecision.Outcome.REFUSED);
        assertThat(d.reason()).contains("rmse").contains("above the maximum 2.0").contains("r2").contains("below the minimum 0.9");
        assertThat(registry.version("floor/1").aliases()).isEmpty();
    }

    @Test
    void aMetricTheEvaluatorDoesNotComputeIsAnErrorNotARecordedRefusal() {
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult r = housePrices(DecisionTree.regression().maxDepth(2)).register(registry, "m").run();
        for (Promotion typo : java.util.List.of(Promotion.to("champion").ifBeats("rmsee"), Promotion.to("champion").minimum("acuracy", 0.9),
                Promotion.to("champion").maximum("accuracy", 0.9))) {
            assertThatThrownBy(() -> typo.decide(registry, "m/1", r.testSet())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no metric '").hasMessageContaining("rmse").hasMessageContaining("nothing was recorded");
        }
        assertThat(registry.version("m/1").aliases()).isEmpty();
        assertThat(Promotion.history(registry, "m")).isEmpty();
    }

    @Test
    void aPipelineWhosePromotionRuleNamesAnUnknownMetricRegistersNothing() {
        ModelRegistry registry = ModelRegistry.inMemory();
        assertThatThrownBy(() -> housePrices(DecisionTree.regression().maxDepth(2))
                .register(registry, "u", Promotion.to("champion").ifBeats("rmsee")).run())
                .hasStackTraceContaining("no metric 'rmsee'");
        assertThat(registry.versions("u")).isEmpty();
    }

    @Test
    void anEmptyHoldoutIsRefusedClearly() {
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult r = housePrices(DecisionTree.regression().maxDepth(2)).register(registry, "e").run();
        Dataset none = r.testSet().rows(new int[0]);
        assertThatThrownBy(() -> RULE.decide(registry, "e/1", none)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("on no rows: its holdout is empty");
        assertThatThrownBy(() -> RULE.decide(registry, "e/1", r.testSet().drop("MEDV"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no label column 'MEDV'");
    }

    @Test
    void aChampionWhoseBundleNoLongerVerifiesIsNotComparedAndTheAliasStays() {
        Tampering store = new Tampering();
        ModelRegistry registry = ModelRegistry.of(store);
        housePrices(DecisionTree.regression().maxDepth(2)).register(registry, "t", "champion").run();
        PipelineResult challenger = housePrices(RandomForest.regression().trees(10).seed(1)).register(registry, "t").run();
        store.corrupt = 1;
        PromotionDecision d = RULE.decide(registry, "t/2", challenger.testSet());
        assertThat(d.outcome()).isEqualTo(PromotionDecision.Outcome.REFUSED);
        assertThat(d.reason()).contains("the holder t/1 cannot be evaluated").contains("SHA-256");
        assertThat(registry.version("t@champion").version()).isEqualTo(1);
        assertThat(Promotion.history(registry, "t")).containsExactly(d);
        // and a rollback onto a version that no longer verifies is refused
        store.corrupt = 0;
        RULE.within(100).decide(registry, "t/2", challenger.testSet());
        store.corrupt = 1;
        assertThatThrownBy(() -> Promotion.rollback(registry, "t", "champion", null, "x")).isInstanceOf(BundleIntegrityException.class);
        assertThat(registry.version("t@champion").version()).isEqualTo(2);
    }

    @Test
    void promotingFromARunsRecordedHoldout() {
        try (Tracker tracker = Tracker.inMemory()) {
            ModelRegistry registry = ModelRegistry.inMemory();
            housePrices(DecisionTree.regression().maxDepth(1)).track(tracker, "x").register(registry, "x", "champion").run();
            PipelineResult c = housePrices(RandomForest.regression().trees(10).seed(4)).track(tracker, "x").register(registry, "x").run();
            Dataset rows = Pipeline.holdoutOf(tracker, c.runId().orElseThrow());
            assertThat(rows.version().id()).isEqualTo(c.testSet().version().id());
            PromotionDecision d = RULE.by("test").decide(registry, "models:/x/2", rows, tracker);
            assertThat(d.outcome()).as(d.toString()).isEqualTo(PromotionDecision.Outcome.PROMOTED);
            assertThat(d.toString()).contains("x@champion PROMOTED version 2 over 1").contains("[by test]");
        }
    }

    @Test
    void aDecisionWrittenBeforeRowsVersionExistedReadsItsRowsHashAsTheRowsVersion() {
        String h = "ab".repeat(32);
        PromotionDecision d = PromotionDecision.fromJson("{\"model\":\"hp\",\"alias\":\"champion\",\"outcome\":\"PROMOTED\","
                + "\"challenger\":2,\"current\":1,\"metric\":\"rmse\",\"challengerScore\":3.0,\"currentScore\":3.1,"
                + "\"datasetVersion\":\"" + h + "\",\"rows\":101,\"rule\":\"r\",\"reason\":\"x\",\"decidedAt\":\"2026-12-02T10:00:00Z\","
                + "\"decidedBy\":\"me\",\"runId\":null}");
        assertThat(d.rowsVersion()).isEqualTo(h);
        assertThat(d.datasetVersion()).isNull();
    }

    @Test
    void rulesAreCheckedWhenMade() {
        assertThatThrownBy(() -> Promotion.to("champion").within(0.1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Promotion.to("1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Promotion.to("c").ifBeats("rmse").within(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Promotion.to("c").ifBeats("holdout_r2").describe()).isEqualTo("to c if beats the holder on r2 (higher is better)");
    }

    /** An in-memory store whose stored bytes of one version can be damaged, as a disk or an intruder would. */
    static final class Tampering implements RegistryStore {
        final InMemoryRegistryStore delegate = new InMemoryRegistryStore();
        volatile int corrupt;

        @Override
        public ModelVersion addVersion(NewVersion version) {
            return delegate.addVersion(version);
        }

        @Override
        public Optional<ModelVersion> version(String name, int version) {
            return delegate.version(name, version);
        }

        @Override
        public List<ModelVersion> versions(String name) {
            return delegate.versions(name);
        }

        @Override
        public List<String> models() {
            return delegate.models();
        }

        @Override
        public void setAlias(String name, String alias, int version) {
            delegate.setAlias(name, alias, version);
        }

        @Override
        public boolean deleteAlias(String name, String alias) {
            return delegate.deleteAlias(name, alias);
        }

        @Override
        public Optional<Integer> alias(String name, String alias) {
            return delegate.alias(name, alias);
        }

        @Override
        public void setTag(String name, int version, String key, String value) {
            delegate.setTag(name, version, key, value);
        }

        @Override
        public Map<String, byte[]> files(String name, int version) {
            Map<String, byte[]> f = new HashMap<>(delegate.files(name, version));
            if (version == corrupt) {
                byte[] t = f.get("transforms.json").clone();
                t[t.length / 2] ^= 1;
                f.put("transforms.json", t);
            }
            return f;
        }
    }
}
