package org.mlops4j.benchmarks.compiled;

import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.internal.tribuo.TribuoFits;
import org.mlops4j.core.internal.tribuo.TribuoModel;
import org.mlops4j.core.model.ModelInputs;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.model.compiled.TreeEnsemble;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.FittedTransform;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.core.transform.Standardize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The house-price sample's model, as the benchmarks of compiled models use it: the sample's pipeline (drop B,
 * median imputation, standardization, a 100-tree forest, seed 42), its compiled forest, the Tribuo forest it
 * was compiled from, and every data row raw (as numbers and as maps) and ready (after the chain).
 */
final class HouseForest {
    final PipelineResult result;
    final Predictor predictor;
    final TreeEnsemble forest;
    final org.tribuo.Model<?> tribuo;
    final String[] featureNames;
    /** Every row after the chain, one array per row, in the model's feature order. */
    final double[][] ready;
    /** Every row before the chain, in the predictor's input order. */
    final double[][] raw;
    final List<Map<String, Object>> maps;

    HouseForest() {
        Path csv = copy();
        result = Pipeline.from(Csv.file(csv).skipLines(1)).label("MEDV").drop("B")
                .transform(Impute.median(), Standardize.all())
                .split(Split.trainTest(0.8).seed(42))
                .train(RandomForest.regression().trees(100).seed(42))
                .run();
        predictor = result.predictor();
        forest = (TreeEnsemble) predictor.model();
        tribuo = ((TribuoModel) TribuoFits.tribuoSource(forest)).tribuoModel();
        featureNames = forest.signature().features().toArray(new String[0]);
        Dataset data = Csv.file(csv).skipLines(1).load();
        Dataset inputs = data.select(predictor.inputSchema().names());
        Dataset readyData = ModelInputs.align(FittedTransform.applyAll(result.transforms(), inputs), forest.signature().features());
        ready = rows(readyData);
        raw = rows(inputs);
        maps = new java.util.ArrayList<>();
        for (double[] r : raw) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 0; c < r.length; c++) {
                m.put(inputs.schema().names().get(c), r[c]);
            }
            maps.add(m);
        }
    }

    static double[][] rows(Dataset d) {
        double[][] out = new double[d.rowCount()][d.columnCount()];
        for (int c = 0; c < d.columnCount(); c++) {
            NumericColumn col = (NumericColumn) d.columns().get(c);
            for (int r = 0; r < d.rowCount(); r++) {
                out[r][c] = col.get(r);
            }
        }
        return out;
    }

    /** {@code count} ready rows, row-major, cycling through the data. */
    double[] readyRowMajor(int count) {
        int w = featureNames.length;
        double[] out = new double[count * w];
        for (int r = 0; r < count; r++) {
            System.arraycopy(ready[r % ready.length], 0, out, r * w, w);
        }
        return out;
    }

    private static Path copy() {
        try (InputStream in = HouseForest.class.getResourceAsStream("/data/boston_house_prices.csv")) {
            Path p = Files.createTempFile("boston_house_prices-", ".csv");
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
