package org.mlops4j.core;

import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.DatasetVersion;
import org.mlops4j.core.data.profile.DataProfile;
import org.mlops4j.core.evaluate.CrossValidation;
import org.mlops4j.core.evaluate.Evaluation;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.transform.FittedTransform;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link Pipeline#run()} produced: the data version and profile, the fitted transforms, the
 * holdout and cross-validation metrics, the model bundle and its registered version, the tracked run,
 * timings, and the holdout rows with their predictions (so they can be compared with what a registered
 * model predicts later).
 * {@snippet :
 * PipelineResult r = pipeline.run();
 * r.holdout().get("rmse");
 * r.crossValidation().map(cv -> cv.mean("rmse"));
 * r.registered().map(ModelVersion::version);
 * System.out.println(r.summary());
 * }
 */
public final class PipelineResult {
    private final String runId;
    private final String source;
    private final DatasetVersion datasetVersion;
    private final DataProfile profile;
    private final List<FittedTransform> transforms;
    private final Evaluation holdout;
    private final CrossValidation crossValidation;
    private final ModelBundle bundle;
    private final ModelVersion registered;
    private final Duration trainTime;
    private final Duration totalTime;
    private final Dataset testSet;
    private final List<Prediction> testPredictions;

    private final PipelineSpec spec;
    private final List<String> vetoes;
    private final Map<String, ModelBundle> derivedBundles;
    private final Map<String, ModelVersion> derivedVersions;
    private final org.mlops4j.core.registry.PromotionDecision promotion;

    PipelineResult(PipelineRunner.State s) {
        this.runId = s.runId();
        this.source = s.data.source();
        this.datasetVersion = Objects.requireNonNull(s.version);
        this.profile = Objects.requireNonNull(s.profile);
        this.transforms = List.copyOf(s.fitted.transforms());
        this.holdout = Objects.requireNonNull(s.holdout);
        this.crossValidation = s.cv;
        this.bundle = Objects.requireNonNull(s.bundle);
        this.registered = s.registered;
        this.trainTime = s.trainTime;
        this.totalTime = s.total;
        this.testSet = s.data.rows(s.testRows);
        this.testPredictions = List.copyOf(s.testPredictions);
        this.spec = s.ranSpec();
        this.vetoes = List.copyOf(s.vetoes);
        this.derivedBundles = Collections.unmodifiableMap(new LinkedHashMap<>(s.derivedBundles));
        this.derivedVersions = Collections.unmodifiableMap(new LinkedHashMap<>(s.derivedVersions));
        this.promotion = s.promotion;
    }

    /** @return the promotion decision, when the pipeline registered under a {@link org.mlops4j.core.registry.Promotion} rule */
    public Optional<org.mlops4j.core.registry.PromotionDecision> promotion() {
        return Optional.ofNullable(promotion);
    }

    /** @return the recipe that ran, defaults resolved: what the run recorded as {@code pipeline.json} */
    public PipelineSpec spec() {
        return spec;
    }

    /** @return why registration was vetoed by a step; empty when it was not */
    public List<String> vetoes() {
        return vetoes;
    }

    /** @return bundles of the models steps derived, by model name */
    public Map<String, ModelBundle> derivedBundles() {
        return derivedBundles;
    }

    /** @return the registered versions of the derived models, by model name */
    public Map<String, ModelVersion> derivedVersions() {
        return derivedVersions;
    }

    /** @return the tracked run's id, when the pipeline was tracked */
    public Optional<String> runId() {
        return Optional.ofNullable(runId);
    }

    /** @return the version of the data as loaded */
    public DatasetVersion datasetVersion() {
        return datasetVersion;
    }

    /** @return the profile of the data as loaded (label included) */
    public DataProfile profile() {
        return profile;
    }

    /** @return the preprocessing chain fitted on the training split */
    public List<FittedTransform> transforms() {
        return transforms;
    }

    /** @return the metrics on the holdout split */
    public Evaluation holdout() {
        return holdout;
    }

    /** @return cross-validation metrics, when asked for */
    public Optional<CrossValidation> crossValidation() {
        return Optional.ofNullable(crossValidation);
    }

    /** @return the model trained on the training split, with its transforms and manifest */
    public ModelBundle bundle() {
        return bundle;
    }

    /** @return a predictor for the trained model (the same one the registry would load) */
    public Predictor predictor() {
        return bundle.predictor();
    }

    /** @return the registered version, when the pipeline registers */
    public Optional<ModelVersion> registered() {
        return Optional.ofNullable(registered);
    }

    /** @return time spent fitting transforms and training the final model */
    public Duration trainTime() {
        return trainTime;
    }

    /** @return time of the whole run */
    public Duration totalTime() {
        return totalTime;
    }

    /** @return the raw holdout rows (features and label, before preprocessing) */
    public Dataset testSet() {
        return testSet;
    }

    /** @return the pipeline's predictions for {@link #testSet()}, row by row */
    public List<Prediction> testPredictions() {
        return testPredictions;
    }

    /** @return a few lines for a terminal */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("data      ").append(source).append(": ").append(org.mlops4j.core.internal.Names.count(datasetVersion.rows(), "row")).append(" x ")
                .append(org.mlops4j.core.internal.Names.count(datasetVersion.columns(), "column")).append(", version sha256:").append(datasetVersion.shortId()).append('\n');
        sb.append("model     ").append(bundle.manifest().algorithm()).append(' ').append(bundle.manifest().hyperparameters())
                .append(" -> ").append(bundle.manifest().label()).append('\n');
        sb.append("holdout   ").append(format(holdout.values())).append(" (").append(org.mlops4j.core.internal.Names.count(holdout.n(), "row")).append(")\n");
        if (crossValidation != null) {
            sb.append("cv        ").append(crossValidation.k()).append("-fold: ");
            crossValidation.summary().forEach((m, s) -> sb.append(m).append(' ').append(s).append("  "));
            sb.setLength(sb.length() - 2);
            sb.append('\n');
        }
        sb.append("time      train ").append(String.format(Locale.ROOT, "%.2f", trainTime.toNanos() / 1e9))
                .append(" s, total ").append(String.format(Locale.ROOT, "%.2f", totalTime.toNanos() / 1e9)).append(" s\n");
        if (runId != null) {
            sb.append("run       ").append(runId).append('\n');
        }
        if (!vetoes.isEmpty()) {
            sb.append("vetoed    ").append(String.join("; ", vetoes)).append('\n');
        }
        if (registered != null) {
            sb.append("registered ").append(registered.name()).append('/').append(registered.version())
                    .append(registered.aliases().isEmpty() ? "" : " " + registered.aliases()).append('\n');
        }
        return sb.toString();
    }

    private static String format(Map<String, Double> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=')
                .append(String.format(Locale.ROOT, "%.4f", v)));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "PipelineResult[run=" + runId + ", data=sha256:" + datasetVersion.shortId() + ", holdout=" + holdout
                + (crossValidation == null ? "" : ", cv=" + crossValidation)
                + (registered == null ? "" : ", registered=" + registered.name() + "/" + registered.version()) + "]";
    }
}
