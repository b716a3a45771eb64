package org.mlops4j.djl;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.ArrayModel;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.djl.internal.DjlRuntime;
import org.mlops4j.djl.internal.Rows;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model as an ONNX graph run by ONNX Runtime (flavor {@code onnx}): exported here (an MLP, a Tribuo
 * linear model, a tree forest as ONNX-ML {@code TreeEnsemble*}) or made elsewhere and imported with
 * {@link Onnx#importer}. The bundle holds {@code model.onnx} (self-contained: no external data) and
 * {@code onnx.json}, which says how columns feed the graph's input and how its output reads as predictions.
 * Thread-safe (ONNX Runtime sessions are); {@link #close()} frees the session. An {@link ArrayModel}:
 * {@link #predictClasses} and {@link #predictValues} write into the caller's arrays (no object per row), the same
 * numbers {@link #predict} gives as {@link org.mlops4j.core.model.Prediction}s.
 * {@snippet :
 * OnnxModel onnx = Onnx.export(mlpModel);
 * onnx.predict(readyFeatures);
 * int digit = onnx.predictClass(readyRow, null);       // index in onnx.signature().classes()
 * Files.write(Path.of("mlp.onnx"), onnx.bytes());     // runs in any ONNX runtime
 * }
 */
public final class OnnxModel implements ArrayModel, AutoCloseable {
    /** The flavor's name in manifests. */
    public static final String FLAVOR = "onnx";

    /** How a graph's output reads. */
    public enum OutputKind {
        /** One value per row (regression). */
        VALUE,
        /** One probability per class. */
        PROBABILITIES,
        /** One unnormalized score per class; softmax gives the probabilities. */
        LOGITS
    }

    /**
     * What {@code onnx.json} holds: how the graph is fed and read.
     *
     * @param format        always {@code mlops4j-onnx}
     * @param version       1
     * @param task          regression or classification
     * @param features      the model's features (signature order)
     * @param inputName     the graph input fed
     * @param inputOrder    the columns in the order of the input's second dimension
     * @param inputType     {@code float} or {@code double}
     * @param outputName    the graph output read
     * @param outputKind    how it reads
     * @param outputClasses the class of each output column (classification), else empty
     * @param producer      who made the graph ({@code mlops4j mlp}, or the file's producer name)
     */
    public record Spec(String format, int version, Task task, List<String> features, String inputName, List<String> inputOrder,
                       String inputType, String outputName, OutputKind outputKind, List<String> outputClasses, String producer) {
        /** Copies the lists. */
        public Spec {
            features = List.copyOf(features);
            inputOrder = List.copyOf(inputOrder);
            outputClasses = outputClasses == null ? List.of() : List.copyOf(outputClasses);
        }
    }

    private final byte[] bytes;
    private final Spec spec;
    private final ModelSignature signature;
    private final OrtSession session;
    private final int[] columnOf;
    private final int[] outputOfClass;

    private OnnxModel(byte[] bytes, Spec spec, OrtSession session) {
        this.bytes = bytes;
        this.spec = spec;
        this.session = session;
        List<String> classes = spec.task() == Task.CLASSIFICATION ? spec.outputClasses().stream().sorted().toList() : List.of();
        this.signature = new ModelSignature(spec.task(), spec.features(), classes);
        this.columnOf = spec.inputOrder().stream().mapToInt(spec.features()::indexOf).toArray();
        this.outputOfClass = classes.stream().mapToInt(spec.outputClasses()::indexOf).toArray();
    }

    /**
     * Starts an ONNX Runtime session over checked bytes. The caller has checked the spec against the graph.
     *
     * @param bytes a self-contained ONNX model
     * @param spec  how to feed and read it
     * @return the model
     * @throws IllegalArgumentException when ONNX Runtime refuses the graph
     */
    static OnnxModel start(byte[] bytes, Spec spec) {
        Objects.requireNonNull(spec, "spec");
        DjlRuntime.onnxRuntime();
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            return new OnnxModel(bytes.clone(), spec, env.createSession(bytes, options));
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the graph: " + e.getMessage(), e);
        }
    }

    /** @return the ONNX file's bytes (a copy) */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return how the graph is fed and read */
    public Spec spec() {
        return spec;
    }

    /** @return the ONNX Runtime session */
    public OrtSession session() {
        return session;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public String flavor() {
        return FLAVOR;
    }

    @Override
    public List<Prediction> predict(Dataset features) {
        int n = features.rowCount();
        if (n == 0) {
            return List.of();
        }
        return predictRows(Rows.doubles(features, spec.features()), n);
    }

    /** Row-major ready features (signature order) through the graph: its output, row-major. */
    private float[] forward(double[] rows, int count) {
        int nf = spec.features().size();
        int width = columnOf.length;
        if ("double".equals(spec.inputType())) {
            double[] d = new double[count * width];
            for (int r = 0; r < count; r++) {
                for (int c = 0; c < width; c++) {
                    d[r * width + c] = rows[r * nf + columnOf[c]];
                }
            }
            return run(DoubleBuffer.wrap(d), null, count, width);
        }
        float[] f = new float[count * width];
        for (int r = 0; r < count; r++) {
            for (int c = 0; c < width; c++) {
                f[r * width + c] = (float) rows[r * nf + columnOf[c]];
            }
        }
        return run(null, FloatBuffer.wrap(f), count, width);
    }

    @Override
    public double predictValue(double[] row) {
        Rows.requireTask(signature, Task.REGRESSION);
        Rows.requireRows(signature, row.length, 1);
        return forward(row, 1)[0];
    }

    @Override
    public void predictValues(double[] rows, int count, double[] out) {
        Rows.requireTask(signature, Task.REGRESSION);
        Rows.requireRows(signature, rows.length, count);
        Rows.requireOut(out.length, count);
        if (count == 0) {
            return;
        }
        float[] y = forward(rows, count);
        for (int r = 0; r < count; r++) {
            out[r] = y[r];
        }
    }

    @Override
    public int predictClass(double[] row, double[] scores) {
        Rows.requireTask(signature, Task.CLASSIFICATION);
        Rows.requireRows(signature, row.length, 1);
        int k = outputOfClass.length;
        if (scores != null) {
            Rows.requireOut(scores.length, k);
        }
        return classify(forward(row, 1), 0, scores == null ? new double[k] : scores, 0);
    }

    @Override
    public void predictClasses(double[] rows, int count, int[] classes, double[] scores) {
        Rows.requireTask(signature, Task.CLASSIFICATION);
        Rows.requireRows(signature, rows.length, count);
        Rows.requireOut(classes.length, count);
        int k = outputOfClass.length;
        if (scores != null) {
            Rows.requireOut(scores.length, (long) count * k);
        }
        if (count == 0) {
            return;
        }
        float[] y = forward(rows, count);
        double[] one = scores == null ? new double[k] : null;
        for (int r = 0; r < count; r++) {
            classes[r] = scores == null ? classify(y, r * k, one, 0) : classify(y, r * k, scores, r * k);
        }
    }

    /**
     * One row of the graph's output as scores in signature (sorted) class order: probabilities as they are, logits
     * through a softmax; the arg-max is taken before dividing (the first of equal maxima).
     *
     * @return the arg-max
     */
    private int classify(float[] out, int o, double[] p, int po) {
        int k = outputOfClass.length;
        boolean logits = spec.outputKind() == OutputKind.LOGITS;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, out[o + outputOfClass[c]]);
        }
        double sum = 0;
        int best = 0;
        for (int c = 0; c < k; c++) {
            double v = out[o + outputOfClass[c]];
            double e = logits ? Math.exp(v - max) : v;
            p[po + c] = e;
            sum += e;
            if (e > p[po + best]) {
                best = c;
            }
        }
        double divisor = logits ? sum : 1.0;
        for (int c = 0; c < k; c++) {
            p[po + c] /= divisor;
        }
        return best;
    }

    /**
     * Runs the graph on columns in input order.
     *
     * @param cols one array per input column, in {@link Spec#inputOrder()} order
     * @param n    rows
     * @return the output, row-major
     */
    float[] run(double[][] cols, int n) {
        boolean dbl = "double".equals(spec.inputType());
        return run(dbl ? doubles(cols, n) : null, dbl ? null : floats(cols, n), n, cols.length);
    }

    private float[] run(DoubleBuffer doubles, FloatBuffer floats, int n, int width) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {n, width};
        try (OnnxTensor input = doubles != null ? OnnxTensor.createTensor(env, doubles, shape)
                : OnnxTensor.createTensor(env, floats, shape);
             OrtSession.Result result = session.run(Map.of(spec.inputName(), input), Set.of(spec.outputName()))) {
            OnnxValue v = result.get(spec.outputName()).orElseThrow();
            if (!(v instanceof OnnxTensor t) || !(t.getInfo() instanceof TensorInfo info)) {
                throw new IllegalStateException("ONNX output '" + spec.outputName() + "' is a " + v.getType()
                        + ", not a tensor; export the graph without ZipMap (or name its tensor output)");
            }
            long[] s = info.getShape();
            int expected = spec.task() == Task.REGRESSION ? 1 : spec.outputClasses().size();
            long per = s.length == 1 ? 1 : s[s.length - 1];
            if (s.length == 0 || s[0] != n || per != expected || s.length > 2) {
                throw new IllegalStateException("ONNX output '" + spec.outputName() + "' has shape " + java.util.Arrays.toString(s) + " for "
                        + n + " rows; expected [" + n + ", " + expected + "]");
            }
            float[] out = new float[n * expected];
            switch (info.type) {
                case FLOAT -> t.getFloatBuffer().get(out);
                case DOUBLE -> {
                    DoubleBuffer d = t.getDoubleBuffer();
                    for (int i = 0; i < out.length; i++) {
                        out[i] = (float) d.get(i);
                    }
                }
                default -> throw new IllegalStateException("ONNX output '" + spec.outputName() + "' holds " + info.type
                        + "; expected float or double");
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + n + " rows: " + e.getMessage(), e);
        }
    }

    private static FloatBuffer floats(double[][] cols, int n) {
        int w = cols.length;
        float[] x = new float[n * w];
        for (int c = 0; c < w; c++) {
            for (int r = 0; r < n; r++) {
                x[r * w + c] = (float) cols[c][r];
            }
        }
        return FloatBuffer.wrap(x);
    }

    private static DoubleBuffer doubles(double[][] cols, int n) {
        int w = cols.length;
        double[] x = new double[n * w];
        for (int c = 0; c < w; c++) {
            for (int r = 0; r < n; r++) {
                x[r * w + c] = cols[c][r];
            }
        }
        return DoubleBuffer.wrap(x);
    }

    /** Closes the ONNX Runtime session. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "OnnxModel[" + spec.producer() + ", " + spec.task() + ", " + spec.inputOrder().size() + " " + spec.inputType()
                + " inputs -> '" + spec.outputName() + "' (" + spec.outputKind().name().toLowerCase(java.util.Locale.ROOT) + ")]";
    }
}
