package org.mlops4j.djl;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.ArrayModel;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.djl.internal.Rows;
import org.mlops4j.quant.DenseNetwork;
import org.mlops4j.quant.QuantReport;

import java.util.List;
import java.util.Objects;

/**
 * An MLP on mlops-quant's dense engine (flavor {@code quantized-dense}): weights in fp32, fp16 or int8 (one
 * scale per output channel), activations in fp32 or dynamic int8. It needs no deep-learning engine: neither
 * PyTorch nor ONNX Runtime loads to predict with it. The bundle holds the weights in their stored format
 * ({@code dense.bin}), the layout ({@code dense.json}) and the quantization report ({@code quant-report.json}
 * and {@code .md}: scales, clipping, round-trip errors, bytes) with the gate's decision ({@code quant-gate.json}).
 *
 * <p>An {@link ArrayModel}: {@link #predictClasses} and {@link #predictValues} take row-major {@code double}
 * rows and write into the caller's arrays, with no object per row (each thread keeps its own engine
 * workspace and float buffers, reused across calls); {@link #predict} gives exactly the same numbers as
 * {@link org.mlops4j.core.model.Prediction}s. Immutable and thread-safe.
 * {@snippet :
 * QuantizedDenseModel int8 = QuantizedDenseModel.of(mlpModel.network(), Quantize.Scheme.INT8, null);
 * int8.report().compression();      // ≈ 3.9
 * List<Prediction> p = int8.predict(readyFeatures);
 * double[] scores = new double[10];
 * int digit = int8.predictClass(readyRow, scores);     // index in int8.signature().classes()
 * }
 */
public final class QuantizedDenseModel implements ArrayModel {
    /** The flavor's name in manifests. */
    public static final String FLAVOR = "quantized-dense";

    private final MlpNetwork layout;
    private final Quantize.Scheme scheme;
    private final DenseNetwork dense;
    private final QuantReport report;
    private final Quantize.Gate gate;
    private final ModelSignature signature;
    private final ThreadLocal<Scratch> scratch;

    /** Rows per engine call. */
    private static final int CHUNK = 64;

    /** One thread's engine workspace and buffers: standardized inputs and engine outputs of one chunk. */
    private static final class Scratch {
        final DenseNetwork.Workspace workspace;
        final float[] x;
        final float[] out;

        Scratch(DenseNetwork dense, int inputs, int outputs) {
            this.workspace = dense.newWorkspace(CHUNK);
            this.x = new float[CHUNK * inputs];
            this.out = new float[CHUNK * outputs];
        }
    }

    QuantizedDenseModel(MlpNetwork layout, Quantize.Scheme scheme, DenseNetwork dense, QuantReport report, Quantize.Gate gate) {
        this.layout = layout;
        this.scheme = scheme;
        this.dense = dense;
        this.report = report;
        this.gate = gate;
        this.signature = new ModelSignature(layout.task(), layout.features(), layout.classes());
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(dense, layout.inputs(), layout.outputs()));
    }

    /**
     * @param network the fp32 network
     * @param scheme  how to store it
     * @param gate    the gate's record, or null when the model was not gated
     * @return the network on the dense engine
     */
    public static QuantizedDenseModel of(MlpNetwork network, Quantize.Scheme scheme, Quantize.Gate gate) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(scheme, "scheme");
        DenseNetwork dense = network.toDenseNetwork(scheme.weights(), scheme.activations());
        return new QuantizedDenseModel(network, scheme, dense, dense.report(), gate);
    }

    /**
     * @param gate the gate's record
     * @return this model with that record (the weights are shared)
     */
    QuantizedDenseModel withGate(Quantize.Gate gate) {
        return new QuantizedDenseModel(layout, scheme, dense, report, gate);
    }

    /** @return the storage scheme */
    public Quantize.Scheme scheme() {
        return scheme;
    }

    /** @return the network on the dense engine */
    public DenseNetwork dense() {
        return dense;
    }

    /** @return the quantization report of the weights: scales, clipping, errors, bytes */
    public QuantReport report() {
        return report;
    }

    /** @return the gate's record (both scores, the bound, the decision), or null when not gated */
    public Quantize.Gate gate() {
        return gate;
    }

    /**
     * @return the layout, standardization and weights this model was quantized from (after a reload: the
     *     weights as stored, dequantized)
     */
    public MlpNetwork layout() {
        return layout;
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
        return predictRows(Rows.doubles(features, layout.features()), n);
    }

    @Override
    public double predictValue(double[] row) {
        Rows.requireTask(signature, Task.REGRESSION);
        Rows.requireRows(signature, row.length, 1);
        Scratch s = scratch.get();
        forward(row, 0, 1, s);
        return s.out[0] * layout.targetScale() + layout.targetMean();
    }

    @Override
    public void predictValues(double[] rows, int count, double[] out) {
        Rows.requireTask(signature, Task.REGRESSION);
        Rows.requireRows(signature, rows.length, count);
        Rows.requireOut(out.length, count);
        Scratch s = scratch.get();
        int in = layout.inputs();
        for (int start = 0; start < count; start += CHUNK) {
            int b = Math.min(CHUNK, count - start);
            forward(rows, start * in, b, s);
            for (int r = 0; r < b; r++) {
                out[start + r] = s.out[r] * layout.targetScale() + layout.targetMean();
            }
        }
    }

    @Override
    public int predictClass(double[] row, double[] scores) {
        Rows.requireTask(signature, Task.CLASSIFICATION);
        Rows.requireRows(signature, row.length, 1);
        if (scores != null) {
            Rows.requireOut(scores.length, layout.outputs());
        }
        Scratch s = scratch.get();
        forward(row, 0, 1, s);
        return classify(s.out, 0, scores, 0);
    }

    @Override
    public void predictClasses(double[] rows, int count, int[] classes, double[] scores) {
        Rows.requireTask(signature, Task.CLASSIFICATION);
        Rows.requireRows(signature, rows.length, count);
        Rows.requireOut(classes.length, count);
        int k = layout.outputs();
        if (scores != null) {
            Rows.requireOut(scores.length, (long) count * k);
        }
        Scratch s = scratch.get();
        int in = layout.inputs();
        for (int start = 0; start < count; start += CHUNK) {
            int b = Math.min(CHUNK, count - start);
            forward(rows, start * in, b, s);
            for (int r = 0; r < b; r++) {
                classes[start + r] = classify(s.out, r * k, scores, (start + r) * k);
            }
        }
    }

    /** Standardizes {@code b ≤ 64} rows from {@code rows[from]} into the thread's buffer and runs the engine into its output buffer. */
    private void forward(double[] rows, int from, int b, Scratch s) {
        Rows.standardize(rows, from, b, layout.inputMean(), layout.inputScale(), s.x);
        dense.predict(s.x, b, s.out, s.workspace);
    }

    /**
     * The engine's softmax output of one row as scores: each divided by their sum (in double), the arg-max taken
     * before dividing (the first of equal maxima).
     */
    private int classify(float[] out, int o, double[] scores, int so) {
        int k = layout.outputs();
        double sum = 0;
        int best = 0;
        double max = out[o];
        for (int c = 0; c < k; c++) {
            double p = out[o + c];
            sum += p;
            if (p > max) {
                max = p;
                best = c;
            }
        }
        if (scores != null) {
            for (int c = 0; c < k; c++) {
                scores[so + c] = out[o + c] / sum;
            }
        }
        return best;
    }

    /**
     * @param standardized {@code rows × inputs} standardized values, row-major
     * @param rows         number of rows
     * @return {@code rows × outputs}: softmax probabilities (classification) or the standardized value
     */
    public float[] raw(float[] standardized, int rows) {
        float[] out = new float[rows * layout.outputs()];
        int in = layout.inputs();
        DenseNetwork.Workspace ws = scratch.get().workspace;
        if (rows <= 64) {
            dense.predict(standardized, rows, out, ws);
            return out;
        }
        float[] chunk = new float[64 * in];
        float[] chunkOut = new float[64 * layout.outputs()];
        for (int start = 0; start < rows; start += 64) {
            int b = Math.min(64, rows - start);
            System.arraycopy(standardized, start * in, chunk, 0, b * in);
            dense.predict(chunk, b, chunkOut, ws);
            System.arraycopy(chunkOut, 0, out, start * layout.outputs(), b * layout.outputs());
        }
        return out;
    }

    @Override
    public String toString() {
        return "QuantizedDenseModel[" + scheme.label() + ", " + layout.task() + " " + layout.inputs() + " -> " + layout.outputs()
                + ", " + dense.sizeInBytes() + " bytes]";
    }
}
