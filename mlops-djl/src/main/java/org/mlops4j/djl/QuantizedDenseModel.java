package org.mlops4j.djl;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.djl.internal.Rows;
import org.mlops4j.quant.DenseNetwork;
import org.mlops4j.quant.QuantReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An MLP on mlops-quant's dense engine (flavor {@code quantized-dense}): weights in fp32, fp16 or int8 (one
 * scale per output channel), activations in fp32 or dynamic int8. It needs no deep-learning engine: neither
 * PyTorch nor ONNX Runtime loads to predict with it. The bundle holds the weights in their stored format
 * ({@code dense.bin}), the layout ({@code dense.json}) and the quantization report ({@code quant-report.json}
 * and {@code .md}: scales, clipping, round-trip errors, bytes) with the gate's decision ({@code quant-gate.json}).
 * Immutable and thread-safe.
 * {@snippet :
 * QuantizedDenseModel int8 = QuantizedDenseModel.of(mlpModel.network(), Quantize.Scheme.INT8, null);
 * int8.report().compression();      // ≈ 3.9
 * List<Prediction> p = int8.predict(readyFeatures);
 * }
 */
public final class QuantizedDenseModel implements Model {
    /** The flavor's name in manifests. */
    public static final String FLAVOR = "quantized-dense";

    private final MlpNetwork layout;
    private final Quantize.Scheme scheme;
    private final DenseNetwork dense;
    private final QuantReport report;
    private final Quantize.Gate gate;
    private final ModelSignature signature;
    private final ThreadLocal<DenseNetwork.Workspace> workspaces;

    QuantizedDenseModel(MlpNetwork layout, Quantize.Scheme scheme, DenseNetwork dense, QuantReport report, Quantize.Gate gate) {
        this.layout = layout;
        this.scheme = scheme;
        this.dense = dense;
        this.report = report;
        this.gate = gate;
        this.signature = new ModelSignature(layout.task(), layout.features(), layout.classes());
        this.workspaces = ThreadLocal.withInitial(() -> dense.newWorkspace(64));
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
        return predictions(Rows.matrix(features, layout.features()), n);
    }

    /** Row-major ready features straight to the dense engine: what {@link #predict(Dataset)} gives, without the data set. */
    @Override
    public List<Prediction> predictRows(double[] rows, int count) {
        float[] x = Rows.matrix(rows, count, layout.inputs());
        return count == 0 ? List.of() : predictions(x, count);
    }

    private List<Prediction> predictions(float[] x, int n) {
        layout.standardize(x);
        float[] out = raw(x, n);
        List<Prediction> result = new ArrayList<>(n);
        int k = layout.outputs();
        for (int r = 0; r < n; r++) {
            if (layout.task() == Task.REGRESSION) {
                result.add(Prediction.ofValue(out[r] * layout.targetScale() + layout.targetMean()));
            } else {
                double[] p = new double[k];
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    p[c] = out[r * k + c];
                    sum += p[c];
                }
                result.add(Rows.classified(layout.classes(), p, sum));
            }
        }
        return result;
    }

    /**
     * @param standardized {@code rows × inputs} standardized values, row-major
     * @param rows         number of rows
     * @return {@code rows × outputs}: softmax probabilities (classification) or the standardized value
     */
    public float[] raw(float[] standardized, int rows) {
        float[] out = new float[rows * layout.outputs()];
        int in = layout.inputs();
        DenseNetwork.Workspace ws = workspaces.get();
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
