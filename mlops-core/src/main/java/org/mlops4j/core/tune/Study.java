package org.mlops4j.core.tune;

import org.mlops4j.core.Task;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.SearchingTrainer;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainerSpec;
import org.mlops4j.core.train.TrainingSet;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A hyperparameter search that is itself a {@link Trainer}: {@link #fit} samples configurations from its
 * {@link Space}, scores each on the rows it is given (cross-validated, with a pipeline's transforms fitted
 * again in every fold, or on a holdout), prunes poor ones early, then trains the best configuration on all
 * the rows and returns that model. In a pipeline, {@code train(Tune.tpe(space).trials(40))} is all it
 * takes: the run records every trial as a child run, and the bundle records the chosen hyperparameters.
 *
 * <p>Trials run on {@code parallelism} workers (default: the available cores); a failing trial is recorded
 * with its error and the study goes on; the study stops after {@code trials} finished trials, when the
 * sampler has no more (a grid), or after {@code timeout}. With one worker, the same seed gives the same
 * trials. With {@link #storage}, the study lives in a tracking store: it resumes where it was after the JVM
 * stops, and several JVMs (machines, on PostgreSQL) share it without running a trial twice.
 * {@snippet :
 * Study<RandomForest> study = Tune.tpe(Space.of(RandomForest.regression().seed(42))
 *                 .ints("trees", RandomForest::trees, 50, 500, 50)
 *                 .ints("max_depth", RandomForest::maxDepth, 3, 20))
 *         .trials(40).crossValidate(3).pruner(Pruners.median()).seed(7);
 * PipelineResult r = pipeline.train(study).run();
 * }
 *
 * @param space       what to search
 * @param sampler     how configurations are chosen
 * @param pruner      when a trial stops early
 * @param trials      finished trials to run, at least 1
 * @param timeout     stop starting trials after this long, or null
 * @param seed        the sampler's seed
 * @param metric      the evaluation metric to optimise, or null for the task's ({@code rmse}, {@code accuracy})
 * @param direction   whether lower or higher is better, or null to infer it from the metric
 * @param validation  how each trial is scored: k folds ({@link Split.KFold}) or a holdout ({@link Split.TrainTest})
 * @param parallelism workers, at least 1
 * @param storage     where the study lives between JVMs, or null for this run only
 * @param listener    hears every trial of this JVM as it ends (from the worker that ran it), or null
 * @param <T>         the trainer type being tuned
 */
public record Study<T extends Trainer>(Space<T> space, Sampler sampler, Pruner pruner, int trials, Duration timeout, long seed,
                                       String metric, Direction direction, Split validation, int parallelism,
                                       StudyStorage storage, Consumer<Trial> listener) implements SearchingTrainer {

    /** Validates. */
    public Study {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(pruner, "pruner");
        Objects.requireNonNull(validation, "validation");
        if (space.params().isEmpty()) {
            throw new IllegalArgumentException("a study needs at least one parameter in its space");
        }
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be >= 1 but was " + trials);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1 but was " + parallelism);
        }
        if (metric != null && metric.isBlank()) {
            throw new IllegalArgumentException("metric must not be blank");
        }
        if (metric != null && direction == null && inferred(metric) == null) {
            throw new IllegalArgumentException("say whether metric '" + metric + "' is better low or high:"
                    + " objective(\"" + metric + "\", Direction.MINIMIZE) or Direction.MAXIMIZE");
        }
    }

    /** Metrics whose direction is known. */
    static Direction inferred(String metric) {
        return switch (metric) {
            case "rmse", "mae", "mape", "log_loss", "logloss", "mse" -> Direction.MINIMIZE;
            case "r2", "accuracy", "macro_f1", "f1", "auc" -> Direction.MAXIMIZE;
            default -> null;
        };
    }

    /** @return the metric optimised: the one set, else {@code rmse} for a regression and {@code accuracy} for a classification */
    public String objectiveMetric() {
        return metric != null ? metric : space.base().spec().task() == Task.REGRESSION ? "rmse" : "accuracy";
    }

    /** @return the direction: the one set, else the metric's */
    public Direction objectiveDirection() {
        return direction != null ? direction : inferred(objectiveMetric());
    }

    /**
     * @param n finished trials to run
     * @return the changed study
     */
    public Study<T> trials(int n) {
        return new Study<>(space, sampler, pruner, n, timeout, seed, metric, direction, validation, parallelism, storage, listener);
    }

    /**
     * @param t stop starting trials after this long
     * @return the changed study
     */
    public Study<T> timeout(Duration t) {
        return new Study<>(space, sampler, pruner, trials, t, seed, metric, direction, validation, parallelism, storage, listener);
    }

    /**
     * @param s the sampler's seed
     * @return the changed study
     */
    public Study<T> seed(long s) {
        return new Study<>(space, sampler, pruner, trials, timeout, s, metric, direction, validation, parallelism, storage, listener);
    }

    /**
     * @param name a metric of the evaluation ({@code rmse}, {@code r2}, {@code accuracy}, {@code macro_f1}…)
     * @param d    whether lower or higher is better
     * @return the changed study
     */
    public Study<T> objective(String name, Direction d) {
        return new Study<>(space, sampler, pruner, trials, timeout, seed, Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(d, "direction"), validation, parallelism, storage, listener);
    }

    /**
     * @param k folds (seed 42) for scoring each trial; the intermediate values pruning sees are per fold
     * @return the changed study
     */
    public Study<T> crossValidate(int k) {
        return crossValidate(Split.kFold(k));
    }

    /**
     * @param folds the folds for scoring each trial
     * @return the changed study
     */
    public Study<T> crossValidate(Split.KFold folds) {
        return new Study<>(space, sampler, pruner, trials, timeout, seed, metric, direction, folds, parallelism, storage, listener);
    }

    /**
     * @param split a holdout for scoring each trial (faster than folds, noisier; no pruning)
     * @return the changed study
     */
    public Study<T> holdout(Split.TrainTest split) {
        return new Study<>(space, sampler, pruner, trials, timeout, seed, metric, direction, split, parallelism, storage, listener);
    }

    /**
     * @param p the pruner
     * @return the changed study
     */
    public Study<T> pruner(Pruner p) {
        return new Study<>(space, sampler, p, trials, timeout, seed, metric, direction, validation, parallelism, storage, listener);
    }

    /**
     * @param s the sampler
     * @return the changed study
     */
    public Study<T> sampler(Sampler s) {
        return new Study<>(space, s, pruner, trials, timeout, seed, metric, direction, validation, parallelism, storage, listener);
    }

    /**
     * @param workers trials evaluated at once
     * @return the changed study
     */
    public Study<T> parallelism(int workers) {
        return new Study<>(space, sampler, pruner, trials, timeout, seed, metric, direction, validation, workers, storage, listener);
    }

    /**
     * @param s where the study lives between JVMs ({@code StudyStorage.of(tracker, "house-prices-rf")})
     * @return the changed study
     */
    public Study<T> storage(StudyStorage s) {
        return new Study<>(space, sampler, pruner, trials, timeout, seed, metric, direction, validation, parallelism, s, listener);
    }

    /** @return the space's base trainer */
    @Override
    public Trainer base() {
        return space.base();
    }

    /**
     * @param l hears every trial of this JVM as it ends, from the worker thread that ran it (keep it quick):
     *          for a custom stopping rule's bookkeeping, a notification, a log line
     * @return the changed study
     */
    public Study<T> onTrial(Consumer<Trial> l) {
        return new Study<>(space, sampler, pruner, trials, timeout, seed, metric, direction, validation, parallelism, storage,
                Objects.requireNonNull(l, "listener"));
    }

    @Override
    public TrainerSpec spec() {
        TrainerSpec base = space.base().spec();
        Map<String, String> hp = new LinkedHashMap<>();
        hp.put("study.sampler", sampler.name());
        hp.put("study.pruner", pruner.name());
        hp.put("study.trials", Integer.toString(trials));
        hp.put("study.seed", Long.toString(seed));
        hp.put("study.objective", objectiveMetric() + " " + objectiveDirection().name().toLowerCase(java.util.Locale.ROOT));
        hp.put("study.validation", validation instanceof Split.KFold k ? k.k() + "-fold (seed " + k.seed() + ")"
                : "holdout " + ((Split.TrainTest) validation).trainFraction());
        if (storage != null) {
            hp.put("study.name", storage.name());
        }
        space.describe().forEach((k, v) -> hp.put("space." + k, v));
        base.hyperparameters().forEach((k, v) -> hp.put("base." + k, v));
        return new TrainerSpec(sampler.name() + "(" + base.name() + ")", base.task(), hp);
    }

    /**
     * Runs the study on these rows, then trains the best configuration on all of them.
     *
     * @param train   ready training rows
     * @param context scores candidates ({@link TrainContext#validator()}), records trials on its run
     * @return the best configuration's model
     * @throws IllegalStateException when every trial failed (naming the first error)
     */
    @Override
    public Model fit(TrainingSet train, TrainContext context) {
        StudyResult result = run(train, context);
        T best = space.apply(result.best().params());
        context.chose(best);
        return best.fit(train, context.withRun(null));
    }

    /**
     * Runs the study on these rows without training the final model: for looking at the trials.
     *
     * @param train   ready training rows
     * @param context scores candidates and records trials
     * @return every trial and the best
     */
    public StudyResult run(TrainingSet train, TrainContext context) {
        if (space.base().spec().task() != train.task()) {
            throw new IllegalArgumentException("the study tunes a " + space.base().spec().task().name().toLowerCase(java.util.Locale.ROOT)
                    + " but the target is a " + train.task().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new StudyRunner<>(this, train, context).run();
    }
}
