package org.mlops4j.cli;

import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Standardize;
import org.mlops4j.core.tune.Space;
import org.mlops4j.core.tune.Tune;
import org.mlops4j.tracking.TrackingStores;

import java.nio.file.Path;

/**
 * The first JVM of {@link CliReproduceAcrossJvmsIT}: trains the house-price pipeline as the sample does (a small seeded
 * study, then the chosen forest) and registers it into the registry of a store, once without and once with a data
 * snapshot. Prints {@code VERSION <n> RUN <id>} per version, then {@code END}.
 * {@snippet :
 * java -cp <test class path> org.mlops4j.cli.RegisterForReproduction boston.csv sqlite:/tmp/mlops.db
 * }
 */
public final class RegisterForReproduction {
    private RegisterForReproduction() {
    }

    /**
     * @param args the CSV file, the store URI
     */
    public static void main(String[] args) {
        Path csv = Path.of(args[0]);
        String store = args[1];
        try (Tracker tracker = TrackingStores.tracker(store);
             ModelRegistry registry = ModelRegistry.of(TrackingStores.openRegistry(store)).withRuns(tracker)) {
            Space<RandomForest> space = Space.of(RandomForest.regression().trees(8).seed(42))
                    .ints("max_depth", RandomForest::maxDepth, 3, 9)
                    .doubles("feature_fraction", RandomForest::featureFraction, 0.4, 1.0);
            Pipeline p = Pipeline.from(Csv.file(csv).skipLines(1)).label("MEDV").drop("B")
                    .transform(Impute.median(), Standardize.all())
                    .split(Split.trainTest(0.8).seed(7))
                    .train(Tune.tpe(space).trials(3).crossValidate(2).parallelism(1).seed(11))
                    .evaluate(Metrics.regression())
                    .crossValidate(3)
                    .track(tracker, "house-prices");
            PipelineResult plain = p.register(registry, "house-prices").run();
            System.out.println("VERSION 1 RUN " + plain.runId().orElseThrow());
            PipelineResult kept = p.snapshotData().register(registry, "house-prices").run();
            System.out.println("VERSION 2 RUN " + kept.runId().orElseThrow());
            System.out.println("END");
        }
    }
}
