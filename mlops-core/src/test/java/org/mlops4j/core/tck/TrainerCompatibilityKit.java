package org.mlops4j.core.tck;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainerSpec;
import org.mlops4j.core.train.TrainingSet;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link Trainer} passes: its spec names it and its task; the same trainer on the same
 * data gives the same predictions; the model's signature is the training features, in order; a model is
 * safe to call from many threads at once. A trainer's test is a short subclass giving the trainer and ready
 * training data.
 * {@snippet :
 * class ForestTrainerTest extends TrainerCompatibilityKit {
 *     protected Trainer trainer() { return RandomForest.regression().trees(10); }
 *     protected TrainingSet trainingSet() { return ...; }
 * }
 * }
 */
public abstract class TrainerCompatibilityKit {
    private static final TrainContext FIXED = new TrainContext(Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC),
            Runnable::run, (metric, value, step) -> { });

    /** @return the trainer under test */
    protected abstract Trainer trainer();

    /** @return ready training data for it */
    protected abstract TrainingSet trainingSet();

    @Test
    void theSpecNamesTheTrainerAndItsTask() {
        TrainerSpec spec = trainer().spec();

        assertThat(spec.name()).isNotBlank().matches("[a-z][a-z0-9_.\\-]*");
        assertThat(spec.task()).isEqualTo(trainingSet().task());
        assertThat(spec.hyperparameters()).isNotNull();
        assertThat(trainer().spec()).isEqualTo(spec);
    }

    @Test
    void theSameTrainerOnTheSameDataPredictsTheSame() {
        TrainingSet train = trainingSet();
        List<Prediction> a = trainer().fit(train, FIXED).predict(train.features());
        List<Prediction> b = trainer().fit(train, FIXED).predict(train.features());

        assertThat(b).isEqualTo(a).hasSize(train.rows());
    }

    @Test
    void theModelReadsTheTrainingFeaturesInOrderAndKnowsTheClasses() {
        TrainingSet train = trainingSet();
        Model m = trainer().fit(train, FIXED);

        assertThat(m.signature().features()).isEqualTo(train.features().schema().names());
        assertThat(m.signature().task()).isEqualTo(train.task());
        Target t = train.target();
        assertThat(m.signature().classes()).isEqualTo(t.classes());
    }

    @Test
    void aModelPredictsTheSameFromManyThreadsAtOnce() throws Exception {
        TrainingSet train = trainingSet();
        Model m = trainer().fit(train, FIXED);
        Dataset f = train.features();
        List<Prediction> expected = m.predict(f);
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<List<Prediction>>> all = java.util.stream.IntStream.range(0, 8)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> m.predict(f), pool)).toList();
            for (CompletableFuture<List<Prediction>> p : all) {
                assertThat(p.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
