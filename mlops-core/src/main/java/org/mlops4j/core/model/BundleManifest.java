package org.mlops4j.core.model;

import org.mlops4j.core.Task;
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
 * @param inputSchema     raw feature columns the model takes, before any transform
 * @param features        columns the model itself sees, after the transforms
 * @param classes         classes in training (classification), else empty
 * @param metrics         evaluation metrics at training time
 * @param lineage         run and data it came from
 * @param environment     JVM, OS, library versions and git commit at training time
 * @param createdAt       when the bundle was made
 * @param files           every other file with checksum and size
 */
public record BundleManifest(String format, int formatVersion, String flavor, Task task, String label, String algorithm,
                             Map<String, String> hyperparameters, Schema inputSchema, List<String> features,
                             List<String> classes, Map<String, Double> metrics, Lineage lineage,
                             Map<String, String> environment, Instant createdAt, List<BundleFile> files) {

    /** The format name. */
    public static final String FORMAT = "mlops4j-bundle";
    /** The newest layout version this release reads and the one it writes. */
    public static final int FORMAT_VERSION = 1;

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
}
