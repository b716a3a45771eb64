package org.mlops4j.core.model;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.CategoricalColumn;
import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.data.Schema.Field;
import org.mlops4j.core.data.Schema;
import org.mlops4j.core.data.SchemaMismatchException;
import org.mlops4j.core.data.validate.DataValidationException;
import org.mlops4j.core.data.validate.Expectations;
import org.mlops4j.core.data.validate.ValidationReport;
import org.mlops4j.core.internal.Names;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mlops4j.core.transform.FittedTransform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Predicts from raw rows, as a user has them: it applies the bundled, fitted preprocessing chain and
 * then the model, exactly as in training. Immutable and thread-safe; share one instance.
 *
 * <p>Input rows are maps from column name to value (numbers, numeric text, categories, or null for
 * missing). Columns the chain drops before any other step are not input columns: they are listed in
 * {@link #ignoredInputs()}, a row may carry them or leave them out, and they are ignored. A column the model needs
 * that is missing (and not imputed) is an error naming the row and the column. A key that is not an input column (a misspelt
 * {@code "RMM"}) is an error naming it and the closest input column, because ignoring it would predict
 * from an imputed value instead; the label may be passed and is ignored. {@link #lenient()} gives a
 * predictor that ignores unknown keys, for callers that pass ids or other extra fields on purpose.
 * {@snippet :
 * Predictor predictor = registry.predictor("house-prices@champion");
 * Prediction p = predictor.predict(Map.ofEntries(Map.entry("CRIM", 0.00632), Map.entry("ZN", 18.0),
 *         Map.entry("INDUS", 2.31), Map.entry("CHAS", 0), Map.entry("NOX", 0.538), Map.entry("RM", 6.575),
 *         Map.entry("AGE", 65.2), Map.entry("DIS", 4.09), Map.entry("RAD", 1), Map.entry("TAX", 296),
 *         Map.entry("PTRATIO", 15.3), Map.entry("LSTAT", 4.98)));
 * p.value(); // predicted MEDV, in $1000s
 * }
 */
public final class Predictor {
    private final BundleManifest manifest;
    private final Schema inputSchema;
    private final List<FittedTransform> transforms;
    private final Model model;
    private final Schema lenientSchema;
    private final boolean ignoreUnknown;
    private final Expectations expectations;
    private final OnViolation onViolation;
    private final Consumer<ValidationReport> flagged;
    /**
     * The model, when raw rows are its ready rows (no chain, the same numeric columns in the same order): complete
     * rows inside the contract then go to {@link Model#predictRows} without a {@link Dataset}.
     */
    private final Model direct;
    /** {@link #direct} when it also answers primitive outputs. */
    private final ArrayModel directArray;
    /**
     * The chain compiled over primitive rows, when there is a chain, the model is an {@link ArrayModel} and every step
     * is one {@link RowPlan} knows: rows inside the contract then reach {@link #planModel} without a {@link Dataset}.
     */
    private final RowPlan plan;
    /** The model, when {@link #plan} is set. */
    private final ArrayModel planModel;
    /** The label's name, which a row may carry (it is ignored), or null. */
    private final String label;
    /** Columns of the training data the model does not read: a row may carry them, and they are ignored. */
    private final Set<String> ignored;
    private final Set<String> notChecked;
    private final boolean numericInputs;
    /**
     * The expected range of each input column in {@link #inputSchema} order, for the primitive fast path: a row of
     * finite values inside them cannot break the expectations, any other row (a NaN, an infinity, a value out of
     * range) takes the checked path. Without expectations the ranges are the finite doubles; {@code alwaysChecked}
     * when the expectations ask for more than ranges of these columns.
     */
    private final double[] low;
    private final double[] high;
    private final boolean alwaysChecked;
    /** The model's task and class count, and the number of input columns: read once, not per call. */
    private final Task task;
    private final int classCount;
    private final int width;

    /** What the predictor does with a batch that breaks its expectations. */
    public enum OnViolation {
        /** Refuse the batch with a {@link DataValidationException} listing every violation. */
        REJECT,
        /** Score it and report the violations to the flag listener (by default one WARN log line per batch). */
        FLAG,
        /** Do not check. */
        IGNORE
    }

    private static final Logger LOG = LoggerFactory.getLogger(Predictor.class);
    private static final Consumer<ValidationReport> WARN = r -> LOG.warn("scored a batch that breaks the model's expectations"
            + " (predictor.onViolation(REJECT) refuses such batches): {}", r);

    Predictor(BundleManifest manifest, List<FittedTransform> transforms, Model model, Expectations expectations) {
        this(manifest, manifest.inputSchema(), transforms, model, false, expectations, OnViolation.FLAG, WARN);
    }

    private Predictor(BundleManifest manifest, Schema inputSchema, List<FittedTransform> transforms, Model model,
                      boolean ignoreUnknown, Expectations expectations, OnViolation onViolation, Consumer<ValidationReport> flagged) {
        this.expectations = expectations;
        this.onViolation = onViolation;
        this.flagged = flagged;
        this.manifest = manifest;
        this.ignoreUnknown = ignoreUnknown;
        this.inputSchema = Objects.requireNonNull(inputSchema, "inputSchema");
        this.transforms = List.copyOf(transforms);
        this.model = Objects.requireNonNull(model, "model");
        this.task = model.signature().task();
        this.classCount = model.signature().classes().size();
        this.width = inputSchema.size();
        // Every input may be absent: whether that matters is decided after the transforms (imputed? dropped?).
        List<Field> fields = new ArrayList<>();
        for (Field f : inputSchema.fields()) {
            fields.add(new Field(f.name(), f.type(), true));
        }
        this.lenientSchema = new Schema(fields);
        this.numericInputs = inputSchema.fields().stream().allMatch(Field::isNumeric);
        this.direct = this.transforms.isEmpty() && numericInputs && !fields.isEmpty()
                && inputSchema.names().equals(model.signature().features()) ? model : null;
        this.directArray = direct instanceof ArrayModel a ? a : null;
        this.plan = direct == null && numericInputs && !this.transforms.isEmpty() && model instanceof ArrayModel
                ? RowPlan.compile(inputSchema.names(), this.transforms, model.signature().features()) : null;
        this.planModel = plan == null ? null : (ArrayModel) model;
        this.label = manifest == null ? null : manifest.label();
        this.ignored = manifest == null ? Set.of() : Set.copyOf(manifest.ignoredInputs());
        // the label, and columns the model does not read, are not checked (a contract inferred from the whole file names them)
        Set<String> skip = new java.util.HashSet<>(ignored);
        if (label != null) {
            skip.add(label);
        }
        this.notChecked = Set.copyOf(skip);
        int w = inputSchema.size();
        double[] lo = new double[w];
        double[] hi = new double[w];
        Arrays.fill(lo, -Double.MAX_VALUE);
        Arrays.fill(hi, Double.MAX_VALUE);
        boolean always = false;
        if (expectations != null && onViolation != OnViolation.IGNORE) {
            always = expectations.refuseUnknown();
            for (var e : expectations.columns()) {
                int i = inputSchema.indexOf(e.name());
                if (i < 0) {
                    always |= e.required() && !notChecked.contains(e.name());
                    continue;
                }
                if (e.type() != inputSchema.fields().get(i).type()) {
                    always = true;
                    continue;
                }
                if (e.min() != null) {
                    lo[i] = Math.max(lo[i], e.min());
                }
                if (e.max() != null) {
                    hi[i] = Math.min(hi[i], e.max());
                }
            }
        }
        this.low = lo;
        this.high = hi;
        this.alwaysChecked = always;
    }

    /**
     * Whether row-major rows (whole rows of {@link #inputSchema}) may skip the checked path: every value finite and
     * inside its column's range, so that neither the chain's missing-value check nor the expectations could object.
     * One pass, one comparison pair per value; a NaN fails both comparisons.
     */
    private boolean fast(double[] rows) {
        double[] lo = low;
        double[] hi = high;
        int w = lo.length;
        if (alwaysChecked || w == 0) {
            return false;
        }
        for (int i = 0; i < rows.length; i += w) {
            for (int c = 0; c < w; c++) {
                double v = rows[i + c];
                if (!(v >= lo[c] && v <= hi[c])) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A predictor over a model and chain held in memory (no bundle): what the pipeline uses for its
     * holdout, and what a test or a tuning trial can use directly.
     *
     * @param model       a trained model
     * @param transforms  the fitted chain it was trained after
     * @param inputSchema the raw feature columns the chain takes
     * @return the predictor
     */
    public static Predictor of(Model model, List<? extends FittedTransform> transforms, Schema inputSchema) {
        return new Predictor(null, inputSchema, List.copyOf(transforms), model, false, null, OnViolation.IGNORE, WARN);
    }

    /**
     * A predictor from a bundle checks every batch against the bundle's expectations ({@code expectations.json}, or
     * inferred from its training profile) and by default {@link OnViolation#FLAG flags} what breaks them: a
     * feature far outside its training range is never scored silently. {@code REJECT} refuses the batch instead
     * (what serving answers 400 to).
     * {@snippet :
     * Predictor strict = registry.predictor("house-prices@champion").onViolation(Predictor.OnViolation.REJECT);
     * }
     *
     * @param mode what to do with a batch that breaks the expectations
     * @return this predictor so configured
     */
    public Predictor onViolation(OnViolation mode) {
        Objects.requireNonNull(mode, "mode");
        if (mode != OnViolation.IGNORE && expectations == null) {
            throw new IllegalStateException("this predictor has no expectations to check; use expecting(expectations, mode)");
        }
        return new Predictor(manifest, inputSchema, transforms, model, ignoreUnknown, expectations, mode, flagged);
    }

    /**
     * @param contract the expectations to check batches against
     * @param mode     what to do with a batch that breaks them
     * @return this predictor checking those
     */
    public Predictor expecting(Expectations contract, OnViolation mode) {
        return new Predictor(manifest, inputSchema, transforms, model, ignoreUnknown, Objects.requireNonNull(contract, "contract"),
                Objects.requireNonNull(mode, "mode"), flagged);
    }

    /**
     * @param listener receives the report of each flagged batch (instead of the WARN log line)
     * @return this predictor reporting there
     */
    public Predictor onFlagged(Consumer<ValidationReport> listener) {
        return new Predictor(manifest, inputSchema, transforms, model, ignoreUnknown, expectations, onViolation,
                Objects.requireNonNull(listener, "listener"));
    }

    /** @return the expectations batches are checked against, when there are any */
    public Optional<Expectations> expectations() {
        return Optional.ofNullable(expectations);
    }

    /** @return what happens to a batch that breaks them */
    public OnViolation violationMode() {
        return onViolation;
    }

    /**
     * @param rows rows as {@link #predict(List)} takes them
     * @return every violation of the expectations, without predicting (valid when there are no expectations)
     */
    public ValidationReport validate(List<? extends Map<String, ?>> rows) {
        Dataset input = Dataset.fromRows("input", lenientSchema, rows);
        return expectations == null ? new ValidationReport("input", rows.size(), List.of(), 0) : check(input);
    }

    private ValidationReport check(Dataset input) {
        return expectations.validate(input, notChecked);
    }

    /** @return this predictor, ignoring keys and columns that are not input columns instead of refusing them */
    public Predictor lenient() {
        return ignoreUnknown ? this : new Predictor(manifest, inputSchema, transforms, model, true, expectations, onViolation, flagged);
    }

    /** @return regression or classification */
    public Task task() {
        return task;
    }

    /** @return the raw input columns the model reads (before preprocessing): what a caller fills */
    public Schema inputSchema() {
        return inputSchema;
    }

    /**
     * Columns of the training data that the model does not read (dropped before any other transform, such as
     * {@code B} in the house-price sample): a row may carry them and they are ignored, not refused as unknown keys.
     * {@snippet :
     * predictor.ignoredInputs();   // [B]
     * }
     *
     * @return those columns, empty when there are none (and for {@link #of})
     */
    public List<String> ignoredInputs() {
        return manifest == null ? List.of() : manifest.ignoredInputs();
    }

    /** @return the classes the model knows (classification), else empty */
    public List<String> classes() {
        return model.signature().classes();
    }

    /** @return the model behind the chain */
    public Model model() {
        return model;
    }

    /** @return the fitted chain applied before the model */
    public List<FittedTransform> transforms() {
        return transforms;
    }

    /** @return the manifest of the bundle this predictor comes from; empty for {@link #of} */
    public Optional<BundleManifest> manifest() {
        return Optional.ofNullable(manifest);
    }

    /**
     * @param row one row: column name to value
     * @return its prediction
     * @throws InvalidDataException when a value has the wrong type or a needed value is missing
     */
    public Prediction predict(Map<String, ?> row) {
        return predict(List.of(Objects.requireNonNull(row, "row"))).get(0);
    }

    /**
     * @param rows rows: column name to value
     * @return one prediction per row, in order
     * @throws InvalidDataException naming the row when a value has the wrong type or a needed value is missing
     */
    public List<Prediction> predict(List<? extends Map<String, ?>> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        if (direct != null) {
            double[] x = readyRows(rows);
            if (x != null) {
                return rows.size() == 1 && directArray != null ? List.of(directArray.predictRow(x)) : direct.predictRows(x, rows.size());
            }
        } else if (plan != null) {
            double[] x = readyRows(rows);
            double[] ready = x == null ? null : plan.readyRows(x, rows.size());
            if (ready != null) {
                return rows.size() == 1 ? List.of(planModel.predictRow(ready)) : planModel.predictRows(ready, rows.size());
            }
        }
        if (!ignoreUnknown) {
            for (int r = 0; r < rows.size(); r++) {
                Map<String, ?> row = Objects.requireNonNull(rows.get(r), "row " + (r + 1));
                for (String key : row.keySet()) {
                    checkKnown(key, "input row " + (r + 1), "input", (long) (r + 1));
                }
            }
        }
        return predictReady(Dataset.fromRows("input", lenientSchema, rows));
    }

    /**
     * The fast path of the map entry points: maps of known keys to finite numbers, every input column present,
     * every value inside the contract, as row-major numbers in input order (one hash look-up per key). Anything
     * else (an unknown key, a missing or null value, numeric text, a value of another type, a value outside the
     * contract) gives null, and the rows take the checked path, which refuses or flags them with the same message
     * as always.
     */
    private double[] readyRows(List<? extends Map<String, ?>> rows) {
        int n = rows.size();
        int w = inputSchema.size();
        double[] x = new double[n * w];
        for (int r = 0; r < n; r++) {
            Map<String, ?> row = rows.get(r);
            if (row == null) {
                return null;
            }
            int filled = 0;
            int base = r * w;
            for (Map.Entry<String, ?> e : row.entrySet()) {
                String key = e.getKey();
                int c = key == null ? -1 : inputSchema.indexOf(key);
                if (c < 0) {
                    if (ignoreUnknown || (label != null && label.equals(key)) || ignored.contains(key)) {
                        continue;
                    }
                    return null;
                }
                if (!(e.getValue() instanceof Number num)) {
                    return null;
                }
                double d = num.doubleValue();
                if (!Double.isFinite(d)) {
                    return null;
                }
                x[base + c] = d;
                filled++;
            }
            if (filled != w) {
                return null;
            }
        }
        return fast(x) ? x : null;
    }

    /**
     * @param raw raw feature columns (extra columns such as the label are ignored)
     * @return one prediction per row, in order
     * @throws SchemaMismatchException when a column has the wrong type
     */
    public List<Prediction> predict(Dataset raw) {
        if (!ignoreUnknown) {
            for (String name : raw.schema().names()) {
                checkKnown(name, raw.source(), raw.source(), null);
            }
        }
        List<Column> cols = new ArrayList<>();
        for (Field f : inputSchema.fields()) {
            if (raw.schema().contains(f.name())) {
                Column c = raw.column(f.name());
                if (c.type() != f.type()) {
                    throw new SchemaMismatchException("column '" + f.name() + "' of " + raw.source() + " is "
                            + c.type().lower() + " but the model was trained on a " + f.type().lower() + " column");
                }
                cols.add(c);
            } else if (f.isNumeric()) {
                double[] missing = new double[raw.rowCount()];
                Arrays.fill(missing, Double.NaN);
                cols.add(NumericColumn.ofMissing(f.name(), missing));
            } else {
                cols.add(CategoricalColumn.of(f.name(), new String[raw.rowCount()]));
            }
        }
        return predictReady(raw.withColumnList(cols));
    }

    /**
     * The primitive entry point: one raw row as numbers, in the order of {@link #inputSchema()} (NaN where a
     * value is missing), through the fitted chain and the model. With an {@link ArrayModel} (the compiled models;
     * mlops-djl's deep flavors) a row of finite values inside the contract goes straight to the model's kernel, through
     * the chain compiled over primitive rows when its steps are the built-in numeric ones ({@code Impute},
     * {@code Standardize}, {@code MinMax}, {@code Log1p}, {@code Drop}, {@code Select}): the same numbers, bit for bit,
     * without a data set per call (a row such a step would refuse takes the checked path and its error); use
     * {@link #predictValues(double[])} or {@link #predictClasses(double[], double[])} to skip building the
     * {@link Prediction} too.
     * {@snippet :
     * double[] row = {0.00632, 18, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1, 296, 15.3, 4.98};   // no B: the model does not read it
     * Prediction p = predictor.predict(row);     // inputs in predictor.inputSchema().names() order
     * }
     *
     * @param row one value per input column, in {@link #inputSchema()} order
     * @return its prediction, exactly what the map entry point gives for the same values
     * @throws IllegalArgumentException when the row's length is not the number of input columns
     * @throws IllegalStateException    when an input column is categorical (use the map entry points)
     * @throws InvalidDataException     when a needed value is missing (NaN) and the chain does not impute it, or a
     *                                  value is infinite
     */
    public Prediction predict(double[] row) {
        Objects.requireNonNull(row, "row");
        int w = requireNumericInputs();
        if (row.length != w) {
            throw new IllegalArgumentException("a row has " + w + " input values " + inputSchema.names() + " but "
                    + row.length + " were given");
        }
        if (direct != null && fast(row)) {
            if (directArray == null) {
                return direct.predictRows(row, 1).get(0);
            }
            if (directArray.signature().task() == Task.REGRESSION) {
                return Prediction.ofValue(directArray.predictValue(row));
            }
            return directArray.predictRow(row);
        }
        double[] ready = planned(row, 1);
        if (ready != null) {
            return task == Task.REGRESSION ? Prediction.ofValue(planModel.predictValue(ready)) : planModel.predictRow(ready);
        }
        return predictBatch(row).get(0);
    }

    /**
     * The primitive batch entry point: rows one after another (row-major), each in {@link #inputSchema()} order.
     *
     * @param rows {@code n * inputSchema().size()} values, NaN where missing
     * @return one prediction per row, in order
     * @throws IllegalArgumentException when the length is not a multiple of the number of input columns
     * @throws IllegalStateException    when an input column is categorical
     * @throws InvalidDataException     naming the row and column of a missing value the chain does not impute
     */
    public List<Prediction> predictBatch(double[] rows) {
        int n = rowCount(rows);
        if (direct != null && fast(rows)) {
            return direct.predictRows(rows, n);
        }
        double[] ready = planned(rows, n);
        if (ready != null) {
            return planModel.predictRows(ready, n);
        }
        return predictReady(rowsAsDataset(rows, n));
    }

    /**
     * Regression only: the predicted numbers of row-major raw rows, without a {@link Prediction} per row.
     *
     * @param rows {@code n * inputSchema().size()} values, NaN where missing
     * @return one predicted number per row
     * @throws IllegalStateException for a classifier or categorical inputs
     */
    public double[] predictValues(double[] rows) {
        if (task() != Task.REGRESSION) {
            throw new IllegalStateException("predictValues is for regression; this predictor classifies (use predictBatch)");
        }
        int n = rowCount(rows);
        double[] out = new double[n];
        if (direct != null && fast(rows)) {
            if (directArray != null) {
                directArray.predictValues(rows, n, out);
            } else {
                List<Prediction> p = direct.predictRows(rows, n);
                for (int r = 0; r < n; r++) {
                    out[r] = p.get(r).value();
                }
            }
            return out;
        }
        double[] planned = planned(rows, n);
        if (planned != null) {
            planModel.predictValues(planned, n, out);
            return out;
        }
        Dataset ready = ready(checked(rowsAsDataset(rows, n)));
        if (model instanceof ArrayModel a) {
            double[] readyRows = new double[n * a.width()];
            List<String> features = a.signature().features();
            for (int c = 0; c < features.size(); c++) {
                NumericColumn col = ready.numeric(features.get(c));
                for (int r = 0; r < n; r++) {
                    readyRows[r * features.size() + c] = col.get(r);
                }
            }
            a.predictValues(readyRows, n, out);
            return out;
        }
        List<Prediction> p = model.predict(ready);
        for (int r = 0; r < n; r++) {
            out[r] = p.get(r).value();
        }
        return out;
    }

    /**
     * Classification only: the predicted class of each row-major raw row as its index in {@link #classes()}, and,
     * when asked, every class's score, without a {@link Prediction} per row: with an {@link ArrayModel} and no chain,
     * rows of finite values inside the contract reach the model's kernel with no object per row. The same checks as
     * {@link #predictBatch}: a missing or infinite value, a value outside the contract or a chain take the checked
     * path, which refuses or flags the rows with the same message.
     * {@snippet :
     * double[] rows = new double[2 * predictor.inputSchema().size()];      // two raw rows, row-major
     * double[] scores = new double[2 * predictor.classes().size()];
     * int[] digit = predictor.predictClasses(rows, scores);   // predictor.classes().get(digit[0])
     * }
     *
     * @param rows   {@code n * inputSchema().size()} values, NaN where missing
     * @param scores receives {@code classes().size()} scores per row (row-major), or null
     * @return the index of each row's predicted class in {@link #classes()}
     * @throws IllegalStateException    for a regressor or categorical inputs
     * @throws IllegalArgumentException when {@code scores} is too short
     */
    public int[] predictClasses(double[] rows, double[] scores) {
        if (task != Task.CLASSIFICATION) {
            throw new IllegalStateException("predictClasses is for classification; this predictor is a regressor (use predictValues)");
        }
        int n = rowCount(rows);
        int k = classCount;
        if (scores != null && scores.length < (long) n * k) {
            throw new IllegalArgumentException("scores holds " + scores.length + " values; " + n + " rows of " + k
                    + " classes need " + ((long) n * k));
        }
        int[] out = new int[n];
        if (directArray != null && fast(rows)) {
            directArray.predictClasses(rows, n, out, scores);
            return out;
        }
        double[] planned = planned(rows, n);
        if (planned != null) {
            planModel.predictClasses(planned, n, out, scores);
            return out;
        }
        List<Prediction> p = predictBatch(rows);
        List<String> classes = classes();
        for (int r = 0; r < n; r++) {
            Prediction q = p.get(r);
            out[r] = classes.indexOf(q.label());
            if (scores != null) {
                for (int c = 0; c < k; c++) {
                    Double v = q.scores().get(classes.get(c));
                    scores[r * k + c] = v == null ? 0 : v;
                }
            }
        }
        return out;
    }

    /**
     * @return the ready features of row-major raw rows through {@link #plan}, or null when there is no plan or a row
     * must take the checked path (outside the contract, or refused by a step)
     */
    private double[] planned(double[] rows, int n) {
        return plan != null && fast(rows) ? plan.readyRows(rows, n) : null;
    }

    private int rowCount(double[] rows) {
        Objects.requireNonNull(rows, "rows");
        int w = requireNumericInputs();
        if (rows.length == w && w > 0) {
            return 1;   // the single row: no division
        }
        if (rows.length % w != 0) {
            throw new IllegalArgumentException(rows.length + " values are not whole rows of " + w + " input values "
                    + inputSchema.names());
        }
        return rows.length / w;
    }

    private int requireNumericInputs() {
        if (!numericInputs) {
            for (Field f : inputSchema.fields()) {
                if (!f.isNumeric()) {
                    throw new IllegalStateException("input column '" + f.name() + "' is categorical; the primitive entry points "
                            + "take numbers only (use predict(Map) or predict(List<Map>))");
                }
            }
        }
        return width;
    }

    private Dataset rowsAsDataset(double[] rows, int n) {
        return ModelInputs.rowsAsDataset("input", inputSchema.names(), rows, n);
    }

    private void checkKnown(String key, String where, String source, Long line) {
        if (inputSchema.contains(key) || (label != null && label.equals(key)) || ignored.contains(key)) {
            return;
        }
        String closest = Names.closest(key, inputSchema.names());
        throw new InvalidDataException(where + ": '" + key + "' is not an input column of the model"
                + (closest == null ? "." : "; did you mean '" + closest + "'?") + " Its input columns are " + inputSchema.names()
                + (ignored.isEmpty() ? "" : " (accepted and ignored: " + ignored.stream().sorted().toList() + ")")
                + "; use predictor.lenient() to ignore extra keys", source, line, key, null, null);
    }

    private List<Prediction> predictReady(Dataset input) {
        return model.predict(ready(checked(input)));
    }

    /** Checks raw rows against the expectations: refuses or flags them as configured; returns them. */
    private Dataset checked(Dataset input) {
        if (expectations != null && onViolation != OnViolation.IGNORE) {
            ValidationReport report = check(input);
            if (!report.isValid()) {
                if (onViolation == OnViolation.REJECT) {
                    throw new DataValidationException(report);
                }
                flagged.accept(report);
            }
        }
        return input;
    }

    private Dataset ready(Dataset input) {
        Dataset ready = FittedTransform.applyAll(transforms, input);
        ready = ModelInputs.align(ready, model.signature().features());
        ModelInputs.requireReady(ready, "expected a value (the model has no imputation for this column)", false);
        return ready;
    }

    @Override
    public String toString() {
        return "Predictor[" + task() + (manifest == null ? "" : " of '" + manifest.label() + "' by " + manifest.algorithm())
                + ", inputs " + inputSchema.names() + "]";
    }
}
