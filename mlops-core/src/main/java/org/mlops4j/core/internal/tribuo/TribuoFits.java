package org.mlops4j.core.internal.tribuo;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.Model;
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
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains Tribuo models for mlops-core's built-in trainers: trainer construction and data conversion. One
 * method per trainer kind, each taking the hyperparameters as plain values, so the trainer records in
 * {@code core.train} never see a Tribuo type. Internal: not an API.
 *
 * <pre>{@code
 * Model forest = TribuoFits.forest(features, target, Instant.now(), 100, Integer.MAX_VALUE, 5, 0.7, 42L);
 * Model tribuo = TribuoFits.tribuoSource(forest);          // the Tribuo model a compiled one was made from
 * }</pre>
 */
public final class TribuoFits {
    /** Tribuo's version, for run records. */
    public static final String TRIBUO_VERSION = org.tribuo.Tribuo.VERSION;

    /**
     * Tribuo logs one INFO line per ensemble member and per SGD run through java.util.logging. Unless the
     * application configured these loggers itself (level set), mlops4j raises them to WARNING the first
     * time it trains. Strong references keep JUL from forgetting the level.
     */
    private static final List<java.util.logging.Logger> QUIETED = new ArrayList<>();

    private TribuoFits() {
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

    /**
     * A random forest (Tribuo's {@code RandomForestTrainer}; with every feature per split, {@code BaggingTrainer}).
     *
     * @param features       ready features
     * @param target         their target
     * @param now            provenance time
     * @param trees          number of trees
     * @param maxDepth       maximum depth
     * @param minChildWeight minimum rows in a leaf
     * @param fraction       share of features tried per split
     * @param seed           random seed
     * @return the trained model
     */
    public static Model forest(Dataset features, Target target, Instant now, int trees, int maxDepth, double minChildWeight,
                               double fraction, long seed) {
        float f = (float) fraction;
        Trainer<?> trainer;
        // Tribuo's RandomForestTrainer insists on feature sampling; with all features a forest is bagging.
        if (target.task() == Task.REGRESSION) {
            CARTRegressionTrainer tree = new CARTRegressionTrainer(maxDepth, (float) minChildWeight, 0f, f, false,
                    new MeanSquaredError(), seed);
            trainer = f >= 1f
                    ? new BaggingTrainer<>(tree, new AveragingCombiner(), trees, seed)
                    : new RandomForestTrainer<>(tree, new AveragingCombiner(), trees, seed);
        } else {
            CARTClassificationTrainer tree = new CARTClassificationTrainer(maxDepth, (float) minChildWeight, 0f, f, false,
                    new GiniIndex(), seed);
            trainer = f >= 1f
                    ? new BaggingTrainer<>(tree, new VotingCombiner(), trees, seed)
                    : new RandomForestTrainer<>(tree, new VotingCombiner(), trees, seed);
        }
        return train(trainer, features, target, now);
    }

    /**
     * A single CART tree.
     *
     * @param features       ready features
     * @param target         their target
     * @param now            provenance time
     * @param maxDepth       maximum depth
     * @param minChildWeight minimum rows in a leaf
     * @param seed           random seed
     * @return the trained model
     */
    public static Model tree(Dataset features, Target target, Instant now, int maxDepth, double minChildWeight, long seed) {
        Trainer<?> trainer = target.task() == Task.REGRESSION
                ? new CARTRegressionTrainer(maxDepth, (float) minChildWeight, 0f, 1f, false, new MeanSquaredError(), seed)
                : new CARTClassificationTrainer(maxDepth, (float) minChildWeight, 0f, 1f, false, new GiniIndex(), seed);
        return train(trainer, features, target, now);
    }

    /**
     * A linear model by SGD with AdaGrad.
     *
     * @param features     ready features
     * @param target       their target
     * @param now          provenance time
     * @param epochs       passes over the data
     * @param learningRate AdaGrad's initial rate
     * @param minibatch    rows per step
     * @param seed         random seed
     * @return the trained model
     */
    public static Model linear(Dataset features, Target target, Instant now, int epochs, double learningRate, int minibatch,
                               long seed) {
        Trainer<?> trainer = target.task() == Task.REGRESSION
                ? new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(), new AdaGrad(learningRate),
                epochs, -1, minibatch, seed)
                : new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(), new AdaGrad(learningRate),
                epochs, -1, minibatch, seed);
        return train(trainer, features, target, now);
    }

    /**
     * Converts checked, all-numeric, complete features plus the target into a Tribuo data set, trains, and
     * compiles the result ({@link TribuoCompiler}); a shape the compiler does not handle stays a Tribuo model.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Model train(Trainer trainer, Dataset features, Target target, Instant now) {
        quietTribuoProgressLogs();
        String[] names = features.schema().names().toArray(new String[0]);
        double[][] cols = columns(features);
        OffsetDateTime time = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        org.tribuo.Model<?> model;
        if (target.task() == Task.REGRESSION) {
            RegressionFactory factory = new RegressionFactory();
            MutableDataset<Regressor> data = new MutableDataset<>(
                    new SimpleDataSourceProvenance(features.source(), time, factory), factory);
            for (int r = 0; r < features.rowCount(); r++) {
                data.add(new ArrayExample<>(new Regressor(target.name(), target.value(r)), names, row(cols, r)));
            }
            model = trainer.train(data);
        } else {
            LabelFactory factory = new LabelFactory();
            MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance(features.source(), time, factory), factory);
            for (int r = 0; r < features.rowCount(); r++) {
                data.add(new ArrayExample<>(new Label(target.label(r)), names, row(cols, r)));
            }
            model = trainer.train(data);
        }
        TribuoModel trained = new TribuoModel(target.task(), model, features.schema().names(), target.classes());
        Model compiled = TribuoCompiler.compile(trained);
        return compiled != null ? compiled : trained;
    }

    /**
     * The Tribuo model a trainer's compiled model was compiled from, while it is in memory (for tests and
     * benchmarks that compare the two, and for Tribuo interop).
     *
     * @param compiled a model this class returned
     * @return the Tribuo model it was compiled from, or the model itself when it is one
     */
    public static Model tribuoSource(Model compiled) {
        if (compiled instanceof TribuoModel) {
            return compiled;
        }
        if (compiled instanceof org.mlops4j.core.model.compiled.TreeEnsemble t && t.source().isPresent()) {
            return t.source().get();
        }
        if (compiled instanceof org.mlops4j.core.model.compiled.LinearModel l && l.source().isPresent()) {
            return l.source().get();
        }
        throw new IllegalArgumentException("no Tribuo model behind " + compiled);
    }

    static double[][] columns(Dataset features) {
        double[][] cols = new double[features.columnCount()][];
        for (int c = 0; c < cols.length; c++) {
            cols[c] = ((NumericColumn) features.columns().get(c)).toArray();
        }
        return cols;
    }

    static double[] row(double[][] cols, int r) {
        double[] v = new double[cols.length];
        for (int c = 0; c < cols.length; c++) {
            v[c] = cols[c][r];
        }
        return v;
    }
}
