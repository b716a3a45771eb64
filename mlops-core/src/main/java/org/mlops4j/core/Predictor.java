package org.mlops4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Predicts from raw rows, as a user has them: it applies the bundled, fitted preprocessing chain and
 * then the model, exactly as in training. Immutable and thread-safe; share one instance.
 *
 * <p>Input rows are maps from column name to value (numbers, numeric text, categories, or null for
 * missing). Columns the chain drops may be left out; a column the model needs that is missing (and not
 * imputed) is an error naming the row and the column. Keys that are not input columns (the label, ids)
 * are ignored.
 * {@snippet :
 * Predictor predictor = Predictor.load(registry, "house-prices@champion");
 * Prediction p = predictor.predict(Map.of("CRIM", 0.00632, "ZN", 18.0, "INDUS", 2.31, "CHAS", 0, "NOX", 0.538,
 *         "RM", 6.575, "AGE", 65.2, "DIS", 4.09, "RAD", 1, "TAX", 296, "PTRATIO", 15.3, "LSTAT", 4.98));
 * p.value(); // predicted MEDV, in $1000s
 * }
 */
public final class Predictor {
    private final BundleManifest manifest;
    private final List<FittedTransform> transforms;
    private final TrainedModel model;
    private final Schema lenientSchema;

    Predictor(BundleManifest manifest, List<FittedTransform> transforms, TrainedModel model) {
        this.manifest = manifest;
        this.transforms = List.copyOf(transforms);
        this.model = model;
        // Every input may be absent: whether that matters is decided after the transforms (imputed? dropped?).
        List<Field> fields = new ArrayList<>();
        for (Field f : manifest.inputSchema().fields()) {
            fields.add(new Field(f.name(), f.type(), true));
        }
        this.lenientSchema = new Schema(fields);
    }

    /**
     * @param registry a registry
     * @param ref      {@code name@alias}, {@code name/N} or {@code name}
     * @return the predictor of that version, after verifying its bundle
     */
    public static Predictor load(ModelRegistry registry, String ref) {
        return registry.load(ref).predictor();
    }

    /** @return regression or classification */
    public Task task() {
        return manifest.task();
    }

    /** @return the raw input columns (before preprocessing) */
    public Schema inputSchema() {
        return manifest.inputSchema();
    }

    /** @return the classes the model knows (classification), else empty */
    public List<String> classes() {
        return manifest.classes();
    }

    /** @return the manifest of the bundle this predictor comes from */
    public BundleManifest manifest() {
        return manifest;
    }

    /**
     * @param row one row: column name to value
     * @return its prediction
     * @throws DataFormatException when a value has the wrong type or a needed value is missing
     */
    public Prediction predict(Map<String, ?> row) {
        return predict(List.of(Objects.requireNonNull(row, "row"))).get(0);
    }

    /**
     * @param rows rows: column name to value
     * @return one prediction per row, in order
     * @throws DataFormatException naming the row when a value has the wrong type or a needed value is missing
     */
    public List<Prediction> predict(List<? extends Map<String, ?>> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        return predictReady(Dataset.fromRows("input", lenientSchema, rows));
    }

    /**
     * @param raw raw feature columns (extra columns such as the label are ignored)
     * @return one prediction per row, in order
     * @throws SchemaMismatchException when a column has the wrong type
     */
    public List<Prediction> predict(Dataset raw) {
        List<Column> cols = new ArrayList<>();
        for (Field f : manifest.inputSchema().fields()) {
            if (raw.schema().contains(f.name())) {
                Column c = raw.column(f.name());
                if (c.type() != f.type()) {
                    throw new SchemaMismatchException("column '" + f.name() + "' of " + raw.source() + " is "
                            + Columns.lower(c.type()) + " but the model was trained on a " + Columns.lower(f.type()) + " column");
                }
                cols.add(c);
            } else if (f.isNumeric()) {
                double[] missing = new double[raw.rowCount()];
                java.util.Arrays.fill(missing, Double.NaN);
                cols.add(new NumericColumn(f.name(), missing));
            } else {
                cols.add(new CategoricalColumn(f.name(), new String[raw.rowCount()]));
            }
        }
        return predictReady(raw.withColumnList(cols));
    }

    private List<Prediction> predictReady(Dataset input) {
        Dataset ready = FittedTransform.applyAll(transforms, input);
        ready = FeatureCheck.align(ready, model.features());
        FeatureCheck.requireReady(ready, "expected a value (the model has no imputation for this column)", false);
        return model.predict(ready);
    }

    @Override
    public String toString() {
        return "Predictor[" + manifest.task() + " of '" + manifest.label() + "' by " + manifest.algorithm() + ", inputs "
                + manifest.inputSchema().names() + "]";
    }
}
