package org.mlops4j.core;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Everything that touches Tribuo: trainer construction, data conversion, prediction and model I/O. No
 * Tribuo type leaves this class except as {@code Model<?>} held inside {@link TrainedModel}.
 */
final class TribuoBridge {

    /**
     * Tribuo model classes we write. The protobuf names the class to instantiate; anything else is refused
     * before Tribuo sees it (bundles are checksum-verified first, this is a second fence).
     */
    private static final Set<String> ALLOWED_MODEL_CLASSES = Set.of(
            "org.tribuo.common.tree.TreeModel",
            "org.tribuo.regression.rtree.IndependentRegressionTreeModel",
            "org.tribuo.ensemble.WeightedEnsembleModel",
            "org.tribuo.regression.sgd.linear.LinearSGDModel",
            "org.tribuo.classification.sgd.linear.LinearSGDModel");

    /**
     * Tribuo logs one INFO line per ensemble member and per SGD run through java.util.logging. Unless the
     * application configured these loggers itself (level set), mlops4j raises them to WARNING the first
     * time it trains. Strong references keep JUL from forgetting the level.
     */
    private static final List<java.util.logging.Logger> QUIETED = new ArrayList<>();

    private TribuoBridge() {
    }

    private static synchronized void quietTribuoProgressLogs() {
        if (!QUIETED.isEmpty()) {
            return;
        }
        for (String name : List.of("org.tribuo.ensemble.BaggingTrainer", "org.tribuo.common.sgd.AbstractSGDTrainer",
                "org.tribuo.common.sgd.AbstractFMTrainer", "org.tribuo.common.sgd.AbstractLinearSGDTrainer")) {
            java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
            if (l.getLevel() == null) {
                l.setLevel(java.util.logging.Level.WARNING);
            }
            QUIETED.add(l);
        }
    }

    static Trainer<?> trainer(Algorithm algorithm, int features) {
        return switch (algorithm) {
            case RandomForest rf -> forest(rf, features);
            case DecisionTree t -> t.task() == Task.REGRESSION
                    ? new CARTRegressionTrainer(t.maxDepth(), (float) t.minChildWeight(), 0f, 1f, false, new MeanSquaredError(), t.seed())
                    : new CARTClassificationTrainer(t.maxDepth(), (float) t.minChildWeight(), 0f, 1f, false, new GiniIndex(), t.seed());
            case Linear l -> l.task() == Task.REGRESSION
                    ? new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(), new AdaGrad(l.learningRate()),
                    l.epochs(), -1, l.minibatch(), l.seed())
                    : new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(), new AdaGrad(l.learningRate()),
                    l.epochs(), -1, l.minibatch(), l.seed());
        };
    }

    private static Trainer<?> forest(RandomForest rf, int features) {
        float fraction = (float) rf.effectiveFeatureFraction(features);
        // Tribuo's RandomForestTrainer insists on feature sampling; with all features a forest is bagging.
        if (rf.task() == Task.REGRESSION) {
            CARTRegressionTrainer tree = new CARTRegressionTrainer(rf.maxDepth(), (float) rf.minChildWeight(), 0f,
                    fraction, false, new MeanSquaredError(), rf.seed());
            return fraction >= 1f
                    ? new BaggingTrainer<>(tree, new AveragingCombiner(), rf.trees(), rf.seed())
                    : new RandomForestTrainer<>(tree, new AveragingCombiner(), rf.trees(), rf.seed());
        }
        CARTClassificationTrainer tree = new CARTClassificationTrainer(rf.maxDepth(), (float) rf.minChildWeight(), 0f,
                fraction, false, new GiniIndex(), rf.seed());
        return fraction >= 1f
                ? new BaggingTrainer<>(tree, new VotingCombiner(), rf.trees(), rf.seed())
                : new RandomForestTrainer<>(tree, new VotingCombiner(), rf.trees(), rf.seed());
    }

    /** Converts checked, all-numeric, complete features plus the target into a Tribuo data set. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Model<?> train(Algorithm algorithm, Dataset features, Target target, Instant now) {
        quietTribuoProgressLogs();
        String[] names = features.schema().names().toArray(new String[0]);
        double[][] cols = columns(features);
        OffsetDateTime time = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        Trainer trainer = trainer(algorithm, names.length);
        if (algorithm.task() == Task.REGRESSION) {
            RegressionFactory factory = new RegressionFactory();
            MutableDataset<Regressor> data = new MutableDataset<>(
                    new SimpleDataSourceProvenance(features.source(), time, factory), factory);
            for (int r = 0; r < features.rowCount(); r++) {
                data.add(new ArrayExample<>(new Regressor(target.name(), target.values()[r]), names, row(cols, r)));
            }
            return trainer.train(data);
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance(features.source(), time, factory), factory);
        for (int r = 0; r < features.rowCount(); r++) {
            data.add(new ArrayExample<>(new Label(target.classes()[r]), names, row(cols, r)));
        }
        return trainer.train(data);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<Prediction> predict(Model<?> model, Task task, Dataset features) {
        String[] names = features.schema().names().toArray(new String[0]);
        double[][] cols = columns(features);
        List<Example> examples = new ArrayList<>(features.rowCount());
        for (int r = 0; r < features.rowCount(); r++) {
            examples.add(task == Task.REGRESSION
                    ? new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, row(cols, r))
                    : new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, row(cols, r)));
        }
        List<org.tribuo.Prediction> raw = ((Model) model).predict((Iterable) examples);
        List<Prediction> out = new ArrayList<>(raw.size());
        for (org.tribuo.Prediction p : raw) {
            if (task == Task.REGRESSION) {
                out.add(Prediction.ofValue(((Regressor) p.getOutput()).getValues()[0]));
            } else {
                Label label = (Label) p.getOutput();
                Map<String, Double> scores = new LinkedHashMap<>();
                Map<String, Label> all = p.getOutputScores();
                all.keySet().stream().sorted().forEach(k -> scores.put(k, all.get(k).getScore()));
                double score = scores.getOrDefault(label.getLabel(), label.getScore());
                out.add(new Prediction(label.getLabel(), score, scores));
            }
        }
        return out;
    }

    private static double[][] columns(Dataset features) {
        double[][] cols = new double[features.columnCount()][];
        for (int c = 0; c < cols.length; c++) {
            cols[c] = ((NumericColumn) features.columns().get(c)).values();
        }
        return cols;
    }

    private static double[] row(double[][] cols, int r) {
        double[] v = new double[cols.length];
        for (int c = 0; c < cols.length; c++) {
            v[c] = cols[c][r];
        }
        return v;
    }

    /**
     * @return the model as gzip-compressed Tribuo protobuf. A 100-tree forest is ~10 MB of protobuf that
     *     compresses ~8x; the fastest deflate level compresses it 3x faster than the default for ~6 % more bytes.
     */
    static byte[] serialize(Model<?> model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (GZIPOutputStream gz = new FastGzip(bytes)) {
            model.serialize().writeTo(gz);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** gzip at {@link java.util.zip.Deflater#BEST_SPEED}. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(java.io.OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(java.util.zip.Deflater.BEST_SPEED);
        }
    }

    static Model<?> deserialize(byte[] gzipped, String where) {
        ModelProto proto;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            proto = ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new BundleIntegrityException(where + ": the model payload is not a gzip-compressed Tribuo protobuf: " + e.getMessage(), e);
        }
        if (!ALLOWED_MODEL_CLASSES.contains(proto.getClassName())) {
            throw new BundleIntegrityException(where + ": the model payload names class '" + proto.getClassName()
                    + "', which mlops4j does not load; expected one of " + ALLOWED_MODEL_CLASSES);
        }
        try {
            return Model.deserialize(proto);
        } catch (RuntimeException e) {
            throw new BundleIntegrityException(where + ": Tribuo could not read the model payload: " + e.getMessage(), e);
        }
    }

    /**
     * The training target: numbers for regression, class names for classification.
     */
    record Target(String name, double[] values, String[] classes) {
        Target rows(int[] rows) {
            if (values != null) {
                double[] v = new double[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    v[i] = values[rows[i]];
                }
                return new Target(name, v, null);
            }
            String[] c = new String[rows.length];
            for (int i = 0; i < rows.length; i++) {
                c[i] = classes[rows[i]];
            }
            return new Target(name, null, c);
        }
    }
}
