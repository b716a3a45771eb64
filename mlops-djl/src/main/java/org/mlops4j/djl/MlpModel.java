package org.mlops4j.djl;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.djl.internal.DjlBlocks;
import org.mlops4j.djl.internal.DjlRuntime;
import org.mlops4j.djl.internal.MlpFit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A trained {@link Mlp} on DJL's PyTorch engine (flavor {@code djl}): the bundle holds the block definition
 * ({@code mlp.json}: layers, widths, activation, standardization, classes) and DJL's parameter file
 * ({@code mlp.params}), so it loads without the training code. Thread-safe: predictions run on a small pool
 * of DJL predictors. {@link #network()} gives the weights as arrays, for ONNX export and quantization.
 * {@snippet :
 * MlpModel model = (MlpModel) Mlp.classification().fit(trainingSet, TrainContext.defaults());
 * List<Prediction> p = model.predict(readyFeatures);
 * model.network();                       // MlpNetwork[CLASSIFICATION 64 -> 128 -> 128 -> 10, relu, ...]
 * }
 */
public final class MlpModel implements Model, AutoCloseable {
    /** The flavor's name in manifests. */
    public static final String FLAVOR = "djl";

    private final MlpNetwork network;
    private final ModelSignature signature;
    private final ai.djl.Model djl;
    private final ConcurrentLinkedDeque<Predictor<float[][], float[]>> pool = new ConcurrentLinkedDeque<>();

    private MlpModel(MlpNetwork network, ai.djl.Model djl) {
        this.network = network;
        this.signature = new ModelSignature(network.task(), network.features(), network.classes());
        this.djl = djl;
    }

    /**
     * @param network trained weights
     * @return the network on DJL's PyTorch engine
     */
    public static MlpModel of(MlpNetwork network) {
        Objects.requireNonNull(network, "network");
        DjlRuntime.pytorch();
        ai.djl.Model djl = ai.djl.Model.newInstance("mlp", DjlRuntime.PYTORCH);
        SequentialBlock block = DjlBlocks.of(djl.getNDManager(), network);
        djl.setBlock(block);
        return new MlpModel(network, djl);
    }

    /**
     * Wraps a block whose parameters DJL has already loaded.
     *
     * @param network the same weights as arrays
     * @param djl     the DJL model holding the block
     * @return the model
     */
    static MlpModel wrap(MlpNetwork network, ai.djl.Model djl) {
        return new MlpModel(network, djl);
    }

    /** @return the weights as arrays */
    public MlpNetwork network() {
        return network;
    }

    /** @return the DJL model behind this one (its block holds the weights) */
    public ai.djl.Model djlModel() {
        return djl;
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
        float[] x = MlpFit.matrix(features.select(network.features()));
        network.standardize(x);
        float[] out = raw(x, n);
        return predictions(network, out, n);
    }

    /**
     * The network's raw output for standardized rows: logits (classification) or the standardized value.
     *
     * @param standardized {@code rows × inputs} values, row-major, already standardized
     * @param rows         number of rows
     * @return {@code rows × outputs} values
     */
    public float[] raw(float[] standardized, int rows) {
        Predictor<float[][], float[]> p = pool.pollFirst();
        if (p == null) {
            p = djl.newPredictor(new RowsTranslator(network.inputs()));
        }
        try {
            return p.predict(new float[][] {standardized});
        } catch (TranslateException e) {
            throw new IllegalStateException("DJL could not run the network on " + rows + " rows: " + e.getMessage(), e);
        } finally {
            pool.offerFirst(p);
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
            result.add(classified(network.classes(), e, sum));
        }
        return result;
    }

    static Prediction classified(List<String> classes, double[] scores, double sum) {
        Map<String, Double> m = new LinkedHashMap<>();
        int best = 0;
        for (int c = 0; c < scores.length; c++) {
            m.put(classes.get(c), scores[c] / sum);
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return new Prediction(classes.get(best), scores[best] / sum, m);
    }

    /** Closes the DJL model and its predictors (native memory); the model is unusable afterwards. */
    @Override
    public void close() {
        Predictor<float[][], float[]> p;
        while ((p = pool.pollFirst()) != null) {
            p.close();
        }
        djl.close();
    }

    @Override
    public String toString() {
        return "MlpModel[" + network + ", pytorch]";
    }

    /** Row-major floats in, row-major floats out: the whole batch in one forward pass. */
    static final class RowsTranslator implements Translator<float[][], float[]> {
        private final int inputs;

        RowsTranslator(int inputs) {
            this.inputs = inputs;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, float[][] input) {
            NDManager m = ctx.getNDManager();
            float[] x = input[0];
            return new NDList(m.create(x, new Shape(x.length / inputs, inputs)));
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.singletonOrThrow().toFloatArray();
        }

        @Override
        public Batchifier getBatchifier() {
            return null;
        }
    }
}
