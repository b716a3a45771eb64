package org.mlops4j.benchmarks.serving;

import org.mlops4j.benchmarks.BenchmarkData;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Standardize;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The served model of the serving benchmarks: the house-price random forest with 100 trees (Impute, Standardize,
 * seed 42), as the sample trains it. {@code main(dir)} saves it as {@code dir/house-prices/1} with
 * {@code champion=1}, the bundle directory {@code mlops serve --store dir:DIR} reads.
 *
 * <pre>{@code
 * PipelineResult forest = ServingModel.train();
 * ServingModel.save(forest.bundle(), Path.of("/tmp/served"));   // then: mlops serve --store dir:/tmp/served
 * }</pre>
 */
public final class ServingModel {
    private ServingModel() {
    }

    /** @return the trained 100-tree forest */
    public static PipelineResult train() {
        return Pipeline.from(Csv.file(BenchmarkData.boston()).skipLines(1)).label("MEDV").drop("B")
                .transform(Impute.median(), Standardize.all())
                .train(RandomForest.regression().trees(100).seed(42)).run();
    }

    /** @param bundle the bundle @param dir where to save it as a bundle directory store */
    public static void save(ModelBundle bundle, Path dir) throws java.io.IOException {
        bundle.save(dir.resolve("house-prices/1"));
        Files.writeString(dir.resolve("house-prices/aliases.properties"), "champion=1\n");
    }

    /** @param args the directory to write */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/target/serving-store");
        save(train().bundle(), dir);
        System.out.println("saved house-prices/1 (100 trees) under " + dir.toAbsolutePath());
    }
}
