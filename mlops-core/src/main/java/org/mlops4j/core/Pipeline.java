package org.mlops4j.core;

import org.mlops4j.core.data.DataSource;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.SchemaMismatchException;
import org.mlops4j.core.evaluate.Evaluator;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.internal.Names;
import org.mlops4j.core.pipeline.Outputs;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.pipeline.RunOptions;
import org.mlops4j.core.pipeline.Step;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.transform.Drop;
import org.mlops4j.core.transform.Select;
import org.mlops4j.core.transform.Transform;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The whole lifecycle as one immutable description: source → transform → split → train → evaluate →
 * track → register. A pipeline is three values: its {@link PipelineSpec} (what: recorded with every run as
 * {@code pipeline.json}), its {@link Outputs} (where: tracker, registry) and its {@link RunOptions} (how:
 * clock, executor, working directory; never changes results). Each method returns a new pipeline, so a
 * pipeline can be shared, extended and run again; {@link #run()} does the work and returns a
 * {@link PipelineResult}.
 *
 * <p>What {@code run()} guarantees:
 * <ul>
 *   <li>transforms are fitted on the training rows only (per fold in cross-validation), so no test
 *       information leaks into preprocessing, and the fitted chain travels in the model bundle;</li>
 *   <li>the run records the data version and profile, the transforms, the trainer and every
 *       hyperparameter, the seeds, the metrics, the environment, the duration and the whole recipe
 *       ({@code pipeline.json}), from which {@link #of(PipelineSpec)} rebuilds the same pipeline;</li>
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
    private final PipelineSpec spec;
    private final Outputs outputs;
    private final RunOptions options;

    private Pipeline(PipelineSpec spec, Outputs outputs, RunOptions options) {
        this.spec = spec;
        this.outputs = outputs;
        this.options = options;
    }

    /**
     * @param source where the data comes from
     * @return a pipeline with an 80/20 split (seed 42) and nothing else yet
     */
    public static Pipeline from(DataSource source) {
        return of(PipelineSpec.builder(Objects.requireNonNull(source, "source")).build());
    }

    /**
     * @param dataset data already in memory
     * @return a pipeline over it
     */
    public static Pipeline from(Dataset dataset) {
        return from(DataSource.of(dataset));
    }

    /**
     * @param spec a recipe, for instance one read back from a run's {@code pipeline.json}
     * @return a pipeline that runs it, untracked and unregistered until told otherwise
     */
    public static Pipeline of(PipelineSpec spec) {
        return new Pipeline(Objects.requireNonNull(spec, "spec"), Outputs.none(), RunOptions.defaults());
    }

    private Pipeline edit(Consumer<PipelineSpec.Builder> change) {
        PipelineSpec.Builder b = spec.toBuilder();
        change.accept(b);
        return new Pipeline(b.build(), outputs, options);
    }

    /** @return the recipe: what this pipeline does */
    public PipelineSpec spec() {
        return spec;
    }

    /** @return where results go */
    public Outputs outputs() {
        return outputs;
    }

    /** @return how it runs */
    public RunOptions options() {
        return options;
    }

    /**
     * @param s where the data comes from (the same recipe on new data)
     * @return the changed pipeline
     */
    public Pipeline source(DataSource s) {
        Objects.requireNonNull(s, "source");
        return edit(b -> b.source(s));
    }

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
        return new Pipeline(spec, outputs, options.executor(Objects.requireNonNull(e, "executor")));
    }

    /**
     * @param column the column to predict
     * @return the changed pipeline
     */
    public Pipeline label(String column) {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("label column must not be blank but was " + Names.quote(column));
        }
        return edit(b -> b.label(column));
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
        for (Transform t : steps) {
            Objects.requireNonNull(t, "transform");
        }
        return edit(b -> Arrays.stream(steps).forEach(b::addTransform));
    }

    /**
     * Takes a classification label as given. By default a label with numbers that are not whole, or with
     * more classes than half its rows, is refused (it is probably a measurement or an id, and training a
     * classifier on it would be silently wrong); this says the classes are meant.
     *
     * @return the changed pipeline
     */
    public Pipeline acceptAnyClasses() {
        return edit(b -> b.anyClasses(true));
    }

    /**
     * Trains the registered model again on all rows once the holdout (and the cross-validation, when asked
     * for) have measured the model trained on the training rows. The run and the bundle record which rows
     * the registered model saw and that its metrics come from the model of the training rows.
     *
     * @return the changed pipeline
     */
    public Pipeline refit() {
        return edit(b -> b.refit(true));
    }

    /**
     * @param trainTest how to divide rows into training and holdout (default 80/20, seed 42)
     * @return the changed pipeline
     */
    public Pipeline split(Split.TrainTest trainTest) {
        Objects.requireNonNull(trainTest, "split");
        checkStratify(trainTest, spec.trainer());
        return edit(b -> b.split(trainTest));
    }

    /**
     * @param trainer the trainer and its hyperparameters ({@link org.mlops4j.core.train.RandomForest},
     *                {@link org.mlops4j.core.train.DecisionTree}, {@link org.mlops4j.core.train.Linear},
     *                or any {@link Trainer})
     * @return the changed pipeline
     */
    public Pipeline train(Trainer trainer) {
        Objects.requireNonNull(trainer, "trainer");
        Evaluator e = spec.evaluator();
        if (e != null && e.task() != trainer.spec().task()) {
            throw new IllegalArgumentException("train(" + trainer.spec().name() + " " + trainer.spec().task() + ") does not fit evaluate(" + e + ")");
        }
        checkStratify(spec.split(), trainer);
        if (spec.crossValidation() != null) {
            checkStratify(spec.crossValidation(), trainer);
        }
        return edit(b -> b.trainer(trainer));
    }

    /**
     * @param evaluator the metrics to compute ({@link org.mlops4j.core.evaluate.Metrics#regression()}…); they must
     *                  fit the trainer's task (the default)
     * @return the changed pipeline
     */
    public Pipeline evaluate(Evaluator evaluator) {
        Objects.requireNonNull(evaluator, "evaluator");
        Trainer t = spec.trainer();
        if (t != null && t.spec().task() != evaluator.task()) {
            throw new IllegalArgumentException("evaluate(" + evaluator + ") does not fit train(" + t.spec().name() + " " + t.spec().task() + ")");
        }
        return edit(b -> b.evaluator(evaluator));
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
        checkStratify(folds, spec.trainer());
        return edit(b -> b.crossValidation(folds));
    }

    /**
     * @param step something to do at one phase of the run: a gate, a check, a report
     * @return the changed pipeline
     */
    public Pipeline then(Step step) {
        Objects.requireNonNull(step, "step");
        return edit(b -> b.addStep(step));
    }

    /**
     * Checks the loaded data against a contract before anything is fitted (one report of every violation fails
     * the run), and carries the contract in the bundle as {@code expectations.json} for the predictor and serving.
     * {@snippet :
     * Expectations contract = Expectations.infer(Csv.file("prices.csv").skipLines(1).load().profile());
     * pipeline.validate(contract).run();
     * }
     *
     * @param expectations the contract
     * @return the changed pipeline
     */
    public Pipeline validate(org.mlops4j.core.data.validate.Expectations expectations) {
        return then(org.mlops4j.core.pipeline.Steps.validate(expectations));
    }

    private static void checkStratify(Split s, Trainer t) {
        if (s.stratify() && t != null && t.spec().task() == Task.REGRESSION) {
            throw new IllegalArgumentException("a stratified split needs classes; " + t.spec().name() + " is a regression");
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
     * @param name           the run name, or null for the trainer's name
     * @return the changed pipeline
     */
    public Pipeline track(Tracker t, String experimentName, String name) {
        return new Pipeline(spec, outputs.track(t, experimentName, name), options);
    }

    /**
     * @param r          the registry
     * @param name       the model name
     * @param newAliases aliases to point at the new version ({@code champion}…)
     * @return the changed pipeline
     */
    public Pipeline register(ModelRegistry r, String name, String... newAliases) {
        return new Pipeline(spec, outputs.register(r, name, List.of(newAliases)), options);
    }

    /**
     * Keeps an exact copy of the data set in the tracking store (once per data version, content-addressed), so
     * {@link #reproduce(Tracker, String)} can rebuild this run after its source file changed or went away.
     *
     * @return the changed pipeline
     * @throws IllegalArgumentException when the pipeline is not tracked (call {@link #track} first)
     */
    public Pipeline snapshotData() {
        return new Pipeline(spec, outputs.snapshotData(), options);
    }

    /**
     * Registers the new version, then gives it an alias only if it earns it: the new version and the alias's holder
     * are evaluated on this run's holdout rows, each through its own transforms, and the decision (both scores, the
     * data version, the rule, the outcome) is recorded on the version and the run.
     * {@snippet :
     * PipelineResult r = pipeline.register(registry, "house-prices", Promotion.to("champion").ifBeats("rmse").within(0.01)).run();
     * r.promotion().orElseThrow().outcome();   // PROMOTED or REFUSED
     * }
     *
     * @param r    the registry
     * @param name the model name
     * @param rule the promotion rule
     * @return the changed pipeline
     */
    public Pipeline register(ModelRegistry r, String name, org.mlops4j.core.registry.Promotion rule) {
        return new Pipeline(spec, outputs.register(r, name, rule), options);
    }

    /**
     * @param c the clock for run, data and bundle times (tests inject a fixed one)
     * @return the changed pipeline
     */
    public Pipeline clock(Clock c) {
        return new Pipeline(spec, outputs, options.clock(Objects.requireNonNull(c, "clock")));
    }

    /**
     * @param dir where to look for the host project's git commit (default: the process's working directory)
     * @return the changed pipeline
     */
    public Pipeline workingDirectory(Path dir) {
        return new Pipeline(spec, outputs, options.workingDirectory(Objects.requireNonNull(dir, "dir")));
    }

    /**
     * Runs the pipeline: loads the data, fits, trains, evaluates, tracks and registers.
     *
     * @return what was produced
     * @throws IllegalStateException   when no label or trainer was given (every problem of the recipe is listed)
     * @throws InvalidDataException    for bad data (names file, line, column and value)
     * @throws SchemaMismatchException for unknown or ill-typed columns
     */
    public PipelineResult run() {
        return new PipelineRunner(spec.validated(), outputs, options).run();
    }

    /**
     * Rebuilds a tracked run from its records and compares the outcome bit for bit: reads the run's
     * {@code pipeline.json} (for a tuned run, the configuration its search chose) and data version, reloads the
     * source and checks its version (or, when it changed and the run kept a {@linkplain #snapshotData() snapshot},
     * reads the snapshot), trains again, and compares the holdout predictions, every metric (timings and system
     * metrics excepted) and the model payload's fingerprint. The run's recorded steps run again, so the models they
     * derive (quantized twins) are rebuilt and their payload fingerprints compared too. Nothing is written to
     * {@code tracker}, nothing is registered.
     * {@snippet :
     * Reproduction r = Pipeline.reproduce(tracker, runId);
     * if (!r.exact()) {
     *     r.differences().forEach(System.out::println);
     *     r.environment().forEach(System.out::println);   // jdk.version: 21.0.5 then, 25.0.1 now
     * }
     * }
     *
     * @param tracker where the run is recorded
     * @param runId   the run
     * @return the report
     * @throws ReproductionException when the data changed and no snapshot was kept (naming both data versions), or
     *                               the run's records cannot be read
     */
    public static Reproduction reproduce(Tracker tracker, String runId) {
        Objects.requireNonNull(tracker, "tracker");
        Objects.requireNonNull(runId, "runId");
        return Reproducer.reproduce(tracker, runId, null);
    }

    /**
     * Reproduces the run a registered version came from ({@link #reproduce(Tracker, String)}) after verifying the
     * stored bundle, and compares the registered payload's fingerprint too; for a version a step derived (a quantized
     * twin, whose lineage names its parent), the fingerprint of that twin rebuilt.
     * {@snippet :
     * Reproduction r = Pipeline.reproduce(tracker, registry, "models:/house-prices/3");
     * }
     *
     * @param tracker  where the version's run is recorded
     * @param registry where the version is registered
     * @param ref      {@code models:/name/N}, {@code models:/name@alias}, or the same without {@code models:/}
     * @return the report
     */
    public static Reproduction reproduce(Tracker tracker, ModelRegistry registry, String ref) {
        Objects.requireNonNull(tracker, "tracker");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(ref, "ref");
        return Reproducer.model(tracker, registry, ref);
    }

    /**
     * The holdout rows of a tracked run, label included, read from its data (its source when that still has the
     * recorded version, else its snapshot): the rows a promotion decides on.
     * {@snippet :
     * Dataset rows = Pipeline.holdoutOf(tracker, runId);
     * Promotion.to("champion").ifBeats("rmse").decide(registry, "house-prices/4", rows, tracker);
     * }
     *
     * @param tracker where the run is recorded
     * @param runId   the run
     * @return its holdout rows
     * @throws ReproductionException when the data changed and no snapshot was kept, naming both versions
     */
    public static Dataset holdoutOf(Tracker tracker, String runId) {
        return Reproducer.holdout(Objects.requireNonNull(tracker, "tracker"), Objects.requireNonNull(runId, "runId"));
    }

    @Override
    public String toString() {
        StringJoiner chain = new StringJoiner(" | ");
        spec.transforms().forEach(t -> chain.add(t.describe()));
        return "Pipeline[" + spec.source().describe() + " -> label " + spec.label() + " -> "
                + (chain.length() == 0 ? "no transforms" : chain) + " -> split " + spec.split() + " -> train "
                + spec.trainer() + (spec.crossValidation() == null ? "" : " -> cv " + spec.crossValidation().k())
                + (spec.steps().isEmpty() ? "" : " -> " + spec.steps().size() + " steps")
                + (outputs.tracker() == null ? "" : " -> track " + outputs.experiment())
                + (outputs.registry() == null ? "" : " -> register " + outputs.modelName() + outputs.aliases()) + "]";
    }
}
