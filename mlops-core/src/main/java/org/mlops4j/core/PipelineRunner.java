package org.mlops4j.core;

import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.DatasetVersion;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.data.profile.DataProfile;
import org.mlops4j.core.evaluate.CrossValidation;
import org.mlops4j.core.evaluate.Evaluation;
import org.mlops4j.core.evaluate.Evaluator;
import org.mlops4j.core.evaluate.HoldoutPredictions;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.model.BundleManifest;
import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.ModelFlavors;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.spi.ModelFlavor;
import org.mlops4j.core.pipeline.Outputs;
import org.mlops4j.core.pipeline.Phase;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.pipeline.RunOptions;
import org.mlops4j.core.pipeline.Step;
import org.mlops4j.core.pipeline.StepContext;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.EnvironmentLock;
import org.mlops4j.core.tracking.RunEnvironment;
import org.mlops4j.core.train.FittedChain;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainerSpec;
import org.mlops4j.core.train.TrainingSet;
import org.mlops4j.core.train.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs a validated {@link PipelineSpec}: the only place that knows the order of the lifecycle. One runner
 * per {@link Pipeline#run()}; its state doubles as the {@link StepContext} the steps see.
 */
final class PipelineRunner {
    /** Logs under the front door's name, as users configure it. */
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    static final String PIPELINE_FILE = "pipeline.json";
    /** The run tag with the model payload's {@link ModelFlavor#fingerprint}: what reproduction compares. */
    static final String FINGERPRINT_TAG = "mlops.model.fingerprint";

    /** The run tags with the payload fingerprints of the models its steps derived: {@code mlops.derived.<name>.fingerprint}. */
    static final String DERIVED_PREFIX = "mlops.derived.";
    static final String DERIVED_SUFFIX = ".fingerprint";

    static String derivedFingerprintTag(String modelName) {
        return DERIVED_PREFIX + modelName + DERIVED_SUFFIX;
    }
    private static final TrainContext.Reporter NO_REPORTS = (metric, value, step) -> { };

    private final PipelineSpec spec;
    private final Outputs outputs;
    private final RunOptions options;

    /** Data already loaded and checked against the recorded version (a reproduction), or null to load the source. */
    private final Dataset preloaded;

    PipelineRunner(PipelineSpec spec, Outputs outputs, RunOptions options) {
        this(spec, outputs, options, null);
    }

    PipelineRunner(PipelineSpec spec, Outputs outputs, RunOptions options, Dataset preloaded) {
        this.spec = spec;
        this.outputs = outputs;
        this.options = options;
        this.preloaded = preloaded;
    }

    PipelineResult run() {
        long startNanos = System.nanoTime();
        TrainerSpec trainer = spec.trainer().spec();
        ActiveRun run = outputs.tracker() == null ? null
                : outputs.tracker().startRun(outputs.experiment(), outputs.runName() == null ? trainer.name() : outputs.runName());
        try {
            PipelineResult result = new State(run, startNanos).execute();
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
        TrainerSpec trainer = spec.trainer().spec();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("label", spec.label());
        p.put("task", trainer.task().name().toLowerCase(Locale.ROOT));
        p.put("algorithm", trainer.name());
        p.putAll(trainer.hyperparameters());
        StringJoiner chain = new StringJoiner(" | ");
        spec.transforms().forEach(t -> chain.add(t.describe()));
        p.put("transforms", chain.length() == 0 ? "none" : chain.toString());
        p.put("split.train_fraction", Double.toString(spec.split().trainFraction()));
        p.put("split.seed", Long.toString(spec.split().seed()));
        p.put("split.stratify", Boolean.toString(spec.split().stratify()));
        if (spec.crossValidation() != null) {
            p.put("cv.folds", Integer.toString(spec.crossValidation().k()));
            p.put("cv.seed", Long.toString(spec.crossValidation().seed()));
            p.put("cv.stratify", Boolean.toString(spec.crossValidation().stratify()));
        }
        return p;
    }

    /** One run's state, in the order it is filled; also what the steps see. */
    final class State implements StepContext {
        private final ActiveRun run;
        private final long startNanos;
        private Phase phase;
        Dataset data;
        DatasetVersion version;
        DataProfile profile;
        Dataset features;
        Dataset trainFeatures;
        int[] testRows;
        FittedChain fitted;
        Duration trainTime;
        private Model model;
        /** The trainer whose model was trained: the pipeline's, or the one a choosing trainer picked. */
        private volatile Trainer chosen;
        Evaluation holdout;
        CrossValidation cv;
        List<Prediction> testPredictions;
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        ModelBundle bundle;
        private byte[] recipe;
        private FittedChain bundleChain;
        private Dataset bundleFeatures;
        private int modelRows;
        private BundleManifest.Training training;
        private Map<String, String> environment;
        private java.time.Instant createdAt;
        ModelVersion registered;
        private String fingerprint;
        org.mlops4j.core.registry.PromotionDecision promotion;
        Duration total;
        final List<String> vetoes = new ArrayList<>();
        final Map<String, Model> derivedModels = new LinkedHashMap<>();
        final Map<String, ModelBundle> derivedBundles = new LinkedHashMap<>();
        final Map<String, ModelVersion> derivedVersions = new LinkedHashMap<>();
        final Map<String, Map<String, Double>> derivedMetrics = new LinkedHashMap<>();
        private final Map<String, byte[]> attachments = new LinkedHashMap<>();
        private boolean attachedWhileRegistering;

        State(ActiveRun run, long startNanos) {
            this.run = run;
            this.startNanos = startNanos;
        }

        PipelineSpec ranSpec() {
            return spec;
        }

        String runId() {
            return run == null ? null : run.id();
        }

        private void reach(Phase p) {
            phase = p;
            for (Step s : spec.steps()) {
                if (s.phase() == p) {
                    s.apply(this);
                }
            }
        }

        PipelineResult execute() {
            RunEnvironment env = RunEnvironment.capture(options.workingDirectory());
            byte[] recipe = spec.toJson();
            Trainer trainer = spec.trainer();
            TrainerSpec trainerSpec = trainer.spec();
            Evaluator evaluator = spec.evaluator();
            EnvironmentLock lock = EnvironmentLock.current();
            if (run != null) {
                run.setTags(env.asTags());
                run.setTag(EnvironmentLock.TAG, lock.sha256());
                run.logParams(params());
            }
            data = preloaded != null ? preloaded : spec.source().load();
            version = data.version();
            profile = data.profile();
            if (run != null) {
                run.logParam("source", version.uri());
            }
            LOG.info("loaded {}: {} rows x {} columns, version {}", data.source(), data.rowCount(), data.columnCount(), version.shortId());
            if (run != null) {
                Map<String, String> tags = new LinkedHashMap<>();
                tags.put("mlops.dataset.version", version.id());
                tags.put("mlops.dataset.source", version.uri());
                tags.put("mlops.dataset.rows", Long.toString(version.rows()));
                tags.put("mlops.dataset.columns", Integer.toString(version.columns()));
                tags.put("mlops.dataset.bytes", Long.toString(version.bytes()));
                if (outputs.snapshot()) {
                    tags.put(Snapshots.RUN_TAG, Snapshots.keep(outputs.tracker(), data));
                }
                run.setTags(tags);
                run.logArtifact(EnvironmentLock.ARTIFACT, lock.toJson());
                run.logArtifact("dataset/version.json", Json.write(version));
                run.logArtifact("dataset/profile.json", profile.toJson());
                run.logArtifact("environment.json", Json.write(env));
                run.logArtifact(PIPELINE_FILE, recipe);
            }
            reach(Phase.LOADED);

            Target target = spec.anyClasses() && trainerSpec.task() == Task.CLASSIFICATION
                    ? Target.classesAsGiven(data, spec.label())
                    : Target.of(data, spec.label(), trainerSpec.task(), trainerSpec.name() + " "
                    + trainerSpec.task().name().toLowerCase(Locale.ROOT));
            features = data.drop(spec.label());
            String[] strata = trainerSpec.task() == Task.CLASSIFICATION ? target.labels() : null;
            Split.Fold holdoutFold = spec.split().folds(data.rowCount(), strata).get(0);
            int[] trainRows = holdoutFold.train();
            testRows = holdoutFold.test();
            reach(Phase.SPLIT);

            long trainStart = System.nanoTime();
            trainFeatures = features.rows(trainRows);
            Target trainTarget = target.rows(trainRows);
            TrainContext context = new TrainContext(options.clock(), options.executor(), run == null ? NO_REPORTS : run::logMetric,
                    validator(trainFeatures, trainTarget, evaluator), run, picked -> chosen = picked);
            fitted = FittedChain.fit(spec.transforms(), trainer, trainFeatures, trainTarget, context);
            trainTime = Duration.ofNanos(System.nanoTime() - trainStart);
            if (chosen != null && run != null) {
                Map<String, String> picked = new LinkedHashMap<>();
                picked.put("chosen.algorithm", chosen.spec().name());
                chosen.spec().hyperparameters().forEach((k, v) -> picked.put("chosen." + k, v));
                run.logParams(picked);
            }
            // Serializing a big ensemble takes a good fraction of its training time: start it now so it overlaps
            // evaluation and cross-validation.
            model = fitted.model();
            ModelFlavor flavor = ModelFlavors.find(model.flavor());
            // (With a refit the registered model is another one: nothing of this one is written.)
            Model trained = model;
            CompletableFuture<Map<String, byte[]>> payload = spec.refit() ? CompletableFuture.completedFuture(Map.of())
                    : CompletableFuture.supplyAsync(() -> flavor.write(trained), options.executor());
            reach(Phase.TRAINED);

            testPredictions = fitted.predict(features.rows(testRows));
            holdout = evaluator.evaluate(target.rows(testRows), testPredictions);
            if (run != null) {
                run.logArtifact(HoldoutPredictions.ARTIFACT, HoldoutPredictions.of(version.id(), testRows, testPredictions, target.rows(testRows)).toJson());
            }
            LOG.info("holdout {}", holdout);
            if (spec.crossValidation() != null) {
                // a search is not run again per fold: the folds score the configuration it chose
                cv = crossValidate(chosen != null ? chosen : trainer, evaluator, target, strata,
                        context.withReporter(NO_REPORTS).withRun(null).withChosen(picked -> { }));
                LOG.info("cross-validation {}", cv);
            }
            holdout.values().forEach((k, v) -> metrics.put("holdout_" + k, v));
            if (cv != null) {
                cv.summary().forEach((k, s) -> {
                    metrics.put("cv_" + k, s.mean());
                    metrics.put("cv_" + k + "_std", s.std());
                });
            }
            metrics.put("train_seconds", trainTime.toNanos() / 1e9);
            metrics.put("train_rows", (double) trainRows.length);
            metrics.put("test_rows", (double) testRows.length);
            reach(Phase.EVALUATED);

            Lineage lineage = new Lineage(runId(), run == null ? null : run.info().experimentId(), version.id(), version.uri());
            this.recipe = chosen == null ? recipe : spec.toJson(chosen);
            this.environment = env.asTags();
            this.createdAt = options.clock().instant();
            Map<String, byte[]> modelFiles = join(payload);
            registered(fitted, trainFeatures, trainRows.length, testRows.length, target.size());
            if (spec.refit()) {
                long refitStart = System.nanoTime();
                TrainContext onAll = context.withValidator(validator(features, target, evaluator)).withRun(null);
                // a search's choice is refit on every row (the search is not run again)
                FittedChain all = FittedChain.fit(spec.transforms(), chosen != null ? chosen : trainer, features, target,
                        run == null ? onAll : onAll.withReporter((m, v, step) -> run.logMetric("refit_" + m, v, step)));
                metrics.put("refit_seconds", (System.nanoTime() - refitStart) / 1e9);
                model = all.model();
                modelFiles = ModelFlavors.find(model.flavor()).write(model);
                registered(all, features, trainRows.length, testRows.length, target.size());
            }
            metrics.put("model_rows", (double) modelRows);
            if (run != null) {
                run.setTags(Map.of("mlops.model.trained_on", training.trainedOn(), "mlops.metrics.measured_on", training.metricsFrom()));
            }
            bundle = bundleOf(model, modelFiles, lineage);
            reach(Phase.REGISTERING);
            if (attachedWhileRegistering) {
                bundle = bundleOf(model, modelFiles, lineage);
            }
            fingerprint = ModelFlavors.find(model.flavor()).fingerprint(modelFiles);
            if (run != null) {
                run.setTag(FINGERPRINT_TAG, fingerprint);
                run.logMetrics(metrics);
                for (String name : bundle.fileNames()) {
                    run.logArtifact("model/" + name, bundle.file(name).orElseThrow());
                }
            }
            register(lineage);
            reach(Phase.REGISTERED);
            total = Duration.ofNanos(System.nanoTime() - startNanos);
            if (run != null) {
                run.logMetric("total_seconds", total.toNanos() / 1e9);
            }
            return new PipelineResult(this);
        }

        /** Which chain, rows and profile the registered model comes from, and what its metrics measured. */
        private void registered(FittedChain chain, Dataset rows, int trainRows, int testRows, int allRows) {
            bundleChain = chain;
            bundleFeatures = rows;
            modelRows = rows.rowCount();
            boolean all = rows.rowCount() == allRows && spec.refit();
            String measured = "holdout_*: the model trained on the " + trainRows + " training rows of the split, scored on its "
                    + testRows + " holdout rows" + (spec.crossValidation() == null ? ""
                    : "; cv_*: " + spec.crossValidation().k() + "-fold cross-validation over all " + allRows + " rows");
            training = new BundleManifest.Training(modelRows, all,
                    all ? "all " + allRows + " rows (refit after evaluation)" : "the " + trainRows + " training rows of the split",
                    measured);
        }

        /** A bundle of a model trained after the registered chain, with the run's recipe and attachments. */
        private ModelBundle bundleOf(Model m, Map<String, byte[]> payload, Lineage lineage) {
            return bundleOf(m, payload, lineage, metrics);
        }

        private ModelBundle bundleOf(Model m, Map<String, byte[]> payload, Lineage lineage, Map<String, Double> metrics) {
            TrainerSpec trainerSpec = (chosen == null ? spec.trainer() : chosen).spec();
            // The input contract is what the model reads: columns the chain removes before any other step reads them
            // (drop("B")) are recorded as accepted and ignored, not asked of a caller.
            List<String> unread = unread(bundleChain.transforms(), features.schema().names());
            Dataset read = unread.isEmpty() ? features : features.drop(unread);
            Dataset readRows = unread.isEmpty() ? bundleFeatures : bundleFeatures.drop(unread);
            ModelBundle.Builder b = ModelBundle.builder(m).label(spec.label())
                    .algorithm(trainerSpec.name(), trainerSpec.hyperparameters())
                    .transforms(bundleChain.transforms()).inputSchema(read.schema()).ignoredInputs(unread)
                    .trainingProfile(readRows.profile())
                    .inputExample(read, 3).metrics(metrics).lineage(lineage).environment(environment).createdAt(createdAt).training(training)
                    .payload(payload).attach(PIPELINE_FILE, recipe);
            attachments.forEach(b::attach);
            return b.build();
        }

        /**
         * @return the raw columns that the chain's leading {@code drop}/{@code select} steps remove before any other
         *         step sees them, in raw order: the model never reads them
         */
        private static List<String> unread(List<? extends org.mlops4j.core.transform.FittedTransform> chain, List<String> raw) {
            java.util.Set<String> kept = new java.util.LinkedHashSet<>(raw);
            for (org.mlops4j.core.transform.FittedTransform t : chain) {
                if (t instanceof org.mlops4j.core.transform.Drop.Fitted d) {
                    d.columns().forEach(kept::remove);
                } else if (t instanceof org.mlops4j.core.transform.Select.Fitted sel) {
                    kept.retainAll(sel.columns());
                } else {
                    break;
                }
            }
            return raw.stream().filter(c -> !kept.contains(c)).toList();
        }

        private CrossValidation crossValidate(Trainer trainer, Evaluator evaluator, Target target, String[] strata, TrainContext context) {
            List<Split.Fold> division = spec.crossValidation().folds(data.rowCount(), strata);
            List<CompletableFuture<Evaluation>> pending = new ArrayList<>();
            for (Split.Fold f : division) {
                pending.add(CompletableFuture.supplyAsync(() -> {
                    Dataset foldFeatures = features.rows(f.train());
                    Target foldTarget = target.rows(f.train());
                    FittedChain foldModel = FittedChain.fit(spec.transforms(), trainer, foldFeatures, foldTarget,
                            context.withValidator(validator(foldFeatures, foldTarget, evaluator)));
                    return evaluator.evaluate(target.rows(f.test()), foldModel.predict(features.rows(f.test())));
                }, options.executor()));
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
            return CrossValidation.of(folds);
        }

        /**
         * Scores candidate trainers (a search's trials) on raw rows with the pipeline's transforms fitted again in
         * every fold and the pipeline's evaluator: the ready rows a trainer is given are these rows transformed,
         * in the same order, so the fold indices match.
         */
        private Validator validator(Dataset raw, Target truth, Evaluator evaluator) {
            return new Validator() {
                @Override
                public CrossValidation crossValidate(Trainer candidate, TrainingSet train, Split.KFold folds,
                                                     Validator.FoldListener listener) {
                    List<Evaluation> scored = new ArrayList<>();
                    for (Split.Fold f : folds.folds(raw.rowCount(), strataOf(truth))) {
                        Evaluation e = score(candidate, f);
                        scored.add(e);
                        if (!listener.fold(scored.size(), e)) {
                            break;
                        }
                    }
                    return CrossValidation.of(scored);
                }

                @Override
                public Evaluation holdout(Trainer candidate, TrainingSet train, Split.TrainTest split) {
                    return score(candidate, split.folds(raw.rowCount(), strataOf(truth)).get(0));
                }

                private Evaluation score(Trainer candidate, Split.Fold f) {
                    FittedChain m = FittedChain.fit(spec.transforms(), candidate, raw.rows(f.train()), truth.rows(f.train()),
                            new TrainContext(options.clock(), Runnable::run, NO_REPORTS));
                    return evaluator.evaluate(truth.rows(f.test()), m.predict(raw.rows(f.test())));
                }
            };
        }

        private static String[] strataOf(Target t) {
            return t.task() == Task.CLASSIFICATION ? t.labels() : null;
        }

        private void register(Lineage lineage) {
            ModelRegistry registry = outputs.registry();
            if (!vetoes.isEmpty()) {
                String reasons = String.join("; ", vetoes);
                LOG.info("registration vetoed: {}", reasons);
                if (run != null) {
                    run.setTags(Map.of("mlops.registration.vetoed", reasons.length() > 8000 ? reasons.substring(0, 8000) : reasons));
                }
            } else if (registry != null) {
                Map<String, String> versionTags = new LinkedHashMap<>();
                if (run != null) {
                    versionTags.put("mlops.run_id", run.id());
                }
                versionTags.put(FINGERPRINT_TAG, fingerprint);
                if (outputs.promotion() != null && holdout != null) {
                    outputs.promotion().requireMetrics(holdout.values().keySet(), "the promotion of " + outputs.modelName());
                }
                registered = registry.register(outputs.modelName(), bundle, outputs.aliases(), versionTags);
                LOG.info("registered {}/{} {}", registered.name(), registered.version(), registered.aliases());
                if (run != null) {
                    run.setTags(Map.of("mlops.model.name", registered.name(),
                            "mlops.model.version", Integer.toString(registered.version())));
                }
                if (outputs.promotion() != null) {
                    org.mlops4j.core.registry.Promotion rule = outputs.promotion().by(run == null ? "pipeline (untracked run)"
                            : "pipeline run " + run.id());
                    if (run != null) {
                        outputs.tracker().flush();
                    }
                    promotion = rule.decide(registry, registered.name() + "/" + registered.version(), data.rows(testRows), outputs.tracker());
                    LOG.info("promotion: {}", promotion);
                    registered = registry.version(registered.ref());
                }
            }
            for (Map.Entry<String, Model> d : derivedModels.entrySet()) {
                ModelFlavor flavor = ModelFlavors.find(d.getValue().flavor());
                Map<String, byte[]> payload = flavor.write(d.getValue());
                String print = flavor.fingerprint(payload);
                ModelBundle db = bundleOf(d.getValue(), payload,
                        registered == null ? lineage : lineage.withParent(registered.ref().toString()),
                        derivedMetrics.getOrDefault(d.getKey(), metrics));
                derivedBundles.put(d.getKey(), db);
                if (run != null) {
                    run.setTag(derivedFingerprintTag(d.getKey()), print);
                }
                if (vetoes.isEmpty() && registry != null) {
                    Map<String, String> tags = new LinkedHashMap<>();
                    if (run != null) {
                        tags.put("mlops.run_id", run.id());
                    }
                    tags.put(FINGERPRINT_TAG, print);
                    ModelVersion v = registry.register(d.getKey(), db, List.of(), tags);
                    derivedVersions.put(d.getKey(), v);
                    LOG.info("registered {}/{} derived from {}", v.name(), v.version(), db.manifest().lineage().parent());
                }
            }
        }

        // ---- StepContext ----

        @Override
        public Phase phase() {
            return phase;
        }

        @Override
        public PipelineSpec spec() {
            return spec;
        }

        @Override
        public Dataset data() {
            return data;
        }

        @Override
        public DataProfile profile() {
            return profile;
        }

        @Override
        public Optional<FittedChain> fitted() {
            return Optional.ofNullable(fitted);
        }

        @Override
        public Optional<Evaluation> holdout() {
            return Optional.ofNullable(holdout);
        }

        @Override
        public Optional<CrossValidation> crossValidation() {
            return Optional.ofNullable(cv);
        }

        @Override
        public Map<String, Double> metrics() {
            return phase.compareTo(Phase.EVALUATED) < 0 ? Map.of() : java.util.Collections.unmodifiableMap(metrics);
        }

        @Override
        public Optional<ActiveRun> run() {
            return Optional.ofNullable(run);
        }

        @Override
        public Optional<ModelBundle> bundle() {
            return Optional.ofNullable(bundle);
        }

        @Override
        public Optional<ModelVersion> registered() {
            return Optional.ofNullable(registered);
        }

        @Override
        public Optional<Dataset> holdoutRows() {
            return testRows == null ? Optional.empty() : Optional.of(data.rows(testRows));
        }

        @Override
        public void veto(String reason) {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a veto needs a reason");
            }
            if (phase == Phase.REGISTERED) {
                throw new IllegalStateException("veto at REGISTERED is too late: the version is registered; veto at REGISTERING or before");
            }
            vetoes.add(reason);
        }

        @Override
        public void derive(String name, Model model, Map<String, Double> ownMetrics) {
            derive(name, model);
            derivedMetrics.put(name, new LinkedHashMap<>(ownMetrics));
        }

        @Override
        public void derive(String name, Model model) {
            java.util.Objects.requireNonNull(model, "model");
            org.mlops4j.core.internal.Names.model("model name", name);
            if (phase.compareTo(Phase.TRAINED) < 0 || phase == Phase.REGISTERED) {
                throw new IllegalStateException("derive a model from TRAINED to REGISTERING, not at " + phase);
            }
            ModelFlavors.find(model.flavor());
            if (derivedModels.putIfAbsent(name, model) != null) {
                throw new IllegalArgumentException("a model named '" + name + "' is already derived in this run");
            }
        }

        @Override
        public void attach(String path, byte[] content) {
            java.util.Objects.requireNonNull(content, "content");
            if (path == null || path.isEmpty() || path.contains("/") || path.contains("\\") || path.startsWith(".")
                    || path.equals(PIPELINE_FILE) || path.equals(ModelBundle.MANIFEST) || path.equals(ModelBundle.TRANSFORMS)
                    || path.equals(ModelBundle.PROFILE)) {
                throw new IllegalArgumentException("attach a plain file name that is not one of the bundle's own files, not "
                        + org.mlops4j.core.internal.Names.quote(path));
            }
            if (run != null) {
                run.logArtifact(path, content);
            }
            if (phase == Phase.REGISTERED) {
                return;
            }
            if (attachments.putIfAbsent(path, content.clone()) != null) {
                throw new IllegalArgumentException("file '" + path + "' is already attached");
            }
            if (phase == Phase.REGISTERING) {
                attachedWhileRegistering = true;
            }
        }
    }
}
