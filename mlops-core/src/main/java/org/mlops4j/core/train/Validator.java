package org.mlops4j.core.train;

import org.mlops4j.core.evaluate.CrossValidation;
import org.mlops4j.core.evaluate.Evaluation;
import org.mlops4j.core.evaluate.Evaluator;
import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.model.Model;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores a candidate trainer on the rows being trained on, for trainers that choose among candidates (a
 * hyperparameter search). Inside a pipeline the runner supplies one that works on the raw training rows and
 * fits the pipeline's transforms again in every fold, so no held-out row reaches a fitted statistic, and
 * scores with the pipeline's evaluator; {@link #onReadyRows()} works on the ready features it is given.
 * Thread-safe: candidates may be scored concurrently.
 * {@snippet :
 * CrossValidation cv = context.validator().crossValidate(RandomForest.regression().trees(50), trainingSet,
 *         Split.kFold(3).seed(7), (fold, evaluation) -> true);
 * double rmse = cv.mean("rmse");
 * }
 */
public interface Validator {

    /**
     * Hears each fold's evaluation as soon as it is known (folds are scored in order), and may stop the rest.
     */
    @FunctionalInterface
    interface FoldListener {
        /**
         * @param fold       1-based fold number
         * @param evaluation that fold's metrics
         * @return whether to go on with the next fold
         */
        boolean fold(int fold, Evaluation evaluation);
    }

    /**
     * @param candidate the trainer to score
     * @param train     the ready training rows the caller was given (a pipeline's validator uses the raw rows
     *                  behind them instead)
     * @param folds     how to divide the rows
     * @param listener  hears each fold; returning false stops after that fold
     * @return the folds scored so far (fewer than {@code k} when the listener stopped early)
     */
    CrossValidation crossValidate(Trainer candidate, TrainingSet train, Split.KFold folds, FoldListener listener);

    /**
     * @param candidate the trainer to score
     * @param train     the ready training rows (as for {@link #crossValidate})
     * @param split     how to divide them into fit and validation rows
     * @return the candidate's metrics on the validation rows
     */
    Evaluation holdout(Trainer candidate, TrainingSet train, Split.TrainTest split);

    /** @return a validator over the ready rows it is given, scored by the task's built-in evaluator */
    static Validator onReadyRows() {
        return new Validator() {
            @Override
            public CrossValidation crossValidate(Trainer candidate, TrainingSet train, Split.KFold folds, FoldListener listener) {
                Evaluator evaluator = Metrics.forTask(train.task());
                String[] strata = train.task() == org.mlops4j.core.Task.CLASSIFICATION ? train.target().labels() : null;
                List<Evaluation> scored = new ArrayList<>();
                for (Split.Fold f : folds.folds(train.rows(), strata)) {
                    Evaluation e = score(candidate, train, f, evaluator);
                    scored.add(e);
                    if (!listener.fold(scored.size(), e)) {
                        break;
                    }
                }
                return CrossValidation.of(scored);
            }

            @Override
            public Evaluation holdout(Trainer candidate, TrainingSet train, Split.TrainTest split) {
                String[] strata = train.task() == org.mlops4j.core.Task.CLASSIFICATION ? train.target().labels() : null;
                return score(candidate, train, split.folds(train.rows(), strata).get(0), Metrics.forTask(train.task()));
            }

            private Evaluation score(Trainer candidate, TrainingSet train, Split.Fold f, Evaluator evaluator) {
                TrainingSet part = new TrainingSet(train.features().rows(f.train()), train.target().rows(f.train()));
                Model m = candidate.fit(part, TrainContext.defaults());
                return evaluator.evaluate(train.target().rows(f.test()), m.predict(train.features().rows(f.test())));
            }
        };
    }
}
