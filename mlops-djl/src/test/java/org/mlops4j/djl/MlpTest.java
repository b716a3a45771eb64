package org.mlops4j.djl;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MlpTest {

    @Test
    void digitsTrainTrackRegisterLoadPredict() {
        Tracker tracker = Tracker.inMemory();
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult r = Pipeline.from(Digits.csv()).label("digit")
                .train(Mlp.classification().hiddenLayers(1).width(64).epochs(40).patience(5).seed(7))
                .track(tracker, "digits").register(registry, "digits-mlp", "champion").run();
        double accuracy = r.holdout().get("accuracy");
        assertThat(accuracy).isGreaterThan(0.94);
        String run = r.runId().orElseThrow();
        List<Metric> train = tracker.metricHistory(run, "train_loss");
        List<Metric> validation = tracker.metricHistory(run, "validation_loss");
        assertThat(train).hasSizeGreaterThan(3);
        assertThat(validation).hasSameSizeAs(train);
        assertThat(train.get(train.size() - 1).value()).isLessThan(train.get(0).value());
        assertThat(r.bundle().manifest().flavor()).isEqualTo("djl");
        assertThat(r.bundle().files()).containsKeys("mlp.json", "mlp.params");

        Predictor p = registry.predictor("digits-mlp@champion");
        Dataset data = Digits.load();
        Dataset test = r.testSet();
        List<Prediction> again = p.predict(test);
        List<Prediction> before = r.testPredictions();
        for (int i = 0; i < before.size(); i++) {
            assertThat(again.get(i).label()).isEqualTo(before.get(i).label());
            assertThat(again.get(i).value()).isCloseTo(before.get(i).value(), org.assertj.core.data.Offset.offset(1e-6));
        }
        Map<String, Object> row = new HashMap<>();
        for (int c = 0; c < 64; c++) {
            row.put("p" + c, data.numeric("p" + c).get(0));
        }
        assertThat(p.predict(row).label()).isEqualTo(data.column("digit").valueAt(0).toString());
    }

    @Test
    void sameSeedSameModelOtherSeedOther() {
        Dataset data = Digits.load().rows(range(600));
        TrainingSet set = new TrainingSet(data.drop("digit"), Target.of(data, "digit", Task.CLASSIFICATION));
        Mlp mlp = Mlp.classification().hiddenLayers(1).width(32).epochs(5).seed(3);
        MlpNetwork a = ((MlpModel) mlp.fit(set, TrainContext.defaults())).network();
        MlpNetwork b = ((MlpModel) mlp.fit(set, TrainContext.defaults())).network();
        MlpNetwork c = ((MlpModel) mlp.seed(4).fit(set, TrainContext.defaults())).network();
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void regressionLearnsASmoothFunctionAndStopsEarly() {
        int n = 400;
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] y = new double[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            x1[i] = rnd.nextDouble(-2, 2);
            x2[i] = rnd.nextDouble(-2, 2) * 100;
            y[i] = 50 + 10 * Math.sin(x1[i]) + 0.05 * x2[i];
        }
        Dataset d = Dataset.builder("synthetic").numeric("x1", x1).numeric("x2", x2).build();
        List<double[]> losses = new ArrayList<>();
        TrainContext ctx = TrainContext.defaults().withReporter((m, v, s) -> losses.add(new double[] {m.equals("validation_loss") ? 1 : 0, v, s}));
        MlpModel m = (MlpModel) Mlp.regression().width(32).epochs(300).patience(3).learningRate(1e-2)
                .fit(new TrainingSet(d, Target.numeric("y", y)), ctx);
        List<Prediction> p = m.predict(d);
        double se = 0;
        for (int i = 0; i < n; i++) {
            se += Math.pow(p.get(i).value() - y[i], 2);
        }
        assertThat(Math.sqrt(se / n)).isLessThan(1.5);
        long epochs = losses.stream().filter(l -> l[0] == 1).count();
        assertThat(epochs).isLessThan(300);
    }

    @Test
    void badHyperparametersAndWrongTaskAreRefused() {
        assertThatThrownBy(() -> Mlp.classification().width(0)).hasMessageContaining("width must be 1 to 65536 but was 0");
        assertThatThrownBy(() -> Mlp.classification().learningRate(-1)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> Mlp.classification().validationFraction(0.9)).hasMessageContaining("validationFraction");
        Dataset d = Dataset.builder("s").numeric("x", 1, 2, 3).build();
        assertThatThrownBy(() -> Mlp.classification().fit(new TrainingSet(d, Target.numeric("y", 1, 2, 3)), TrainContext.defaults()))
                .hasMessageContaining("mlp classification cannot learn a regression target");
    }

    @Test
    void theRecipeRecordsTheMlpAndTheSteps() {
        PipelineResult r = Pipeline.from(Digits.csv()).label("digit")
                .train(Mlp.classification().hiddenLayers(1).width(16).epochs(2).seed(9))
                .then(Quantize.fp16().registerAs("digits-fp16")).then(new OnnxExport("digits-onnx", 1e-5)).run();
        org.mlops4j.core.pipeline.PipelineSpec spec = org.mlops4j.core.pipeline.PipelineSpec.read(r.bundle().files().get("pipeline.json"));
        assertThat(spec.trainer()).isEqualTo(Mlp.classification().hiddenLayers(1).width(16).epochs(2).seed(9));
        assertThat(spec.steps()).containsExactly(Quantize.fp16().registerAs("digits-fp16"), new OnnxExport("digits-onnx", 1e-5));
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
