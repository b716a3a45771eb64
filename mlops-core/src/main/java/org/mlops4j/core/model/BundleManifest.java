package org.mlops4j.core.model;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.ColumnType;
import org.mlops4j.core.data.Schema;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code manifest.json} of a {@link ModelBundle}: what the model is, what it expects, how good it
 * was, where it came from, and the SHA-256 and size of every other file of the bundle.
 * {@snippet :
 * BundleManifest m = registry.load("house-prices@champion").manifest();
 * m.task(); m.label(); m.inputSchema(); m.metrics().get("holdout_rmse"); m.lineage().datasetVersion();
 * }
 *
 * @param format          always {@value #FORMAT}
 * @param formatVersion   layout version; readers refuse versions newer than {@value #FORMAT_VERSION}
 * @param flavor          payload kind: {@code tribuo} (gzip-compressed Tribuo protobuf)
 * @param task            regression or classification
 * @param label           name of the predicted column
 * @param algorithm       algorithm name ({@code random_forest})
 * @param hyperparameters algorithm settings as recorded in the run
 * @param inputSchema     raw feature columns the model reads, before any transform: the input contract a caller fills
 * @param features        columns the model itself sees, after the transforms
 * @param classes         classes in training (classification), else empty
 * @param metrics         evaluation metrics at training time
 * @param lineage         run and data it came from
 * @param environment     JVM, OS, library versions and git commit at training time
 * @param createdAt       when the bundle was made
 * @param files           every other file with checksum and size
 * @param training        which rows the model was trained on and what its metrics measured; null in bundles
 *                        written before it was recorded
 * @param inputRanges     per raw input column, the range the training profile saw (numeric: min and max;
 *                        categorical: the most frequent values); empty in bundles written before it was recorded
 * @param output          what the model predicts: the label's name, type and classes; null in bundles written
 *                        before it was recorded
 * @param ignoredInputs   raw columns of the training data that the model does not read (removed by a {@code drop} or
 *                        {@code select} before any other transform): a prediction row may carry them, and they are
 *                        ignored rather than refused as unknown keys; empty when there are none and in bundles
 *                        written before it was recorded
 */
public record BundleManifest(String format, int formatVersion, String flavor, Task task, String label, String algorithm,
                             Map<String, String> hyperparameters, Schema inputSchema, List<String> features,
                             List<String> classes, Map<String, Double> metrics, Lineage lineage,
                             Map<String, String> environment, Instant createdAt, List<BundleFile> files, Training training,
                             Map<String, Range> inputRanges, Output output,
                             @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                             List<String> ignoredInputs) {

    /** The format name. */
    public static final String FORMAT = "mlops4j-bundle";
    /**
     * The newest layout version this release reads. It writes version 1, which every release reads, unless the
     * manifest records {@link #ignoredInputs()} (added in version 2): an older reader then refuses the bundle by its
     * version, naming the release to read it with, instead of tripping over an unknown field.
     */
    public static final int FORMAT_VERSION = 2;

    /** Copies; maps keep their order. */
    public BundleManifest {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(flavor, "flavor");
        hyperparameters = hyperparameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        features = features == null ? List.of() : List.copyOf(features);
        classes = classes == null ? List.of() : List.copyOf(classes);
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        environment = environment == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        files = files == null ? List.of() : List.copyOf(files);
        inputRanges = inputRanges == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inputRanges));
        ignoredInputs = ignoredInputs == null ? List.of() : List.copyOf(ignoredInputs);
    }

    /**
     * A manifest as written before the ignored input columns were recorded.
     *
     * @param format          always {@value #FORMAT}
     * @param formatVersion   layout version
     * @param flavor          payload kind
     * @param task            regression or classification
     * @param label           name of the predicted column
     * @param algorithm       algorithm name
     * @param hyperparameters algorithm settings
     * @param inputSchema     raw feature columns the model reads
     * @param features        columns the model sees
     * @param classes         classes (classification)
     * @param metrics         metrics at training time
     * @param lineage         run and data
     * @param environment     JVM, OS, library versions
     * @param createdAt       when it was made
     * @param files           every other file
     * @param training        rows trained on, or null
     * @param inputRanges     per input column, its training range
     * @param output          what the model predicts, or null
     */
    public BundleManifest(String format, int formatVersion, String flavor, Task task, String label, String algorithm,
                          Map<String, String> hyperparameters, Schema inputSchema, List<String> features, List<String> classes,
                          Map<String, Double> metrics, Lineage lineage, Map<String, String> environment, Instant createdAt,
                          List<BundleFile> files, Training training, Map<String, Range> inputRanges, Output output) {
        this(format, formatVersion, flavor, task, label, algorithm, hyperparameters, inputSchema, features, classes, metrics, lineage,
                environment, createdAt, files, training, inputRanges, output, List.of());
    }

    /**
     * @param ignoredInputs the columns a manifest records as accepted and ignored
     * @return the format version a manifest with them is written in: 1 without, 2 with
     */
    public static int formatVersionFor(List<String> ignoredInputs) {
        return ignoredInputs == null || ignoredInputs.isEmpty() ? 1 : 2;
    }

    /**
     * A manifest as written before input ranges and the output schema were recorded.
     *
     * @param format          always {@value #FORMAT}
     * @param formatVersion   layout version
     * @param flavor          payload kind
     * @param task            regression or classification
     * @param label           name of the predicted column
     * @param algorithm       algorithm name
     * @param hyperparameters algorithm settings
     * @param inputSchema     raw feature columns
     * @param features        columns the model sees
     * @param classes         classes (classification)
     * @param metrics         metrics at training time
     * @param lineage         run and data
     * @param environment     JVM, OS, library versions
     * @param createdAt       when it was made
     * @param files           every other file
     * @param training        rows trained on, or null
     */
    public BundleManifest(String format, int formatVersion, String flavor, Task task, String label, String algorithm,
                          Map<String, String> hyperparameters, Schema inputSchema, List<String> features, List<String> classes,
                          Map<String, Double> metrics, Lineage lineage, Map<String, String> environment, Instant createdAt,
                          List<BundleFile> files, Training training) {
        this(format, formatVersion, flavor, task, label, algorithm, hyperparameters, inputSchema, features, classes, metrics, lineage,
                environment, createdAt, files, training, Map.of(), null, List.of());
    }

    /**
     * The range of one raw input column in the training data, from its profile.
     * {@snippet :
     * BundleManifest.Range rm = bundle.manifest().inputRanges().get("RM");
     * rm.min(); rm.max();                                   // 3.561, 8.78
     * bundle.manifest().inputRanges().get("CHAS_TEXT").values();  // ["no", "yes"]
     * }
     *
     * @param min    smallest value seen (numeric), else null
     * @param max    largest value seen (numeric), else null
     * @param values the most frequent values seen, most frequent first (categorical, at most 50), else empty
     */
    public record Range(Double min, Double max, List<String> values) {
        /** Copies. */
        public Range {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    /**
     * What a model predicts.
     * {@snippet :
     * BundleManifest.Output out = bundle.manifest().output();
     * out.name(); out.type(); out.classes();   // "MEDV", NUMERIC, []
     * }
     *
     * @param name    the label column
     * @param type    {@code NUMERIC} (regression) or {@code CATEGORICAL} (classification)
     * @param classes the classes (classification), else empty
     */
    public record Output(String name, ColumnType type, List<String> classes) {
        /** Copies. */
        public Output {
            classes = classes == null ? List.of() : List.copyOf(classes);
        }
    }

    /**
     * Which rows a model saw and where its metrics come from: after a refit the registered model was trained
     * on all rows, while its metrics measured the model trained on the training rows only.
     * {@snippet :
     * BundleManifest.Training t = bundle.manifest().training();
     * t.rows();          // 506
     * t.trainedOn();     // "all 506 rows (refit after evaluation)"
     * t.metricsFrom();   // "holdout_*: the model trained on the 405 training rows of the split, ..."
     * }
     *
     * @param rows        rows the model was trained on
     * @param refit       whether it was trained again on all rows after evaluation
     * @param trainedOn   those rows, in words
     * @param metricsFrom what each metric family measured, in words
     */
    public record Training(long rows, boolean refit, String trainedOn, String metricsFrom) {
    }

    /**
     * One file of a bundle.
     *
     * @param path   file name inside the bundle
     * @param sha256 SHA-256 of the content, 64 lowercase hex digits
     * @param size   bytes
     */
    public record BundleFile(String path, String sha256, long size) {
    }

    /** @return what the model is and expects, without the checksums: for a terminal or JShell */
    @Override
    public String toString() {
        return "BundleManifest[" + flavor + " " + algorithm + " " + task.name().toLowerCase(java.util.Locale.ROOT) + " of '" + label
                 + "', inputs " + inputSchema.names() + (ignoredInputs.isEmpty() ? "" : " (ignored: " + ignoredInputs + ")") + ", " + features.size() + " features" + (classes.isEmpty() ? "" : ", classes " + classes)
                + ", " + files.size() + " files, format " + formatVersion + "]";
    }
}
