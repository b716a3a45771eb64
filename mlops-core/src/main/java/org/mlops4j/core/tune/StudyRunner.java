package org.mlops4j.core.tune;

import org.mlops4j.core.evaluate.CrossValidation;
import org.mlops4j.core.evaluate.Evaluation;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainingSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one study: workers claim a trial number, sample a configuration (under one lock, so samplers see every
 * trial, running ones included), score it outside the lock, and record it, until the budget, the sampler or
 * the time runs out.
 */
final class StudyRunner<T extends Trainer> {
    private static final Logger LOG = LoggerFactory.getLogger(Study.class);
    /** Spreads trial numbers over the seed space, so trial n draws the same values whatever ran before it. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final Study<T> study;
    private final TrainingSet train;
    private final TrainContext context;
    private final Direction direction;
    private final String metric;
    private final Object lock = new Object();
    private final long deadline;
    private final AtomicInteger done = new AtomicInteger();
    private final boolean prunes;
    private int started; // guarded by lock

    StudyRunner(Study<T> study, TrainingSet train, TrainContext context) {
        this.study = study;
        this.train = train;
        this.context = context;
        this.direction = study.objectiveDirection();
        this.metric = study.objectiveMetric();
        this.deadline = study.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + study.timeout().toNanos();
        this.prunes = !(study.pruner() instanceof Pruners.None);
    }

    StudyResult run() {
        Progress progress = Progress.start(study);
        try (Session session = study.storage() == null ? new Session.Local(context.run()) : study.storage().open(study)) {
            if (context.run() != null && study.storage() != null) {
                context.run().setTags(Map.of("mlops.study.name", study.storage().name()));
            }
            int workers = study.parallelism();
            if (workers == 1) {
                work(session, progress);
            } else {
                ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                    Thread t = new Thread(r, "mlops4j-study-worker");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    List<Future<?>> all = new ArrayList<>();
                    for (int i = 0; i < workers; i++) {
                        all.add(pool.submit(() -> work(session, progress)));
                    }
                    for (Future<?> f : all) {
                        try {
                            f.get();
                        } catch (java.util.concurrent.ExecutionException e) {
                            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("the study was interrupted", e);
                        }
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            List<Trial> trials;
            synchronized (lock) {
                trials = session.trials();
            }
            StudyResult result = new StudyResult(trials, direction, metric);
            progress.end(result);
            record(result);
            return result;
        }
    }

    private void work(Session session, Progress progress) {
        while (true) {
            int number;
            Map<String, Object> params;
            Session.Recorder recorder;
            boolean wait;
            synchronized (lock) {
                // the budget of time stops new trials, but a study always runs at least one
                if (started > 0 && System.nanoTime() >= deadline) {
                    return;
                }
                OptionalInt claimed = session.claim(study.trials());
                if (claimed.isEmpty()) {
                    wait = session.othersRunning();
                    if (!wait) {
                        return;
                    }
                    number = 0;
                    params = null;
                    recorder = null;
                } else {
                    wait = false;
                    number = claimed.getAsInt();
                    SplittableRandom random = new SplittableRandom(study.seed() + GOLDEN * number);
                    params = study.sampler().sample(study.space(), session.trialsAtClaim(), direction, random);
                    if (params == null) {
                        session.release(number);
                        return;
                    }
                    started++;
                    recorder = session.start(number, params);
                }
            }
            if (wait) {
                // another JVM's trials hold the rest of the budget: wait until they end, or go stale and free their number
                if (!session.pause()) {
                    return;
                }
                continue;
            }
            Trial result = evaluate(number, params, recorder, session);
            synchronized (lock) {
                session.finish(recorder, result);
            }
            progress.trial(result, done.incrementAndGet());
            if (study.listener() != null) {
                study.listener().accept(result);
            }
        }
    }

    private Trial evaluate(int number, Map<String, Object> params, Session.Recorder recorder, Session session) {
        List<Double> steps = new ArrayList<>();
        try {
            T candidate = study.space().apply(params);
            if (study.validation() instanceof Split.KFold folds) {
                double[] sum = {0};
                boolean[] pruned = {false};
                CrossValidation cv = context.validator().crossValidate(candidate, train, folds, (fold, evaluation) -> {
                    sum[0] += value(evaluation);
                    double mean = sum[0] / fold;
                    steps.add(mean);
                    recorder.intermediate(fold, mean);
                    if (fold == folds.k() || !prunes) {
                        return true; // nothing to decide: no need to read the trials (a query of the store, when shared)
                    }
                    List<Trial> others;
                    synchronized (lock) {
                        others = session.trials();
                    }
                    if (study.pruner().prune(fold, mean, number, others, direction)) {
                        pruned[0] = true;
                        return false;
                    }
                    return true;
                });
                if (pruned[0]) {
                    return new Trial(number, params, TrialState.PRUNED, steps.get(steps.size() - 1), steps, null);
                }
                return new Trial(number, params, TrialState.COMPLETE, cv.mean(metric), steps, null);
            }
            Evaluation e = context.validator().holdout(candidate, train, (Split.TrainTest) study.validation());
            double v = value(e);
            steps.add(v);
            recorder.intermediate(1, v);
            return new Trial(number, params, TrialState.COMPLETE, v, steps, null);
        } catch (MissingMetric e) {
            throw e; // the study is set up wrong, not this trial
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("study trial {} {} failed: {}", number, params, e.toString());
            return new Trial(number, params, TrialState.FAILED, null, steps, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private double value(Evaluation e) {
        Double v = e.values().get(metric);
        if (v == null) {
            throw new MissingMetric("the study optimises '" + metric + "' but the evaluation has " + e.values().keySet()
                    + "; choose one of those with objective(name, direction)");
        }
        return v;
    }

    /** The best trial and a summary on the tracked run. */
    private void record(StudyResult result) {
        if (context.run() == null || result.count(TrialState.COMPLETE) == 0) {
            return;
        }
        Trial best = result.best();
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        tags.put("mlops.study.best_trial", Integer.toString(best.number()));
        tags.put("mlops.study.best_params", best.params().toString().substring(0, Math.min(7000, best.params().toString().length())));
        context.run().setTags(tags);
        context.run().logMetrics(Map.of("study_best_" + metric, best.value(), "study_trials", (double) result.trials().size(),
                "study_pruned", (double) result.count(TrialState.PRUNED), "study_failed", (double) result.count(TrialState.FAILED)));
        context.run().logText("study/trials.txt", result.table(result.trials().size()));
        context.run().logArtifact("study/trials.json", StudyReports.json(result));
        context.run().logText("study/report.html", StudyReports.html(result, study));
    }

    /** The objective names a metric the evaluator does not produce. */
    private static final class MissingMetric extends IllegalArgumentException {
        MissingMetric(String message) {
            super(message);
        }
    }
}
