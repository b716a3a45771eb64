package org.mlops4j.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.djl.internal.DjlBlocks;
import org.mlops4j.djl.internal.DjlRuntime;
import org.mlops4j.djl.internal.Rows;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.lang.ref.Cleaner;

/**
 * A trained {@link Mlp} on DJL's PyTorch engine (flavor {@code djl}): the bundle holds the block definition
 * ({@code mlp.json}: layers, widths, activation, standardization, classes) and DJL's parameter file
 * ({@code mlp.params}), so it loads without the training code. Thread-safe: each call runs the block's
 * forward pass in inference mode in its own NDManager, released when the call returns; the parameters live
 * in native memory until {@link #close()} or until the model is unreachable. {@link #network()} gives the
 * weights as arrays, for ONNX export and quantization.
 * {@snippet :
 * MlpModel model = (MlpModel) Mlp.classification().fit(trainingSet, TrainContext.defaults());
 * List<Prediction> p = model.predict(readyFeatures);
 * model.network();                       // MlpNetwork[CLASSIFICATION 64 -> 128 -> 128 -> 10, relu, ...]
 * }
 */
public final class MlpModel implements Model, AutoCloseable {
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
        float[] x = Rows.matrix(features, network.features());
        network.standardize(x);
        float[] out = raw(x, n);
        return predictions(network, out, n);
    }

    /** Row-major ready features straight to the network: what {@link #predict(Dataset)} gives, without the data set. */
    @Override
    public List<Prediction> predictRows(double[] rows, int count) {
        float[] x = Rows.matrix(rows, count, network.inputs());
        if (count == 0) {
            return List.of();
        }
        network.standardize(x);
        return predictions(network, raw(x, count), count);
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

    /**
     * @param network the network (classes, target scale)
     * @param out     raw outputs, {@code rows × outputs}
     * @param n       rows
     * @return predictions: softmax scores and the arg-max class, or the value in the target's units
     */
    static List<Prediction> predictions(MlpNetwork network, float[] out, int n) {
        List<Prediction> result = new ArrayList<>(n);
        int k = network.outputs();
        if (network.task() == Task.REGRESSION) {
            for (int r = 0; r < n; r++) {
                result.add(Prediction.ofValue(out[r] * network.targetScale() + network.targetMean()));
            }
            return result;
        }
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, out[r * k + c]);
            }
            double sum = 0;
            double[] e = new double[k];
            for (int c = 0; c < k; c++) {
                e[c] = Math.exp(out[r * k + c] - max);
                sum += e[c];
            }
            result.add(Rows.classified(network.classes(), e, sum));
        }
        return result;
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
