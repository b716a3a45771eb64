package org.mlops4j.tracking.reliability;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.JdbcTrackingStore;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;
import org.mlops4j.core.train.Validator;
import org.mlops4j.core.tune.Space;
import org.mlops4j.core.tune.StudyResult;
import org.mlops4j.core.tune.StudyStorage;
import org.mlops4j.core.tune.Tune;
import org.mlops4j.tracking.jdbc.PostgresTrackingStore;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One JVM of {@link SharedStudyIT}: works on the study {@code name} in the store {@code sqlite:<file>} or
 * {@code pg:<schema>:<jdbc url>} with a budget of {@code trials}. Prints {@code READY} once its store is open;
 * with {@code go} it then waits for a {@code GO} line on stdin. Prints {@code TRIAL <n> <state>} as each of
 * its trials ends and {@code END <trials in the study>} at the end, exit 0; a failure is printed, exit 1.
 */
public final class StudyChild {
    private StudyChild() {
    }

    /** The study every JVM of the test shares: forests on the house prices, a few hundred ms a trial. */
    static Space<RandomForest> space() {
        return Space.of(RandomForest.regression().seed(42))
                .ints("trees", RandomForest::trees, 5, 20)
                .ints("max_depth", RandomForest::maxDepth, 3, 12)
                .doubles("feature_fraction", RandomForest::featureFraction, 0.3, 1.0);
    }

    static TrainingSet houses(Path csv) {
        Dataset d = Csv.file(csv).skipLines(1).load();
        return new TrainingSet(d.drop("B", "MEDV"), Target.of(d, "MEDV", Task.REGRESSION));
    }

    static JdbcTrackingStore open(String where, Path artifacts) {
        if (where.startsWith("sqlite:")) {
            return SqliteTrackingStore.builder(Path.of(where.substring("sqlite:".length()))).artifactRoot(artifacts).open();
        }
        String[] p = where.split(":", 3); // pg:<schema>:<jdbc url>
        return PostgresTrackingStore.builder(p[2]).schema(p[1]).artifactRoot(artifacts).poolSize(2).open();
    }

    public static void main(String[] args) throws Exception {
        String where = args[0];
        String name = args[1];
        int trials = Integer.parseInt(args[2]);
        boolean go = args.length > 4 && args[4].equals("go");
        try (Tracker tracker = Tracker.builder().store(open(where, Path.of(args[3]))).build()) {
            TrainingSet houses = houses(Path.of(System.getProperty("mlops.samples.data", "../samples/data"), "boston_house_prices.csv"));
            StudyStorage storage = StudyStorage.of(tracker, name).heartbeat(Duration.ofMillis(200)).staleAfter(Duration.ofSeconds(2));
            System.out.println("READY");
            System.out.flush();
            if (go) {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (!"GO".equals(line)) {
                    throw new IllegalStateException("expected GO but read " + line);
                }
            }
            StudyResult r = Tune.tpe(space()).trials(trials).parallelism(1).seed(17).storage(storage)
                    .onTrial(t -> {
                        System.out.println("TRIAL " + t.number() + " " + t.state() + " " + t.value());
                        System.out.flush();
                    })
                    .run(houses, TrainContext.defaults().withValidator(Validator.onReadyRows()));
            System.out.println("END " + r.trials().size());
        } catch (Throwable e) {
            System.out.println("FAILED " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
