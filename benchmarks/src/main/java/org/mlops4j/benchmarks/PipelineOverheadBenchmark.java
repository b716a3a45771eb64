package org.mlops4j.benchmarks;

import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Standardize;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.evaluation.TrainTestSplitter;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.evaluation.RegressionEvaluator;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the lifecycle costs on top of training. The whole mlops4j pipeline (read and parse the CSV, version
 * and profile it, fit and apply transforms, train, evaluate on the holdout, track the run in memory,
 * build, checksum and register the bundle) against bare Tribuo on the same split with the same
 * hyperparameters:
 * <ul>
 *   <li>{@code tribuoTrainEvaluate}: build Tribuo examples from arrays already in memory, train, predict
 *       the holdout, RMSE — the least a Tribuo user does, so the strictest baseline;</li>
 *   <li>{@code tribuoTrainEvaluateSave}: the same, plus {@code model.serializeToFile} — the untracked
 *       model file of the traditional workflow;</li>
 *   <li>{@code tribuoLoadTrainEvaluate}: Tribuo's own CSVLoader on the same file (without the count line),
 *       its splitter and evaluator.</li>
 * </ul>
 * With 5-fold cross-validation: {@code mlops4jPipelineWithCv} (folds run concurrently, model serialization
 * overlaps them) against {@code tribuoTrainEvaluateWithCv} (the same six trainings one after another).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar PipelineOverhead -rf json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xmx2g"})
public class PipelineOverheadBenchmark {

    /** Number of trees; 100 is the sample's (and scikit-learn's default) forest. */
    @Param({"100"})
    public int trees;

    private Path csv;
    private Path tribuoCsv;
    private String[] featureNames;
    private double[][] trainX;
    private double[] trainY;
    private double[][] testX;
    private double[] testY;
    private double[][] allX;
    private double[] allY;
    private List<Split.Fold> cvFolds;
    private java.util.logging.Logger quietBagging;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        quietBagging = java.util.logging.Logger.getLogger("org.tribuo.ensemble.BaggingTrainer");
        quietBagging.setLevel(java.util.logging.Level.WARNING); // one INFO line per tree otherwise, in both arms
        csv = BenchmarkData.boston();
        // Tribuo's CSVLoader reads line 1 as the header: give it the file without scikit-learn's count line.
        List<String> lines = Files.readAllLines(csv);
        tribuoCsv = Files.createTempFile("boston-", ".csv");
        Files.write(tribuoCsv, lines.subList(1, lines.size()));
        tribuoCsv.toFile().deleteOnExit();

        // The same rows, split and (standardized) features as the pipeline's.
        Dataset data = Csv.file(csv).skipLines(1).load();
        Split.Fold fold = Split.trainTest(0.8).seed(42).folds(data.rowCount(), null).get(0);
        Dataset features = data.drop("B", "MEDV");
        var fitted = Standardize.all().fit(features.rows(fold.train()));
        Dataset train = fitted.apply(features.rows(fold.train()));
        Dataset test = fitted.apply(features.rows(fold.test()));
        featureNames = train.schema().names().toArray(new String[0]);
        trainX = rows(train);
        testX = rows(test);
        trainY = data.rows(fold.train()).numeric("MEDV").toArray();
        testY = data.rows(fold.test()).numeric("MEDV").toArray();
        // Cross-validation baseline: Standardize does not change what a tree learns, so raw features are fine.
        allX = rows(features);
        allY = data.numeric("MEDV").toArray();
        cvFolds = Split.kFold(5).folds(data.rowCount(), null);
    }

    private static double[][] rows(Dataset d) {
        double[][] out = new double[d.rowCount()][d.columnCount()];
        for (int c = 0; c < d.columnCount(); c++) {
            NumericColumn col = (NumericColumn) d.columns().get(c);
            for (int r = 0; r < d.rowCount(); r++) {
                out[r][c] = col.get(r);
            }
        }
        return out;
    }

    private BaggingTrainer<Regressor> trainer() {
        CARTRegressionTrainer tree = new CARTRegressionTrainer(Integer.MAX_VALUE, 1f, 0f, 1f, false, new MeanSquaredError(), 42L);
        return new BaggingTrainer<>(tree, new AveragingCombiner(), trees, 42L);
    }

    private Tracker tracker;
    private ModelRegistry registry;

    /** A fresh tracker (its writer thread started) and registry per call, as for a fresh process; not timed. */
    @Setup(Level.Invocation)
    public void freshStores() {
        tracker = Tracker.inMemory();
        registry = ModelRegistry.inMemory();
    }

    @TearDown(Level.Invocation)
    public void closeStores() {
        tracker.close();
    }

    /** The sample's pipeline. */
    private Pipeline housePrices() {
        return Pipeline.from(Csv.file(csv).skipLines(1))
                .label("MEDV")
                .drop("B")
                .transform(Impute.median(), Standardize.all())
                .split(Split.trainTest(0.8).seed(42))
                .train(RandomForest.regression().trees(trees).seed(42))
                .evaluate(Metrics.regression())
                .track(tracker, "house-prices")
                .register(registry, "house-prices", "champion");
    }

    @Benchmark
    public PipelineResult mlops4jPipeline() {
        return housePrices().run();
    }

    @Benchmark
    public double tribuoTrainEvaluate() {
        return rmse(trainer().train(trainingSet(trainX, trainY)), testX, testY);
    }

    @Benchmark
    public long tribuoTrainEvaluateSave() throws IOException {
        Model<Regressor> model = trainer().train(trainingSet(trainX, trainY));
        double rmse = rmse(model, testX, testY);
        Path file = Files.createTempFile("model-", ".tribuo");
        try {
            model.serializeToFile(file);
            return Files.size(file) + (long) rmse;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
    public PipelineResult mlops4jPipelineWithCv() {
        return housePrices().crossValidate(5).run();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
    public double tribuoTrainEvaluateWithCv() {
        double sum = rmse(trainer().train(trainingSet(trainX, trainY)), testX, testY);
        for (Split.Fold f : cvFolds) {
            sum += rmse(trainer().train(trainingSet(select(allX, f.train()), select(allY, f.train()))),
                    select(allX, f.test()), select(allY, f.test()));
        }
        return sum;
    }

    private MutableDataset<Regressor> trainingSet(double[][] x, double[] y) {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> train = new MutableDataset<>(
                new SimpleDataSourceProvenance("boston", OffsetDateTime.now(), factory), factory);
        for (int r = 0; r < x.length; r++) {
            train.add(new ArrayExample<>(new Regressor("MEDV", y[r]), featureNames, x[r]));
        }
        return train;
    }

    private double rmse(Model<Regressor> model, double[][] x, double[] y) {
        double sse = 0;
        for (int r = 0; r < x.length; r++) {
            Prediction<Regressor> p = model.predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, featureNames, x[r]));
            double e = p.getOutput().getValues()[0] - y[r];
            sse += e * e;
        }
        return Math.sqrt(sse / x.length);
    }

    private static double[][] select(double[][] x, int[] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = x[rows[i]];
        }
        return out;
    }

    private static double[] select(double[] y, int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }

    @Benchmark
    public double tribuoLoadTrainEvaluate() throws IOException {
        RegressionFactory factory = new RegressionFactory();
        CSVLoader<Regressor> loader = new CSVLoader<>(factory);
        var source = loader.loadDataSource(tribuoCsv, "MEDV");
        TrainTestSplitter<Regressor> splitter = new TrainTestSplitter<>(source, 0.8, 42L);
        MutableDataset<Regressor> train = new MutableDataset<>(splitter.getTrain());
        MutableDataset<Regressor> test = new MutableDataset<>(splitter.getTest());
        Model<Regressor> model = trainer().train(train);
        return new RegressionEvaluator().evaluate(model, test).rmse().values().iterator().next();
    }
}
