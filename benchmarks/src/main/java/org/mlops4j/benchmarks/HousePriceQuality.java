package org.mlops4j.benchmarks;

import org.mlops4j.core.Pipeline;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.evaluate.CrossValidation;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Standardize;

import java.util.Locale;

/**
 * Model quality on the house-price data, for comparison with scikit-learn
 * ({@code benchmarks/baseline/sklearn_house_prices.py} runs the same protocol): 5-fold shuffled
 * cross-validation RMSE of a 100-tree random forest, median imputation and standardization fitted per
 * fold, column B dropped, for seeds 0 to 4 (folds and forest).
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.mlops4j.benchmarks.HousePriceQuality}
 */
public final class HousePriceQuality {
    private HousePriceQuality() {
    }

    public static void main(String[] args) {
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double sum = 0;
        double[] means = new double[seeds];
        for (int seed = 0; seed < seeds; seed++) {
            long start = System.nanoTime();
            CrossValidation cv = Pipeline.from(Csv.file(BenchmarkData.boston()).skipLines(1))
                    .label("MEDV").drop("B")
                    .transform(Impute.median(), Standardize.all())
                    .train(RandomForest.regression().trees(100).seed(seed))
                    .crossValidate(Split.kFold(5).seed(seed))
                    .run().crossValidation().orElseThrow();
            double seconds = (System.nanoTime() - start) / 1e9;
            means[seed] = cv.mean("rmse");
            sum += means[seed];
            System.out.printf(Locale.ROOT, "seed %d: cv_rmse %.4f ± %.4f  (%.2f s for the whole pipeline: 6 fits)%n",
                    seed, cv.mean("rmse"), cv.std("rmse"), seconds);
        }
        double mean = sum / seeds;
        double var = 0;
        for (double m : means) {
            var += (m - mean) * (m - mean);
        }
        System.out.printf(Locale.ROOT, "mean over seeds: %.4f  (spread of the seed means %.4f)%n", mean, Math.sqrt(var / seeds));
    }
}
