package org.mlops4j.core.pipeline;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.DataSource;
import org.mlops4j.core.evaluate.Evaluator;
import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.transform.Transform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a pipeline does, as a value: the data source with its reading options, the label, every transform
 * with its parameters, the train/holdout split, the trainer with its exact hyperparameters, the
 * evaluator, the cross-validation folds and seeds, and the steps. Every run writes its spec as
 * {@code pipeline.json} (a run artifact and a file of the bundle), and {@link #read} turns that file back
 * into the same spec, so {@code Pipeline.of(PipelineSpec.read(json)).run()} makes the same model again.
 *
 * <p>Records all the way down: two specs are equal when every recorded field is. Edits go through
 * {@link #toBuilder()}. {@link #validated()} reports every problem at once.
 * {@snippet :
 * PipelineSpec spec = pipeline.spec();
 * byte[] json = spec.toJson();                         // what runs record as pipeline.json
 * PipelineSpec again = PipelineSpec.read(json);        // equal to spec
 * PipelineSpec more = spec.toBuilder().trainer(RandomForest.regression().trees(300)).build();
 * }
 *
 * @param source          where the data comes from
 * @param label           the column to predict, or null until set
 * @param transforms      preprocessing, in order
 * @param split           the train/holdout split
 * @param trainer         the trainer, or null until set
 * @param evaluator       the evaluator, or null for the trainer's task's built-in
 * @param crossValidation k-fold cross-validation over all rows, or null for none
 * @param steps           steps around the lifecycle, in order
 * @param refit           whether the registered model is trained again on all rows once the holdout and the
 *                        cross-validation have measured the one trained on the training rows
 * @param anyClasses      whether a classification label is taken as given, however many classes and however
 *                        numeric (by default a label that looks continuous, or like an id, is refused)
 */
public record PipelineSpec(DataSource source, String label, List<Transform> transforms, Split.TrainTest split,
                           Trainer trainer, Evaluator evaluator, Split.KFold crossValidation, List<Step> steps,
                           boolean refit, boolean anyClasses) {

    /** Copies the lists; source and split are required. */
    public PipelineSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(split, "split");
        transforms = List.copyOf(transforms);
        steps = List.copyOf(steps);
    }

    /**
     * @param source where the data comes from
     * @return a builder with an 80/20 split (seed 42) and nothing else yet
     */
    public static Builder builder(DataSource source) {
        return new Builder(Objects.requireNonNull(source, "source"));
    }

    /** @return a builder holding this spec's values, to change some of them */
    public Builder toBuilder() {
        Builder b = new Builder(source);
        b.label = label;
        b.transforms.addAll(transforms);
        b.split = split;
        b.trainer = trainer;
        b.evaluator = evaluator;
        b.crossValidation = crossValidation;
        b.steps.addAll(steps);
        b.refit = refit;
        b.anyClasses = anyClasses;
        return b;
    }

    /**
     * Checks that the spec can run and resolves defaults (the evaluator of the trainer's task).
     *
     * @return the spec as it will run
     * @throws IllegalStateException listing every problem, each saying what to change
     */
    public PipelineSpec validated() {
        List<String> problems = new ArrayList<>();
        if (source instanceof SpecJson.Unrecorded u) {
            problems.add(u.problem());
        }
        if (label == null) {
            problems.add("call label(\"column\") before run(): the pipeline needs to know what to predict");
        }
        if (trainer == null) {
            problems.add("call train(trainer) before run(), e.g. train(RandomForest.regression())");
        } else if (trainer instanceof SpecJson.Unrecorded u) {
            problems.add(u.problem());
        }
        for (Transform t : transforms) {
            if (t instanceof SpecJson.Unrecorded u) {
                problems.add(u.problem());
            }
        }
        Task task = trainer == null || trainer instanceof SpecJson.Unrecorded ? null : trainer.spec().task();
        if (evaluator instanceof SpecJson.Unrecorded u) {
            problems.add(u.problem());
        } else if (evaluator != null && task != null && evaluator.task() != task) {
            problems.add(fitProblem(trainer, evaluator));
        }
        if (task == Task.REGRESSION && anyClasses) {
            problems.add("acceptAnyClasses() is for a classification label; " + trainer.spec().name() + " is a regression");
        }
        if (task == Task.REGRESSION) {
            if (split.stratify()) {
                problems.add(stratifyProblem(trainer));
            }
            if (crossValidation != null && crossValidation.stratify()) {
                problems.add(stratifyProblem(trainer));
            }
        }
        for (Step s : steps) {
            if (s instanceof SpecJson.Unrecorded u) {
                problems.add(u.problem());
            } else if (s.phase() == null) {
                problems.add("step " + s + " has no phase");
            } else {
                problems.addAll(s.check(this));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(problems.size() == 1 ? problems.get(0)
                    : "the pipeline cannot run: " + problems.size() + " problems: " + String.join("; ", problems));
        }
        return evaluator != null ? this : toBuilder().evaluator(Metrics.forTask(task)).build();
    }

    static String fitProblem(Trainer trainer, Evaluator evaluator) {
        return "train(" + trainer.spec().name() + " " + trainer.spec().task() + ") does not fit evaluate(" + evaluator + ")";
    }

    static String stratifyProblem(Trainer trainer) {
        return "a stratified split needs classes; " + trainer.spec().name() + " is a regression";
    }

    /**
     * @return this spec as {@code pipeline.json}: every recorded field, parts named by their allow-listed
     *     type names; a part that no type names (a lambda) is written as {@code "unrecorded"} with its
     *     description, and {@link #read} turns it into a placeholder that {@link #validated()} refuses
     */
    public byte[] toJson() {
        return SpecJson.write(this, null);
    }

    /**
     * @param chosen the trainer a {@link org.mlops4j.core.train.SearchingTrainer} chose in the run, written
     *               beside the search as {@code trainer.chosen}; null writes the same as {@link #toJson()}
     * @return this spec as {@code pipeline.json}, as a tuned run's bundle records it
     */
    public byte[] toJson(Trainer chosen) {
        return SpecJson.write(this, chosen);
    }

    /**
     * @param json a {@code pipeline.json}
     * @return the spec it records
     * @throws IllegalArgumentException naming the field when the JSON is not a pipeline spec or names an
     *     unknown type (listing the known ones)
     */
    public static PipelineSpec read(byte[] json) {
        return SpecJson.read(json);
    }

    /**
     * @param json a {@code pipeline.json} written by a tuned run
     * @return the trainer the run's search chose (recorded as {@code trainer.chosen}), when there is one
     * @throws IllegalArgumentException when the JSON cannot be read or names an unknown type
     */
    public static java.util.Optional<Trainer> chosenTrainer(byte[] json) {
        return SpecJson.chosen(json);
    }

    /**
     * @param file a {@code pipeline.json} file
     * @return the spec it records
     * @throws UncheckedIOException when the file cannot be read
     */
    public static PipelineSpec read(Path file) {
        try {
            return SpecJson.read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Collects a {@link PipelineSpec}: mutable, single-use; each setter checks its argument at once.
     * {@snippet :
     * PipelineSpec spec = PipelineSpec.builder(Csv.file("prices.csv").skipLines(1))
     *         .label("MEDV").addTransform(Impute.median()).trainer(RandomForest.regression()).build();
     * }
     */
    public static final class Builder {
        private DataSource source;
        private String label;
        private final List<Transform> transforms = new ArrayList<>();
        private Split.TrainTest split = Split.trainTest(0.8);
        private Trainer trainer;
        private Evaluator evaluator;
        private Split.KFold crossValidation;
        private final List<Step> steps = new ArrayList<>();
        private boolean refit;
        private boolean anyClasses;

        private Builder(DataSource source) {
            this.source = source;
        }

        /**
         * @param s where the data comes from
         * @return this builder
         */
        public Builder source(DataSource s) {
            this.source = Objects.requireNonNull(s, "source");
            return this;
        }

        /**
         * @param column the column to predict
         * @return this builder
         */
        public Builder label(String column) {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException("label column must not be blank but was "
                        + (column == null ? "null" : "'" + column + "'"));
            }
            this.label = column;
            return this;
        }

        /**
         * @param t a transform to append
         * @return this builder
         */
        public Builder addTransform(Transform t) {
            transforms.add(Objects.requireNonNull(t, "transform"));
            return this;
        }

        /**
         * @param all the transforms, replacing those set
         * @return this builder
         */
        public Builder transforms(List<? extends Transform> all) {
            transforms.clear();
            all.forEach(this::addTransform);
            return this;
        }

        /**
         * @param s the train/holdout split
         * @return this builder
         */
        public Builder split(Split.TrainTest s) {
            this.split = Objects.requireNonNull(s, "split");
            return this;
        }

        /**
         * @param t the trainer
         * @return this builder
         */
        public Builder trainer(Trainer t) {
            this.trainer = Objects.requireNonNull(t, "trainer");
            return this;
        }

        /**
         * @param e the evaluator, or null for the trainer's task's built-in
         * @return this builder
         */
        public Builder evaluator(Evaluator e) {
            this.evaluator = e;
            return this;
        }

        /**
         * @param folds k-fold cross-validation, or null for none
         * @return this builder
         */
        public Builder crossValidation(Split.KFold folds) {
            this.crossValidation = folds;
            return this;
        }

        /**
         * @param s a step to append
         * @return this builder
         */
        public Builder addStep(Step s) {
            steps.add(Objects.requireNonNull(s, "step"));
            return this;
        }

        /**
         * @param all the steps, replacing those set
         * @return this builder
         */
        public Builder steps(List<? extends Step> all) {
            steps.clear();
            all.forEach(this::addStep);
            return this;
        }

        /**
         * @param onAllRows whether the registered model is trained again on all rows after evaluation
         * @return this builder
         */
        public Builder refit(boolean onAllRows) {
            this.refit = onAllRows;
            return this;
        }

        /**
         * @param asGiven whether a classification label is taken as given, however many classes and however numeric
         * @return this builder
         */
        public Builder anyClasses(boolean asGiven) {
            this.anyClasses = asGiven;
            return this;
        }

        /** @return the spec */
        public PipelineSpec build() {
            return new PipelineSpec(source, label, transforms, split, trainer, evaluator, crossValidation, steps, refit, anyClasses);
        }
    }
}
