package org.mlops4j.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.ArrayModel;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.djl.internal.DjlBlocks;
import org.mlops4j.djl.internal.DjlRuntime;
import org.mlops4j.djl.internal.Rows;

import java.util.List;
import java.util.Objects;
import java.lang.ref.Cleaner;

/**
 * A trained {@link Mlp} on DJL's PyTorch engine (flavor {@code djl}): the bundle holds the block definition
 * ({@code mlp.json}: layers, widths, activation, standardization, classes) and DJL's parameter file
 * ({@code mlp.params}), so it loads without the training code. Thread-safe: each call runs the block's
 * forward pass in inference mode in its own NDManager, released when the call returns; the parameters live
 * in native memory until {@link #close()} or until the model is unreachable. {@link #network()} gives the
 * weights as arrays, for ONNX export and quantization. An {@link ArrayModel}: {@link #predictClasses} and
 * {@link #predictValues} write class indexes, scores and values into the caller's arrays (no object per row),
 * the same numbers {@link #predict} gives as {@link org.mlops4j.core.model.Prediction}s.
 * {@snippet :
 * MlpModel model = (MlpModel) Mlp.classification().fit(trainingSet, TrainContext.defaults());
 * List<Prediction> p = model.predict(readyFeatures);
 * int[] digits = new int[100];
 * model.predictClasses(readyRows, 100, digits, null);     // 100 rows; indexes in model.signature().classes()
 * model.network();                       // MlpNetwork[CLASSIFICATION 64 -> 128 -> 128 -> 10, relu, ...]
 * }
 */
public final class MlpModel implements ArrayModel, AutoCloseable {
    /** The flavor's name in manifests. */
    public static final String FLAVOR = "djl";

    private static final Cleaner CLEANER = Cleaner.create();

    private final MlpNetwork network;
    private final ModelSignature signature;
    private final NDManager manager;
    private final Block block;
    private final Cleaner.Cleanable cleanable;

    private MlpModel(MlpNetwork network, NDManager manager, Block block) {
        this.network = network;
        this.signature = new ModelSignature(network.task(), network.features(), network.classes());
        this.manager = manager;
        this.block = block;
        this.cleanable = CLEANER.register(this, manager::close);
    }

    /**
     * @param network trained weights
     * @return the network on DJL's PyTorch engine
     */
    public static MlpModel of(MlpNetwork network) {
        Objects.requireNonNull(network, "network");
        NDManager manager = DjlRuntime.pytorch().newBaseManager();
        try {
            return new MlpModel(network, manager, DjlBlocks.of(manager, network));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Wraps a block whose parameters DJL has already loaded.
     *
     * @param network the same weights as arrays
     * @param manager owns the parameters
     * @param block   the block
     * @return the model
     */
    static MlpModel wrap(MlpNetwork network, NDManager manager, Block block) {
        return new MlpModel(network, manager, block);
    }

    /** @return the weights as arrays */
    public MlpNetwork network() {
        return network;
    }

    /** @return the DJL block behind this one (it holds the weights) */
    public Block block() {
        return block;
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
        return predictRows(Rows.doubles(features, network.features()), n);
    }

    /** Standardizes row-major rows in the copy to floats and runs the network: raw outputs, {@code count × outputs}. */
    private float[] forward(double[] rows, int count) {
        float[] x = new float[count * network.inputs()];
        Rows.standardize(rows, 0, count, network.inputMean(), network.inputScale(), x);
        return raw(x, count);
    }

    @Override
    public double predictValue(double[] row) {
        Rows.requireTask(signature, Task.REGRESSION);
        Rows.requireRows(signature, row.length, 1);
        return forward(row, 1)[0] * network.targetScale() + network.targetMean();
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
            out[r] = y[r] * network.targetScale() + network.targetMean();
        }
    }

    @Override
    public int predictClass(double[] row, double[] scores) {
        Rows.requireTask(signature, Task.CLASSIFICATION);
        Rows.requireRows(signature, row.length, 1);
        int k = network.outputs();
        if (scores != null) {
            Rows.requireOut(scores.length, k);
        }
        return softmax(forward(row, 1), 0, k, scores == null ? new double[k] : scores, 0);
    }

    @Override
    public void predictClasses(double[] rows, int count, int[] classes, double[] scores) {
        Rows.requireTask(signature, Task.CLASSIFICATION);
        Rows.requireRows(signature, rows.length, count);
        Rows.requireOut(classes.length, count);
        int k = network.outputs();
        if (scores != null) {
            Rows.requireOut(scores.length, (long) count * k);
        }
        if (count == 0) {
            return;
        }
        float[] y = forward(rows, count);
        double[] one = scores == null ? new double[k] : null;
        for (int r = 0; r < count; r++) {
            classes[r] = scores == null ? softmax(y, r * k, k, one, 0) : softmax(y, r * k, k, scores, r * k);
        }
    }

    /**
     * Softmax of one row's logits into {@code p[po..po+k)}: {@code exp(v - max)} divided by their sum; the arg-max
     * is taken before dividing (the first of equal maxima).
     *
     * @return the arg-max
     */
    static int softmax(float[] logits, int o, int k, double[] p, int po) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, logits[o + c]);
        }
        double sum = 0;
        int best = 0;
        for (int c = 0; c < k; c++) {
            double e = Math.exp(logits[o + c] - max);
            p[po + c] = e;
            sum += e;
            if (e > p[po + best]) {
                best = c;
            }
        }
        for (int c = 0; c < k; c++) {
            p[po + c] /= sum;
        }
        return best;
    }

    /**
     * The network's raw output for standardized rows: logits (classification) or the standardized value.
     *
     * @param standardized {@code rows × inputs} values, row-major, already standardized
     * @param rows         number of rows
     * @return {@code rows × outputs} values
     */
    public float[] raw(float[] standardized, int rows) {
        try (NDManager call = manager.newSubManager()) {
            NDList in = new NDList(call.create(standardized, new Shape(rows, network.inputs())));
            NDList out = block.forward(new ParameterStore(call, false), in, false);
            return out.singletonOrThrow().toFloatArray();
        }
    }

    /** Releases the parameters' native memory now; the model is unusable afterwards. */
    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "MlpModel[" + network + ", pytorch]";
    }
}
