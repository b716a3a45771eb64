package org.mlops4j.core;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.profile.DataProfile;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.train.DecisionTree;

import static org.assertj.core.api.Assertions.assertThat;

/** What JShell echoes is short and rounded: profiles, versions, manifests. */
class ReadableResultsTest {

    @Test
    void profilesPrintRoundedSummaries() {
        Dataset d = TestData.boston().load();
        DataProfile p = d.profile();

        assertThat(p.toString()).startsWith("DataProfile[506 rows, 14 columns: CRIM numeric: n=506")
                .doesNotContain("3.6135235").hasSizeLessThan(2500);
        assertThat(p.column("CRIM").toString()).startsWith("NumericProfile[CRIM numeric: n=506 missing=0 min=0.006320")
                .contains("mean=3.614");
    }

    @Test
    void aModelVersionPrintsShortIdsAndRoundedMetrics() {
        ModelRegistry registry = ModelRegistry.inMemory();
        Pipeline.from(TestData.boston()).label("MEDV").drop("B").train(DecisionTree.regression().maxDepth(3))
                .track(org.mlops4j.core.tracking.Tracker.inMemory(), "readable").register(registry, "prices", "champion").run();
        ModelVersion v = registry.version("prices@champion");

        assertThat(v.toString()).startsWith("ModelVersion[name=prices, version=1, aliases=[champion], created ")
                .contains("data sha256:530159db0e40,", "holdout_rmse=", "manifest sha256:")
                .doesNotContainPattern("holdout_rmse=\\d+\\.\\d{5,}")
                .doesNotContain(v.manifestSha256());
        assertThat(registry.load("prices").manifest().toString())
                .startsWith("BundleManifest[compiled decision_tree regression of 'MEDV', inputs [CRIM");
    }
}
