package org.mlops4j.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.Reproduction;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.evaluate.CrossValidation;
import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.Promotion;
import org.mlops4j.core.registry.PromotionDecision;
import org.mlops4j.core.report.ModelCard;
import org.mlops4j.core.registry.RegisteredModel;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.tune.Pruners;
import org.mlops4j.core.tune.Space;
import org.mlops4j.core.tune.Tune;
import org.mlops4j.core.transform.Drop;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Standardize;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The house-price lifecycle of the MLOps course, in one process: versioned data, fitted preprocessing,
 * a random forest tuned by a seeded TPE study (each trial a child run), holdout and 5-fold cross-validation
 * of the chosen forest, a tracked run with a snapshot of its data, a model registered into the durable registry of
 * the same SQLite file (version 1 on the first run, 2 on the next...) that takes the alias {@code champion} by proof,
 * predictions from the registered model on raw rows (another process loads {@code models:/house-prices@champion} the
 * same way), an exact reproduction of the registered version from its records, and a model card
 * ({@code mlruns/house-prices-card.html}). Runs are kept in the
 * embedded tracking store {@code ./mlruns/mlops.db}, so each run can be compared with the previous one
 * ({@code java -jar mlops-cli/target/mlops.jar runs compare --store sqlite:samples/mlruns/mlops.db
 * --experiment house-prices}).
 *
 * <p>Run it with {@code ./mvnw -q -pl samples -am -DskipTests -Psample verify}. The last line of the
 * output is one JSON object for scripts.
 */
public final class HousePrices {

    /** The tuning budget: small, so the main job stays quick; raise it with -Dsample.trials=N. */
    private static final int TRIALS = Integer.getInteger("sample.trials", 8);

    private HousePrices() {
    }

    /**
     * @param args optional path of the Boston housing CSV (default: {@code data/boston_house_prices.csv})
     */
    public static void main(String[] args) throws Exception {
        SLF4JBridgeHandler.removeHandlersForRootLogger(); // Tribuo logs through java.util.logging
        SLF4JBridgeHandler.install();
        Path data = dataFile(args);

        // Durable, zero set-up tracking: ./mlruns/mlops.db (SQLite) with the artifacts beside it.
        Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(TRACKING_DB)).build();
        // The model registry lives in the same file: versions 1, 2, 3... across runs, bundle files beside the artifacts.
        ModelRegistry registry = ModelRegistry.of(SqliteTrackingStore.builder(TRACKING_DB).openRegistry()).withRuns(tracker);
        RegisteredModel before = registry.model("house-prices", false);
        Integer previousChampion = before == null ? null : before.aliases().get("champion");
        PipelineResult result = Pipeline.from(Csv.file(data).skipLines(1)) // line 1 is a count line, line 2 the header
                .label("MEDV")
                // B encodes a racial statistic of each town; scikit-learn removed this data set for it. Drop it.
                .drop("B")
                .transform(Impute.median(), Standardize.all())
                .split(Split.trainTest(0.8).seed(42))
                // Tuned, not guessed: a seeded TPE search over the forest's hyperparameters, each trial scored by
                // 3-fold cross-validation of the training rows (the transforms re-fitted in every fold), poor trials
                // stopped after a fold; the best configuration is refit on all training rows and registered.
                .train(Tune.tpe(Space.of(RandomForest.regression().seed(42))
                                .ints("trees", RandomForest::trees, 20, 100, 20)
                                .ints("max_depth", RandomForest::maxDepth, 4, 14)
                                .logDoubles("min_child_weight", RandomForest::minChildWeight, 1, 10)
                                .doubles("feature_fraction", RandomForest::featureFraction, 0.3, 1.0))
                        .trials(TRIALS).crossValidate(3).pruner(Pruners.median()).seed(42))
                .evaluate(Metrics.regression())
                .crossValidate(Split.kFold(5).seed(42))
                .track(tracker, "house-prices")
                .snapshotData() // an exact copy of the data in the store, once per data version: reproducible after the CSV changes
                // the new version takes the alias only if it beats the champion on the same rows (or no version holds it)
                .register(registry, "house-prices", Promotion.to("champion").ifBeats("rmse").within(0.01))
                .run();

        // Serving side: load the champion from the registry (checksums verified) and predict raw rows.
        Predictor champion = registry.predictor("house-prices@champion");
        List<Prediction> served = champion.predict(result.testSet());
        boolean consistent = true;
        for (int i = 0; i < served.size(); i++) {
            consistent &= served.get(i).value() == result.testPredictions().get(i).value();
        }
        Map<String, Object> example = Map.ofEntries(Map.entry("CRIM", 0.00632), Map.entry("ZN", 18), Map.entry("INDUS", 2.31),
                Map.entry("CHAS", 0), Map.entry("NOX", 0.538), Map.entry("RM", 6.575), Map.entry("AGE", 65.2),
                Map.entry("DIS", 4.09), Map.entry("RAD", 1), Map.entry("TAX", 296), Map.entry("PTRATIO", 15.3),
                Map.entry("LSTAT", 4.98));
        double examplePrice = champion.predict(example).value();
        List<Double> firstRows = new java.util.ArrayList<>(); // the file's first rows, for another process to compare
        List<Prediction> fromFile = champion.predict(Csv.file(data).skipLines(1).load());
        for (int i = 0; i < Math.min(5, fromFile.size()); i++) {
            firstRows.add(fromFile.get(i).value());
        }

        CrossValidation cv = result.crossValidation().orElseThrow();
        ModelVersion version = result.registered().orElseThrow();
        PromotionDecision decision = result.promotion().orElseThrow();

        // Evidence: rebuild the version just registered from its records and compare bit for bit.
        String ref = "models:/" + version.name() + "/" + version.version();
        Reproduction reproduction = Pipeline.reproduce(tracker, registry, ref);

        // A model card a person reads, next to the tracking store.
        ModelCard card = ModelCard.builder(registry.load(version.ref())).version(registry.version(version.ref()))
                .run(tracker, result.runId().orElseThrow()).holdout(result.testSet())
                .intendedUse("Teaching the ML lifecycle on the Boston housing data: estimate a tract's median home value (MEDV, $1000s).")
                .limitations("1970s census tracts of one city; not for real valuations. The column B was dropped on purpose.")
                .history(Promotion.history(registry, version.name())).build();
        Path cardDir = TRACKING_DB.toAbsolutePath().getParent();
        Files.writeString(cardDir.resolve("house-prices-card.md"), card.markdown());
        Files.writeString(cardDir.resolve("house-prices-card.html"), card.html());
        System.out.println("House prices (Boston housing, predict MEDV in $1000s)");
        System.out.print(result.summary());
        Integer championNow = registry.model("house-prices", false).aliases().get("champion");
        System.out.printf(Locale.ROOT, "registry  %s/%d registered; champion is %s/%d now, it was %s before (%s)%n", version.name(),
                version.version(), version.name(), championNow, previousChampion == null ? "unset" : version.name() + "/" + previousChampion,
                "sqlite:" + TRACKING_DB.toAbsolutePath().normalize());
        System.out.printf(Locale.ROOT, "served    %s: %d holdout rows re-predicted from the registry, identical: %s; "
                + "first row of the file -> %.2f%n", "models:/house-prices@champion", served.size(), consistent ? "yes" : "NO", examplePrice);

        System.out.printf(Locale.ROOT, "promotion %s%n", decision);
        System.out.printf(Locale.ROOT, "reproduce %s %s: %s%n", ref, reproduction.exact() ? "reproduced exactly" : "did NOT reproduce",
                reproduction.exact() ? String.join(", ", reproduction.compared()) : reproduction.differences());
        System.out.printf(Locale.ROOT, "card      %s%n", cardDir.resolve("house-prices-card.html").normalize());

        ObjectMapper json = new ObjectMapper();
        ObjectNode line = json.createObjectNode();
        line.put("dataset_version", result.datasetVersion().id());
        line.put("run_id", result.runId().orElseThrow());
        line.put("model", version.name());
        line.put("version", version.version());
        line.put("alias", "champion");
        if (previousChampion == null) {
            line.putNull("previous_champion");
        } else {
            line.put("previous_champion", previousChampion);
        }
        line.put("model_uri", "models:/house-prices@champion");
        line.put("example_prediction", examplePrice);
        firstRows.forEach(line.putArray("first_rows_predictions")::add);
        line.put("holdout_rmse", round(result.holdout().get("rmse")));
        line.put("holdout_mae", round(result.holdout().get("mae")));
        line.put("r2", round(result.holdout().get("r2")));
        line.put("cv_rmse", round(cv.mean("rmse")));
        line.put("cv_rmse_std", round(cv.std("rmse")));
        line.put("cv_r2", round(cv.mean("r2")));
        line.put("train_seconds", round(result.trainTime().toNanos() / 1e9));
        line.put("total_seconds", round(result.totalTime().toNanos() / 1e9));
        line.put("registry_predictions_match", consistent);
        line.put("promotion", decision.outcome().name());
        line.put("reproduced_exactly", reproduction.exact());
        String previous = previousRun(tracker, result.runId().orElseThrow());
        registry.close();
        tracker.close(); // writes everything buffered
        System.out.printf(Locale.ROOT, "tracked   run %s in %s%s%n", result.runId().orElseThrow(), TRACKING_DB.toAbsolutePath().normalize(),
                previous == null ? "" : "; previous run " + previous);
        if (previous != null) {
            System.out.printf(Locale.ROOT, "compare   %sjava -jar mlops-cli/target/mlops.jar runs compare --store sqlite:%s %s %s%n",
                    cliBuilt() ? "" : "./mvnw -q -pl mlops-cli -am -DskipTests package && ",
                    TRACKING_DB.toAbsolutePath().normalize(), previous, result.runId().orElseThrow());
        }
        line.put("tracking_store", "sqlite:" + TRACKING_DB.toAbsolutePath().normalize());
        line.put("previous_run_id", previous);
        System.out.println(json.writeValueAsString(line));
        if (!consistent || !reproduction.exact()) {
            System.err.println(reproduction);
            System.exit(1);
        }
    }

    /**
     * Whether the command-line jar is built, so the printed command can be run as it is; else the command
     * builds it first. Paths are the repository root's, where the README's commands run.
     */
    private static boolean cliBuilt() {
        Path root = Files.exists(Path.of("..", "mvnw")) ? Path.of("..") : Path.of(".");
        return Files.isRegularFile(root.resolve("mlops-cli/target/mlops.jar"));
    }

    /** The embedded tracking store, relative to the directory the sample runs in. */
    private static final Path TRACKING_DB = SqliteTrackingStore.DEFAULT_PATH;

    /** @return the id of the latest earlier top-level run of the experiment, or null for the first run */
    private static String previousRun(Tracker tracker, String current) {
        String experiment = tracker.experimentByName("house-prices").orElseThrow().id();
        for (Run r : tracker.searchRuns(RunQuery.experiments(experiment).orderBy("attributes.start_time DESC").maxResults(100)).runs()) {
            if (r.info().parentRunId() == null && !r.id().equals(current)) {
                return r.id();
            }
        }
        return null;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static Path dataFile(String[] args) {
        if (args.length > 0 && !args[0].isBlank()) {
            return Path.of(args[0]);
        }
        for (Path p : List.of(Path.of("data/boston_house_prices.csv"), Path.of("samples/data/boston_house_prices.csv"))) {
            if (Files.exists(p)) {
                return p;
            }
        }
        return Path.of("data/boston_house_prices.csv"); // the error names this path
    }
}
