package org.mlops4j.djl.internal;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;
import org.mlops4j.djl.Mlp;
import org.mlops4j.djl.MlpNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains an {@link Mlp} on DJL's PyTorch engine and returns its weights as arrays. Internal: not an API.
 *
 * <pre>{@code
 * MlpNetwork net = MlpFit.fit(Mlp.regression().epochs(40).seed(7), trainingSet, context);
 * }</pre>
 */
public final class MlpFit {
    private static final Logger LOG = LoggerFactory.getLogger(MlpFit.class);

    private MlpFit() {
    }

    /**
     * @param mlp     hyperparameters
     * @param train   ready features and target
     * @param context where per-epoch losses go
     * @return the trained network (the best validation epoch's weights when early stopping is on)
     */
    public static MlpNetwork fit(Mlp mlp, TrainingSet train, TrainContext context) {
        Dataset features = train.features();
        Target target = train.target();
        int n = features.rowCount();
        int in = features.columnCount();
        List<String> names = features.schema().names();
        float[] x = matrix(features);
        float[] mean = new float[in];
        float[] scale = new float[in];
        for (int c = 0; c < in; c++) {
            double s = 0;
            for (int r = 0; r < n; r++) {
                s += x[r * in + c];
            }
            double m = s / n;
            double v = 0;
            for (int r = 0; r < n; r++) {
                double d = x[r * in + c] - m;
                v += d * d;
            }
            double sd = Math.sqrt(v / n);
            mean[c] = (float) m;
            scale[c] = sd > 1e-12 ? (float) sd : 1f;
        }
        for (int i = 0; i < x.length; i++) {
            int c = i % in;
            x[i] = (x[i] - mean[c]) / scale[c];
        }
        boolean classify = mlp.task() == Task.CLASSIFICATION;
        List<String> classes = classify ? target.classes() : List.of();
        if (classify && classes.size() < 2) {
            throw new IllegalArgumentException("mlp classification needs at least 2 classes but the target has " + classes);
        }
        int outputs = classify ? classes.size() : 1;
        float[] y = new float[n];
        double targetMean = 0;
        double targetScale = 1;
        if (classify) {
            String[] labels = target.labels();
            for (int r = 0; r < n; r++) {
                y[r] = classes.indexOf(labels[r]);
            }
        } else {
            double[] v = target.values();
            double s = 0;
            for (double d : v) {
                s += d;
            }
            targetMean = s / n;
            double var = 0;
            for (double d : v) {
                var += (d - targetMean) * (d - targetMean);
            }
            targetScale = Math.sqrt(var / n) > 1e-12 ? Math.sqrt(var / n) : 1;
            for (int r = 0; r < n; r++) {
                y[r] = (float) ((v[r] - targetMean) / targetScale);
            }
        }

        SplittableRandom random = new SplittableRandom(mlp.seed());
        int[] order = permutation(n, random);
        int validationRows = (int) Math.round(n * mlp.validationFraction());
        if (mlp.validationFraction() > 0 && (validationRows < 1 || n - validationRows < 1)) {
            throw new IllegalArgumentException("validationFraction " + mlp.validationFraction() + " of " + n
                    + " rows leaves no validation or no training rows; use validationFraction(0) for so few rows");
        }
        int[] validation = java.util.Arrays.copyOfRange(order, 0, validationRows);
        int[] fitting = java.util.Arrays.copyOfRange(order, validationRows, n);

        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < mlp.hiddenLayers(); i++) {
            widths.add(mlp.width());
        }
        widths.add(outputs);
        DjlRuntime.pytorch();
        double lossScale = classify ? 1 : targetScale * targetScale;
        try (Model model = Model.newInstance("mlp", DjlRuntime.PYTORCH)) {
            SequentialBlock block = DjlBlocks.block(widths, mlp.activation());
            model.setBlock(block);
            Optimizer optimizer = switch (mlp.optimizer()) {
                case ADAM -> Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) mlp.learningRate()))
                        .optWeightDecays((float) mlp.weightDecay()).build();
                case SGD -> Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) mlp.learningRate())).optMomentum(0.9f)
                        .optWeightDecays((float) mlp.weightDecay()).build();
            };
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, in));
                initialize(DjlBlocks.parameters(block), random);
                NDManager manager = trainer.getManager();
                double best = Double.POSITIVE_INFINITY;
                List<float[]> bestWeights = snapshot(block);
                int bestEpoch = 0;
                int stale = 0;
                int ran = 0;
                for (int epoch = 1; epoch <= mlp.epochs(); epoch++) {
                    shuffle(fitting, random);
                    double total = 0;
                    for (int start = 0; start < fitting.length; start += mlp.batchSize()) {
                        int end = Math.min(fitting.length, start + mlp.batchSize());
                        try (NDManager batch = manager.newSubManager()) {
                            NDArray bx = batch.create(rows(x, in, fitting, start, end), new Shape(end - start, in));
                            NDArray by = labels(batch, y, fitting, start, end, classify, outputs);
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray out = trainer.forward(new NDList(bx)).singletonOrThrow();
                                NDArray loss = loss(out, by, classify);
                                total += loss.getFloat() * (end - start);
                                gc.backward(loss);
                            }
                            trainer.step();
                        }
                    }
                    ran = epoch;
                    double trainLoss = total / fitting.length * lossScale;
                    if (!Double.isFinite(trainLoss)) {
                        throw new IllegalStateException("mlp training diverged at epoch " + epoch + " (loss " + trainLoss
                                + "); lower learningRate(" + mlp.learningRate() + ")");
                    }
                    context.report("train_loss", trainLoss, epoch);
                    if (validation.length == 0) {
                        continue;
                    }
                    double validationLoss;
                    try (NDManager batch = manager.newSubManager()) {
                        NDArray vx = batch.create(rows(x, in, validation, 0, validation.length), new Shape(validation.length, in));
                        NDArray vy = labels(batch, y, validation, 0, validation.length, classify, outputs);
                        NDArray out = trainer.evaluate(new NDList(vx)).singletonOrThrow();
                        validationLoss = loss(out, vy, classify).getFloat() * lossScale;
                    }
                    context.report("validation_loss", validationLoss, epoch);
                    if (validationLoss < best) {
                        best = validationLoss;
                        bestEpoch = epoch;
                        bestWeights = snapshot(block);
                        stale = 0;
                    } else if (++stale >= mlp.patience()) {
                        LOG.info("mlp: early stop after epoch {} ({} epochs without a better validation loss; best epoch {}, loss {})",
                                epoch, mlp.patience(), bestEpoch, best);
                        break;
                    }
                }
                if (validation.length > 0) {
                    restore(block, bestWeights);
                    context.report("best_epoch", bestEpoch, ran);
                }
                context.report("epochs_run", ran, ran);
                return new MlpNetwork(mlp.task(), names, classes, mlp.activation(), mean, scale, DjlBlocks.layers(block),
                        targetMean, targetScale);
            }
        }
    }

    private static NDArray loss(NDArray out, NDArray by, boolean classify) {
        if (classify) {
            return out.logSoftmax(1).mul(by).sum(new int[] {1}).neg().mean();
        }
        return out.sub(by).square().mean();
    }

    private static NDArray labels(NDManager m, float[] y, int[] idx, int start, int end, boolean classify, int outputs) {
        int b = end - start;
        if (classify) {
            float[] onehot = new float[b * outputs];
            for (int i = 0; i < b; i++) {
                onehot[i * outputs + (int) y[idx[start + i]]] = 1f;
            }
            return m.create(onehot, new Shape(b, outputs));
        }
        float[] v = new float[b];
        for (int i = 0; i < b; i++) {
            v[i] = y[idx[start + i]];
        }
        return m.create(v, new Shape(b, 1));
    }

    private static float[] rows(float[] x, int in, int[] idx, int start, int end) {
        float[] out = new float[(end - start) * in];
        for (int i = start; i < end; i++) {
            System.arraycopy(x, idx[i] * in, out, (i - start) * in, in);
        }
        return out;
    }

    /** Glorot-uniform weights and zero biases, from the seed (not from the engine's generator). */
    private static void initialize(List<Parameter> params, SplittableRandom random) {
        for (int i = 0; i < params.size(); i += 2) {
            NDArray w = params.get(i).getArray();
            long out = w.getShape().get(0);
            long in = w.getShape().get(1);
            double limit = Math.sqrt(6.0 / (in + out));
            float[] v = new float[(int) (in * out)];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) ((random.nextDouble() * 2 - 1) * limit);
            }
            w.set(FloatBuffer.wrap(v));
            params.get(i + 1).getArray().set(FloatBuffer.wrap(new float[(int) out]));
        }
    }

    private static List<float[]> snapshot(SequentialBlock block) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : DjlBlocks.parameters(block)) {
            out.add(p.getArray().toFloatArray());
        }
        return out;
    }

    private static void restore(SequentialBlock block, List<float[]> weights) {
        List<Parameter> params = DjlBlocks.parameters(block);
        for (int i = 0; i < params.size(); i++) {
            params.get(i).getArray().set(FloatBuffer.wrap(weights.get(i)));
        }
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static float[] matrix(Dataset d) {
        return Rows.matrix(d);
    }
}
