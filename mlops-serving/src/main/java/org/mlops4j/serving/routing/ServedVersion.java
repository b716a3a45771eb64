package org.mlops4j.serving.routing;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.profile.CategoricalProfile;
import org.mlops4j.core.data.profile.ColumnProfile;
import org.mlops4j.core.data.profile.NumericProfile;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.serving.drift.DriftMonitor;
import org.mlops4j.serving.protocol.Batch;
import org.mlops4j.serving.protocol.InputLayout;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * One loaded, verified and warmed version of a model, ready to predict: its registry entry, predictor,
 * input layout, scorer, drift monitor and the live error fed back for it. Immutable apart from its
 * counters; thread-safe.
 * {@snippet :
 * ServedVersion v = router.route("house-prices").primary();
 * v.version().version();   // 3
 * v.layout().names();      // [CRIM, ZN, ...]
 * }
 */
public final class ServedVersion {
    private final ModelVersion version;
    private final Predictor predictor;
    private final InputLayout layout;
    private final Scorer scorer;
    private final DriftMonitor drift;
    private final String output;
    private final ModelBundle bundle;
    private final LongAdder feedbackRows = new LongAdder();
    private final DoubleAdder squaredError = new DoubleAdder();
    private final DoubleAdder absoluteError = new DoubleAdder();
    private final LongAdder correct = new LongAdder();

    ServedVersion(ModelVersion version, ModelBundle bundle, Predictor predictor, Scorer scorer, DriftMonitor drift) {
        this.version = Objects.requireNonNull(version, "version");
        this.bundle = bundle;
        this.predictor = Objects.requireNonNull(predictor, "predictor");
        this.layout = InputLayout.of(predictor.inputSchema(), predictor.ignoredInputs());
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.drift = drift;
        String label = bundle == null ? null : bundle.manifest().label();
        this.output = label == null ? "prediction" : label;
    }

    /**
     * @param other a scorer (one that counts, delays or replaces the predictor's path)
     * @return this version predicting through {@code other}, with the same drift monitor
     */
    public ServedVersion withScorer(Scorer other) {
        return new ServedVersion(version, bundle, predictor, other, drift);
    }

    /** @return the registry entry */
    public ModelVersion version() {
        return version;
    }

    /** @return the model's name */
    public String name() {
        return version.name();
    }

    /** @return the version number as text, as protocols and metrics carry it */
    public String versionText() {
        return Integer.toString(version.version());
    }

    /** @return the predictor (in-process predictions of the same rows equal the served ones) */
    public Predictor predictor() {
        return predictor;
    }

    /** @return the bundle, or null when served from a bare predictor */
    public ModelBundle bundle() {
        return bundle;
    }

    /** @return the raw input columns */
    public InputLayout layout() {
        return layout;
    }

    /** @return the scorer */
    public Scorer scorer() {
        return scorer;
    }

    /** @return the drift monitor, or null when drift is off */
    public DriftMonitor drift() {
        return drift;
    }

    /** @return the output's name: the label the model predicts */
    public String output() {
        return output;
    }

    /** @return regression or classification */
    public Task task() {
        return predictor.task();
    }

    /** @return the classes (classification), else empty */
    public List<String> classes() {
        return predictor.classes();
    }

    /**
     * Records ground truth for predictions this version made.
     *
     * @param predicted the predicted values (regression) or labels (classification), as strings or numbers
     * @param truth     the true values, same length
     */
    public void feedback(double[] predicted, String[] predictedLabels, double[] truth, String[] truthLabels) {
        int n = truth != null ? truth.length : truthLabels.length;
        for (int i = 0; i < n; i++) {
            if (truthLabels != null) {
                if (truthLabels[i].equals(predictedLabels[i])) {
                    correct.increment();
                }
            } else {
                double e = predicted[i] - truth[i];
                squaredError.add(e * e);
                absoluteError.add(Math.abs(e));
            }
            feedbackRows.increment();
        }
    }

    /** @return rows with ground truth so far */
    public long feedbackRows() {
        return feedbackRows.sum();
    }

    /** @return live RMSE over the rows fed back (regression), NaN before any */
    public double liveRmse() {
        long n = feedbackRows.sum();
        return n == 0 || task() != Task.REGRESSION ? Double.NaN : Math.sqrt(squaredError.sum() / n);
    }

    /** @return live MAE (regression), NaN before any */
    public double liveMae() {
        long n = feedbackRows.sum();
        return n == 0 || task() != Task.REGRESSION ? Double.NaN : absoluteError.sum() / n;
    }

    /** @return live accuracy (classification), NaN before any */
    public double liveAccuracy() {
        long n = feedbackRows.sum();
        return n == 0 || task() != Task.CLASSIFICATION ? Double.NaN : (double) correct.sum() / n;
    }

    /** @return one typical row (training medians and most frequent categories), for warming and checks */
    Batch typicalRows(int rows) {
        int c = layout.size();
        double[] values = new double[rows * c];
        String[] cats = layout.allNumeric() ? null : new String[rows * c];
        for (int col = 0; col < c; col++) {
            ColumnProfile p = bundle == null ? null : findProfile(layout.names().get(col));
            for (int r = 0; r < rows; r++) {
                if (layout.isNumeric(col)) {
                    double v = 0;
                    if (p instanceof NumericProfile np && np.count() > 0) {
                        // spread the rows over the training range so warming touches many tree paths
                        double q = rows == 1 ? np.quantiles().p50()
                                : np.min() + (np.max() - np.min()) * r / (rows - 1.0);
                        v = Double.isFinite(q) ? q : 0;
                    }
                    values[r * c + col] = v;
                } else {
                    values[r * c + col] = Double.NaN;
                    cats[r * c + col] = p instanceof CategoricalProfile cp && !cp.frequencies().isEmpty() ? cp.frequencies().get(0).value() : null;
                }
            }
        }
        return new Batch(layout, rows, values, cats);
    }

    private ColumnProfile findProfile(String name) {
        for (ColumnProfile p : bundle.trainingProfile().columns()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ServedVersion[" + version.name() + "/" + version.version() + ", inputs " + layout.names() + "]";
    }
}
