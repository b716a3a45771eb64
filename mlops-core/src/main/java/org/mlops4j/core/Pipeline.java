package org.mlops4j.core;

import org.mlops4j.core.internal.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The whole lifecycle as one immutable description: source → transform → split → train → evaluate →
 * track → register. Each method returns a new pipeline, so a pipeline can be shared, extended and run
 * again; {@link #run()} does the work and returns a {@link PipelineResult}.
 *
 * <p>What {@code run()} guarantees:
 * <ul>
 *   <li>transforms are fitted on the training rows only (per fold in cross-validation), so no test
 *       information leaks into preprocessing, and the fitted chain travels in the model bundle;</li>
 *   <li>the run records the data version and profile, the transforms, the algorithm and every
 *       hyperparameter, the seeds, the metrics, the environment and the duration;</li>
 *   <li>on any failure the run is marked {@link RunStatus#FAILED} with the error, nothing is registered,
 *       and the exception propagates unchanged.</li>
 * </ul>
 * {@snippet :
 * PipelineResult r = Pipeline.from(Csv.file("samples/data/boston_house_prices.csv").skipLines(1))
 *         .label("MEDV")
 *         .drop("B")
 *         .transform(Impute.median(), Standardize.all())
 *         .split(Split.trainTest(0.8).seed(42))
 *         .train(RandomForest.regression().trees(100).seed(42))
 *         .evaluate(Metrics.regression())
 *         .crossValidate(5)
 *         .track(tracker, "house-prices")
 *         .register(registry, "house-prices", "champion")
 *         .run();
 * }
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final DataSource source;
    private final String label;
    private final List<Transform> transforms;
    private final Split.TrainTest split;
    private final Algorithm algorithm;
    private final Metrics metrics;
    private final Split.KFold crossValidation;
    private final Tracker tracker;
    private final String experiment;
    private final String runName;
    private final ModelRegistry registry;
    private final String modelName;
    private final List<String> aliases;
    private final Clock clock;
    private final Path workingDirectory;
    private final Executor executor;

    private Pipeline(DataSource source, String label, List<Transform> transforms, Split.TrainTest split, Algorithm algorithm,
                     Metrics metrics, Split.KFold crossValidation, Tracker tracker, String experiment, String runName,
                     ModelRegistry registry, String modelName, List<String> aliases, Clock clock, Path workingDirectory,
                     Executor executor) {
        this.source = source;
        this.label = label;
        this.transforms = List.copyOf(transforms);
        this.split = split;
        this.algorithm = algorithm;
        this.metrics = metrics;
        this.crossValidation = crossValidation;
        this.tracker = tracker;
        this.experiment = experiment;
        this.runName = runName;
        this.registry = registry;
        this.modelName = modelName;
        this.aliases = List.copyOf(aliases);
        this.clock = clock;
        this.workingDirectory = workingDirectory;
        this.executor = executor;
    }

    /**
     * @param source where the data comes from
     * @return a pipeline with an 80/20 split (seed 42) and nothing else yet
     */
    public static Pipeline from(DataSource source) {
        return new Pipeline(Objects.requireNonNull(source, "source"), null, List.of(), Split.trainTest(0.8), null, null,
                null, null, null, null, null, null, List.of(), Clock.systemUTC(), Path.of(""), VIRTUAL_THREADS);
    }

    /**
     * @param dataset data already in memory
     * @return a pipeline over it
     */
    public static Pipeline from(Dataset dataset) {
        return from(DataSource.of(dataset));
    }

    private Pipeline with(String label, List<Transform> transforms, Split.TrainTest split, Algorithm algorithm, Metrics metrics,
                          Split.KFold cv, Tracker tracker, String experiment, String runName, ModelRegistry registry,
                          String modelName, List<String> aliases, Clock clock, Path workingDirectory) {
        return new Pipeline(source, label, transforms, split, algorithm, metrics, cv, tracker, experiment, runName, registry,
                modelName, aliases, clock, workingDirectory, executor);
    }

    /** Default executor: one virtual thread per task, so concurrency is bounded by the carrier pool (one per core). */
    private static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("mlops4j-pipeline").start(task);

    /**
     * Where the pipeline runs work that can overlap: cross-validation folds and the serialization of the
     * final model (which then overlaps evaluation and cross-validation). The default starts a virtual
     * thread per task, so at most one task per core runs at a time; {@code Runnable::run} makes the run
     * strictly sequential on the calling thread. Results do not depend on the executor.
     *
     * @param e the executor
     * @return the changed pipeline
     */
    public Pipeline executor(Executor e) {
        return new Pipeline(source, label, transforms, split, algorithm, metrics, crossValidation, tracker, experiment, runName,
                registry, modelName, aliases, clock, workingDirectory, Objects.requireNonNull(e, "executor"));
    }

    /**
     * @param column the column to predict
     * @return the changed pipeline
     */
    public Pipeline label(String column) {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("label column must not be blank but was " + Names.quote(column));
        }
        return with(column, transforms, split, algorithm, metrics, crossValidation, tracker, experiment, runName, registry,
                modelName, aliases, clock, workingDirectory);
    }

    /**
     * @param columns columns to remove before any other transform added later
     * @return the changed pipeline
     */
    public Pipeline drop(String... columns) {
        return transform(Drop.columns(columns));
    }

    /**
     * @param columns the only feature columns to keep
     * @return the changed pipeline
     */
    public Pipeline select(String... columns) {
        return transform(Select.columns(columns));
    }

    /**
     * @param steps transforms to append, applied in order to the feature columns
     * @return the changed pipeline
     */
    public Pipeline transform(Transform... steps) {
        List<Transform> all = new ArrayList<>(transforms);
        for (Transform t : steps) {
            all.add(Objects.requireNonNull(t, "transform"));
        }
        return with(label, all, split, algorithm, metrics, crossValidation, tracker, experiment, runName, registry,
                modelName, aliases, clock, workingDirectory);
    }

    /**
     * @param trainTest how to divide rows into training and holdout (default 80/20, seed 42)
     * @return the changed pipeline
     */
    public Pipeline split(Split.TrainTest trainTest) {
        Objects.requireNonNull(trainTest, "split");
        checkStratify(trainTest, algorithm);
        return with(label, transforms, trainTest, algorithm, metrics, crossValidation, tracker, experiment, runName, registry,
                modelName, aliases, clock, workingDirectory);
    }

    /**
     * @param a the algorithm and its hyperparameters
     * @return the changed pipeline
     */
    public Pipeline train(Algorithm a) {
        Objects.requireNonNull(a, "algorithm");
        if (metrics != null && metrics.task() != a.task()) {
            throw new IllegalArgumentException("train(" + a.name() + " " + a.task() + ") does not fit evaluate(" + metrics + ")");
        }
        checkStratify(split, a);
        if (crossValidation != null) {
            checkStratify(crossValidation, a);
        }
        return with(label, transforms, split, a, metrics, crossValidation, tracker, experiment, runName, registry,
                modelName, aliases, clock, workingDirectory);
    }

    /**
     * @param m the metrics to compute; they must fit the algorithm's task (the default)
     * @return the changed pipeline
     */
    public Pipeline evaluate(Metrics m) {
        Objects.requireNonNull(m, "metrics");
        if (algorithm != null && algorithm.task() != m.task()) {
            throw new IllegalArgumentException("evaluate(" + m + ") does not fit train(" + algorithm.name() + " " + algorithm.task() + ")");
        }
        return with(label, transforms, split, algorithm, m, crossValidation, tracker, experiment, runName, registry,
                modelName, aliases, clock, workingDirectory);
    }

    /**
     * @param k folds of seeded (42) k-fold cross-validation over all rows, transforms re-fitted per fold
     * @return the changed pipeline
     */
    public Pipeline crossValidate(int k) {
        return crossValidate(Split.kFold(k));
    }

    /**
     * @param folds the k-fold split to cross-validate with, over all rows
     * @return the changed pipeline
     */
    public Pipeline crossValidate(Split.KFold folds) {
        Objects.requireNonNull(folds, "folds");
        checkStratify(folds, algorithm);
        return with(label, transforms, split, algorithm, metrics, folds, tracker, experiment, runName, registry,
                modelName, aliases, clock, workingDirectory);
    }

    private static void checkStratify(Split s, Algorithm a) {
        if (s.stratify() && a != null && a.task() == Task.REGRESSION) {
            throw new IllegalArgumentException("a stratified split needs classes; " + a.name() + " is a regression");
        }
    }

    /**
     * @param t              the tracker
     * @param experimentName the experiment (created when needed)
     * @return the changed pipeline
     */
    public Pipeline track(Tracker t, String experimentName) {
        return track(t, experimentName, null);
    }

    /**
     * @param t              the tracker
     * @param experimentName the experiment (created when needed)
     * @param name           the run name, or null for the algorithm's name
     * @return the changed pipeline
     */
    public Pipeline track(Tracker t, String experimentName, String name) {
        Objects.requireNonNull(t, "tracker");
        Names.experiment(experimentName);
        return with(label, transforms, split, algorithm, metrics, crossValidation, t, experimentName, name, registry,
                modelName, aliases, clock, workingDirectory);
    }

    /**
     * @param r          the registry
     * @param name       the model name
     * @param newAliases aliases to point at the new version ({@code champion}…)
     * @return the changed pipeline
     */
    public Pipeline register(ModelRegistry r, String name, String... newAliases) {
        Objects.requireNonNull(r, "registry");
        Names.model("model name", name);
        for (String a : newAliases) {
            Names.alias(a);
        }
        return with(label, transforms, split, algorithm, metrics, crossValidation, tracker, experiment, runName, r,
                name, Arrays.asList(newAliases), clock, workingDirectory);
    }

    /**
     * @param c the clock for run, data and bundle times (tests inject a fixed one)
     * @return the changed pipeline
     */
    public Pipeline clock(Clock c) {
        return with(label, transforms, split, algorithm, metrics, crossValidation, tracker, experiment, runName, registry,
                modelName, aliases, Objects.requireNonNull(c, "clock"), workingDirectory);
    }

    /**
     * @param dir where to look for the host project's git commit (default: the process's working directory)
     * @return the changed pipeline
     */
    public Pipeline workingDirectory(Path dir) {
        return with(label, transforms, split, algorithm, metrics, crossValidation, tracker, experiment, runName, registry,
                modelName, aliases, clock, Objects.requireNonNull(dir, "dir"));
    }

    /**
     * Runs the pipeline: loads the data, fits, trains, evaluates, tracks and registers.
     *
     * @return what was produced
     * @throws IllegalStateException   when no label or algorithm was given
     * @throws DataFormatException     for bad data (names file, line, column and value)
     * @throws SchemaMismatchException for unknown or ill-typed columns
     */
    public PipelineResult run() {
        if (label == null) {
            throw new IllegalStateException("call label(\"column\") before run(): the pipeline needs to know what to predict");
        }
        if (algorithm == null) {
            throw new IllegalStateException("call train(algorithm) before run(), e.g. train(RandomForest.regression())");
        }
        long startNanos = System.nanoTime();
        ActiveRun run = tracker == null ? null : tracker.startRun(experiment, runName == null ? algorithm.name() : runName);
        try {
            PipelineResult result = execute(run, startNanos);
            if (run != null) {
                run.finish();
            }
            return result;
        } catch (RuntimeException | Error e) {
            if (run != null) {
                try {
                    run.fail(e);
                } catch (RuntimeException trackingFailure) {
                    e.addSuppressed(trackingFailure);
                }
            }
            throw e;
        }
    }

    private PipelineResult execute(ActiveRun run, long startNanos) {
        RunEnvironment env = RunEnvironment.capture(workingDirectory);
        if (run != null) {
            run.setTags(env.asTags());
            run.logParams(params());
        }
        Dataset data = source.load();
        DatasetVersion version = data.version();
        DataProfile profile = data.profile();
        LOG.info("loaded {}: {} rows x {} columns, version {}", data.source(), data.rowCount(), data.columnCount(), version.shortId());
        if (run != null) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("mlops.dataset.version", version.id());
            tags.put("mlops.dataset.source", version.uri());
            tags.put("mlops.dataset.rows", Long.toString(version.rows()));
            tags.put("mlops.dataset.columns", Integer.toString(version.columns()));
            tags.put("mlops.dataset.bytes", Long.toString(version.bytes()));
            run.setTags(tags);
            run.logArtifact("dataset/version.json", Json.write(version));
            run.logArtifact("dataset/profile.json", Json.write(profile));
            run.logArtifact("environment.json", Json.write(env));
        }

        TribuoBridge.Target target = target(data);
        Dataset features = data.drop(label);
        String[] strata = algorithm.task() == Task.CLASSIFICATION ? target.classes() : null;

        Split.Fold holdoutFold = split.folds(data.rowCount(), strata).get(0);
        int[] trainRows = holdoutFold.train();
        int[] testRows = holdoutFold.test();
        long trainStart = System.nanoTime();
        Dataset trainFeatures = features.rows(trainRows);
        Fitted fitted = fit(trainFeatures, target.rows(trainRows));
        Duration trainTime = Duration.ofNanos(System.nanoTime() - trainStart);
        // Tribuo's protobuf serialization of a big ensemble takes a good fraction of its training time: start it
        // now so it overlaps evaluation and cross-validation.
        CompletableFuture<byte[]> payload = CompletableFuture.supplyAsync(() -> TribuoBridge.serialize(fitted.model().model()), executor);
        Dataset testFeatures = features.rows(testRows);
        List<Prediction> testPredictions = fitted.predict(testFeatures);
        Evaluation holdout = evaluate(target.rows(testRows), testPredictions);
        LOG.info("holdout {}", holdout);

        CrossValidation cv = null;
        if (crossValidation != null) {
            List<Split.Fold> division = crossValidation.folds(data.rowCount(), strata);
            List<CompletableFuture<Evaluation>> pending = new ArrayList<>();
            for (Split.Fold f : division) {
                pending.add(CompletableFuture.supplyAsync(() -> {
                    Fitted foldModel = fit(features.rows(f.train()), target.rows(f.train()));
                    return evaluate(target.rows(f.test()), foldModel.predict(features.rows(f.test())));
                }, executor));
            }
            List<Evaluation> folds = new ArrayList<>();
            for (CompletableFuture<Evaluation> f : pending) {
                folds.add(join(f));
            }
            for (int i = 0; i < folds.size(); i++) {
                Evaluation e = folds.get(i);
                if (run != null) {
                    try (ActiveRun child = run.startChild("fold-" + (i + 1))) {
                        child.logParams(Map.of("cv.fold", Integer.toString(i + 1), "cv.folds", Integer.toString(division.size())));
                        child.logMetrics(e.values());
                    }
                    for (Map.Entry<String, Double> m : e.values().entrySet()) {
                        run.logMetric("cv_fold_" + m.getKey(), m.getValue(), i + 1);
                    }
                }
            }
            cv = CrossValidation.of(folds);
            LOG.info("cross-validation {}", cv);
        }

        Map<String, Double> metricValues = new LinkedHashMap<>();
        holdout.values().forEach((k, v) -> metricValues.put("holdout_" + k, v));
        if (cv != null) {
            cv.summary().forEach((k, s) -> {
                metricValues.put("cv_" + k, s.mean());
                metricValues.put("cv_" + k + "_std", s.std());
            });
        }
        metricValues.put("train_seconds", trainTime.toNanos() / 1e9);
        metricValues.put("train_rows", (double) trainRows.length);
        metricValues.put("test_rows", (double) testRows.length);

        Instant now = clock.instant();
        Lineage lineage = new Lineage(run == null ? null : run.id(), run == null ? null : run.info().experimentId(),
                version.id(), version.uri());
        ModelBundle bundle = ModelBundle.create(fitted.model(), join(payload), label, algorithm, fitted.chain(), features.schema(),
                trainFeatures.profile(), metricValues, lineage, env.asTags(), now);
        if (run != null) {
            run.logMetrics(metricValues);
            for (Map.Entry<String, byte[]> f : bundle.files().entrySet()) {
                run.logArtifact("model/" + f.getKey(), f.getValue());
            }
        }

        ModelVersion registered = null;
        if (registry != null) {
            registered = registry.register(modelName, bundle, aliases, run == null ? Map.of() : Map.of("mlops.run_id", run.id()));
            LOG.info("registered {}/{} {}", registered.name(), registered.version(), registered.aliases());
            if (run != null) {
                run.setTags(Map.of("mlops.model.name", registered.name(),
                        "mlops.model.version", Integer.toString(registered.version())));
            }
        }
        Duration total = Duration.ofNanos(System.nanoTime() - startNanos);
        if (run != null) {
            run.logMetric("total_seconds", total.toNanos() / 1e9);
        }
        return new PipelineResult(run == null ? null : run.id(), data.source(), version, profile, fitted.chain(), holdout, cv, bundle,
                registered, trainTime, total, data.rows(testRows), testPredictions);
    }

    /** Waits for a task; its failure propagates unchanged (not wrapped), as if it had run on this thread. */
    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("label", label);
        p.put("task", algorithm.task().name().toLowerCase(java.util.Locale.ROOT));
        p.put("algorithm", algorithm.name());
        p.putAll(algorithm.hyperparameters());
        p.put("source", source.describe());
        StringJoiner chain = new StringJoiner(" | ");
        transforms.forEach(t -> chain.add(describe(t)));
        p.put("transforms", chain.length() == 0 ? "none" : chain.toString());
        p.put("split.train_fraction", Double.toString(split.trainFraction()));
        p.put("split.seed", Long.toString(split.seed()));
        p.put("split.stratify", Boolean.toString(split.stratify()));
        if (crossValidation != null) {
            p.put("cv.folds", Integer.toString(crossValidation.k()));
            p.put("cv.seed", Long.toString(crossValidation.seed()));
            p.put("cv.stratify", Boolean.toString(crossValidation.stratify()));
        }
        return p;
    }

    static String describe(Transform t) {
        return switch (t) {
            case Impute i -> "impute(" + i.strategy().name().toLowerCase(java.util.Locale.ROOT)
                    + (i.strategy() == Impute.Strategy.CONSTANT ? "=" + (i.numericConstant() != null ? i.numericConstant() : i.categoryConstant()) : "")
                    + cols(i.columns()) + ")";
            case Standardize s -> "standardize(" + colsOrAll(s.columns()) + ")";
            case MinMax m -> "min_max(" + colsOrAll(m.columns()) + ")";
            case Log1p l -> "log1p(" + colsOrAll(l.columns()) + ")";
            case OneHot o -> "one_hot(" + colsOrAll(o.columns()) + (o.errorOnUnknown() ? ", fail_on_unknown" : "") + ")";
            case Drop d -> "drop(" + String.join(", ", d.columns()) + ")";
            case Select s -> "select(" + String.join(", ", s.columns()) + ")";
            default -> t.toString();
        };
    }

    private static String cols(List<String> columns) {
        return columns.isEmpty() ? "" : ": " + String.join(", ", columns);
    }

    private static String colsOrAll(List<String> columns) {
        return columns.isEmpty() ? "all" : String.join(", ", columns);
    }

    private TribuoBridge.Target target(Dataset data) {
        Field f = data.schema().find(label).orElseThrow(() -> new SchemaMismatchException(
                "unknown label column '" + label + "' in " + data.source() + "; columns are " + data.schema().names()));
        Column c = data.column(label);
        if (c.missingCount() > 0) {
            int r = 0;
            while (!c.isMissing(r)) {
                r++;
            }
            throw new DataFormatException(data.origin(r) + ": no value for the label '" + label + "' (" + c.missingCount()
                    + " rows lack one); every row needs a label, drop or fill those rows", data.source(), data.lineOf(r), label, null, null);
        }
        if (algorithm.task() == Task.REGRESSION) {
            if (!f.isNumeric()) {
                throw new SchemaMismatchException("label '" + label + "' in " + data.source() + " is categorical but "
                        + algorithm.name() + " regression needs a numeric label");
            }
            return new TribuoBridge.Target(label, data.numeric(label).toArray(), null);
        }
        String[] classes = new String[data.rowCount()];
        for (int r = 0; r < classes.length; r++) {
            Object v = c.valueAt(r);
            classes[r] = v instanceof Double d ? Dataset.formatNumber(d) : v.toString();
        }
        if (new TreeSet<>(Arrays.asList(classes)).size() < 2) {
            throw new DataFormatException("label '" + label + "' in " + data.source() + " has a single class '" + classes[0]
                    + "'; classification needs at least two", data.source(), null, label, classes[0], null);
        }
        return new TribuoBridge.Target(label, null, classes);
    }

    /** A fitted chain and the model trained after it. */
    private record Fitted(List<FittedTransform> chain, TrainedModel model) {
        List<Prediction> predict(Dataset rawFeatures) {
            Dataset ready = FeatureCheck.align(FittedTransform.applyAll(chain, rawFeatures), model.features());
            FeatureCheck.requireReady(ready, "expected a value (the model has no imputation for this column)", false);
            return model.predict(ready);
        }
    }

    private Fitted fit(Dataset trainFeatures, TribuoBridge.Target trainTarget) {
        List<FittedTransform> chain = new ArrayList<>(transforms.size());
        Dataset d = trainFeatures;
        for (Transform t : transforms) {
            FittedTransform f = t.fit(d);
            chain.add(f);
            d = f.apply(d);
        }
        FeatureCheck.requireReady(d, "add Impute (e.g. transform(Impute.median())) before training, or drop the column", true);
        var model = TribuoBridge.train(algorithm, d, trainTarget, clock.instant());
        List<String> classes = trainTarget.classes() == null ? List.of()
                : List.copyOf(new TreeSet<>(Arrays.asList(trainTarget.classes())));
        return new Fitted(chain, new TrainedModel(algorithm.task(), model, d.schema().names(), classes));
    }

    private Evaluation evaluate(TribuoBridge.Target truth, List<Prediction> predictions) {
        if (algorithm.task() == Task.REGRESSION) {
            double[] p = new double[predictions.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = predictions.get(i).value();
            }
            return RegressionMetrics.of(truth.values(), p);
        }
        String[] p = new String[predictions.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = predictions.get(i).label();
        }
        return ClassificationMetrics.of(truth.classes(), p);
    }

    @Override
    public String toString() {
        StringJoiner chain = new StringJoiner(" | ");
        transforms.forEach(t -> chain.add(describe(t)));
        return "Pipeline[" + source.describe() + " -> label " + label + " -> " + (chain.length() == 0 ? "no transforms" : chain)
                + " -> split " + split + " -> train " + algorithm + (crossValidation == null ? "" : " -> cv " + crossValidation.k())
                + (tracker == null ? "" : " -> track " + experiment) + (registry == null ? "" : " -> register " + modelName + aliases) + "]";
    }
}
