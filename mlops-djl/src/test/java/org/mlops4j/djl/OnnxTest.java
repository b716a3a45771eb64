package org.mlops4j.djl;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.Linear;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;
import org.mlops4j.core.transform.Standardize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnnxTest {
    private static Dataset digits;
    private static TrainingSet digitsSet;
    private static MlpModel mlp;
    private static List<String> pixels;
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @BeforeAll
    static void train() {
        digits = Digits.load();
        pixels = digits.drop("digit").schema().names();
        Dataset part = digits.rows(MlpTest.range(800));
        digitsSet = new TrainingSet(part.drop("digit"), Target.of(part, "digit", Task.CLASSIFICATION));
        mlp = (MlpModel) Mlp.classification().hiddenLayers(2).width(32).activation(Mlp.Activation.GELU).epochs(8).seed(1)
                .fit(digitsSet, TrainContext.defaults());
    }

    static Dataset boston() {
        Path p = Digits.file().resolveSibling("boston_house_prices.csv");
        return Csv.file(p).skipLines(1).load().drop("B");
    }

    @Test
    void theMlpExportsToOnnxAndPredictsLikeDjl() {
        OnnxModel onnx = Onnx.export(mlp);
        Dataset x = digits.drop("digit");
        assertThat(Onnx.maxDifference(mlp, onnx, x)).isLessThan(1e-5);
        List<Prediction> a = mlp.predict(x);
        List<Prediction> b = onnx.predict(x);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).label()).isEqualTo(a.get(i).label());
        }
    }

    @Test
    void onnxTwinGoesThroughTrackRegisterLoadPredict() {
        Tracker tracker = Tracker.inMemory();
        ModelRegistry registry = ModelRegistry.inMemory();
        PipelineResult r = Pipeline.from(Digits.csv()).label("digit")
                .train(Mlp.classification().hiddenLayers(1).width(32).epochs(10).seed(3))
                .then(new OnnxExport("digits-onnx", 1e-5))
                .track(tracker, "onnx").register(registry, "digits-mlp").run();
        assertThat(registry.version("digits-onnx").lineage().parent()).isEqualTo("digits-mlp/1");
        ModelBundle b = registry.load("digits-onnx");
        assertThat(b.manifest().flavor()).isEqualTo("onnx");
        assertThat(b.files()).containsKeys("model.onnx", "onnx.json");
        Predictor onnx = registry.predictor("digits-onnx");
        Predictor djl = registry.predictor("digits-mlp");
        Dataset test = r.testSet();
        List<Prediction> po = onnx.predict(test);
        List<Prediction> pd = djl.predict(test);
        for (int i = 0; i < po.size(); i++) {
            assertThat(po.get(i).label()).isEqualTo(pd.get(i).label());
        }
        assertThat(tracker.run(r.runId().orElseThrow()).orElseThrow().metrics().get("onnx_max_difference").value()).isLessThan(1e-5);
    }

    @Test
    void forestsExportAsTreeEnsemblesWithinOneMillionth() {
        Dataset boston = boston();
        TrainingSet reg = new TrainingSet(boston.drop("MEDV"), Target.of(boston, "MEDV", Task.REGRESSION));
        for (Model m : List.of(RandomForest.regression().trees(30).seed(5).fit(reg, TrainContext.defaults()),
                DecisionTree.regression().fit(reg, TrainContext.defaults()))) {
            OnnxModel onnx = Onnx.export(m);
            assertThat(onnx.session().getInputNames()).containsExactly("input");
            assertThat(Onnx.maxDifference(m, onnx, boston.drop("MEDV"))).isLessThan(1e-5);
        }
        Dataset part = digits.rows(MlpTest.range(600));
        TrainingSet cls = new TrainingSet(part.drop("digit"), Target.of(part, "digit", Task.CLASSIFICATION));
        for (Model m : List.of(RandomForest.classification().trees(25).seed(5).fit(cls, TrainContext.defaults()),
                DecisionTree.classification().fit(cls, TrainContext.defaults()))) {
            OnnxModel onnx = Onnx.export(m);
            Dataset x = digits.drop("digit");
            assertThat(Onnx.maxDifference(m, onnx, x)).isLessThan(1e-5);
            List<Prediction> a = m.predict(x);
            List<Prediction> b = onnx.predict(x);
            int same = 0;
            for (int i = 0; i < a.size(); i++) {
                same += a.get(i).label().equals(b.get(i).label()) ? 1 : 0;
            }
            // labels agree except where two classes tie on votes
            assertThat(same).isGreaterThan(a.size() * 99 / 100);
        }
    }

    @Test
    void tribuoLinearModelsExportThroughTribuoWithinOneMillionth() {
        Dataset boston = boston();
        Dataset ready = Standardize.all().fit(boston.drop("MEDV")).apply(boston.drop("MEDV"));
        Model reg = Linear.regression().epochs(20).fit(new TrainingSet(ready, Target.of(boston, "MEDV", Task.REGRESSION)),
                TrainContext.defaults());
        OnnxModel onnx = Onnx.export(reg);
        assertThat(Onnx.maxDifference(reg, onnx, ready)).isLessThan(1e-4);
        Model cls = Linear.classification().epochs(5).fit(digitsSet, TrainContext.defaults());
        OnnxModel onnxCls = Onnx.export(cls);
        assertThat(Onnx.maxDifference(cls, onnxCls, digits.drop("digit"))).isLessThan(1e-5);
    }

    @Test
    void anOnnxFileMadeElsewhereIsImportedCheckedRegisteredAndServed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("digits.onnx");
        Files.write(file, Onnx.export(mlp).bytes());
        OnnxModel imported = Onnx.importer(file).classification(DIGITS).features(pixels)
                .sample(digits.rows(MlpTest.range(50))).build();
        assertThat(imported.spec().outputKind()).isEqualTo(OnnxModel.OutputKind.PROBABILITIES);
        ModelRegistry registry = ModelRegistry.inMemory();
        registry.register("digits-imported", Onnx.bundle(imported, digits, "digit"), List.of("champion"), Map.of());
        Predictor p = registry.predictor("digits-imported@champion");
        Map<String, Object> row = new HashMap<>();
        for (String c : pixels) {
            row.put(c, digits.numeric(c).get(5));
        }
        assertThat(p.predict(row).label()).isEqualTo(mlp.predict(digits.drop("digit").rows(new int[] {5})).get(0).label());
    }

    @Test
    void anImportRefusesAClassListedTwiceNamingIt(@TempDir Path dir) {
        Path file = dir.resolve("any.onnx");
        assertThatThrownBy(() -> Onnx.importer(file).classification(List.of("cat", "dog", "cat")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("class 'cat' is listed twice in [cat, dog, cat]; each output column of the graph is one distinct class");
        assertThatThrownBy(() -> Onnx.importer(file).classification(List.of("cat")))
                .hasMessageContaining("classification needs at least 2 distinct classes but was [cat]");
        // the signature every flavor builds refuses it too, whatever path a list of classes takes
        assertThatThrownBy(() -> new ModelSignature(Task.CLASSIFICATION, pixels, List.of("0", "1", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class '0' is listed twice");
    }

    @Test
    void badFilesWrongWidthsAndOutsideDataAreRefused(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThatThrownBy(() -> Onnx.importer(junk).classification(DIGITS).features(pixels).sample(digits).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("junk.onnx is not an ONNX model");
        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> Onnx.importer(empty).classification(DIGITS).features(pixels).sample(digits).build())
                .hasMessageContaining("empty.onnx is not an ONNX model").hasMessageContaining("the file is empty");
        assertThatThrownBy(() -> Onnx.importer(dir.resolve("missing.onnx")).regression().features(pixels).sample(digits).build())
                .hasMessageContaining("missing.onnx does not exist");

        Path file = dir.resolve("digits.onnx");
        Files.write(file, Onnx.export(mlp).bytes());
        assertThatThrownBy(() -> Onnx.importer(file).classification(DIGITS).features(pixels.subList(0, 10)).sample(digits).build())
                .hasMessageContaining("takes 64 values per row but 10 features were given");
        assertThatThrownBy(() -> Onnx.importer(file).classification(DIGITS.subList(0, 5)).features(pixels).sample(digits).build())
                .hasMessageContaining("expected [");

        // external data: beside the file it is taken in, anywhere else it is refused
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(file));
        ModelProto.Builder b = m.toBuilder();
        TensorProto w1 = m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("layer1.weight")).findFirst().orElseThrow();
        int index = m.getGraph().getInitializerList().indexOf(w1);
        Files.write(dir.resolve("weights.bin"), w1.getRawData().toByteArray());
        b.getGraphBuilder().setInitializer(index, external(w1, "weights.bin"));
        Path beside = dir.resolve("beside.onnx");
        Files.write(beside, b.build().toByteArray());
        OnnxModel ok = Onnx.importer(beside).classification(DIGITS).features(pixels).sample(digits.rows(MlpTest.range(20))).build();
        assertThat(Onnx.maxDifference(mlp, ok, digits.drop("digit"))).isLessThan(1e-5);

        Path sub = Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("outside.bin"), w1.getRawData().toByteArray());
        b.getGraphBuilder().setInitializer(index, external(w1, "../outside.bin"));
        Path escaping = sub.resolve("escaping.onnx");
        Files.write(escaping, b.build().toByteArray());
        assertThatThrownBy(() -> Onnx.importer(escaping).classification(DIGITS).features(pixels).sample(digits).build())
                .hasMessageContaining("tensor 'layer1.weight' keeps its data in '../outside.bin', outside the model's directory");
        b.getGraphBuilder().setInitializer(index, external(w1, "/etc/passwd"));
        Files.write(escaping, b.build().toByteArray());
        assertThatThrownBy(() -> Onnx.importer(escaping).classification(DIGITS).features(pixels).sample(digits).build())
                .hasMessageContaining("outside the model's directory");

        // a bundle whose graph points at a file the bundle does not hold never loads
        Map<String, byte[]> files = new HashMap<>(new OnnxFlavor().write(ok));
        b.getGraphBuilder().setInitializer(index, external(w1, "../../weights.bin"));
        files.put("model.onnx", b.build().toByteArray());
        assertThatThrownBy(() -> new OnnxFlavor().read(files, ok.signature(), "bundle x"))
                .isInstanceOf(BundleIntegrityException.class).hasMessageContaining("which is not a file of this bundle");
    }

    private static TensorProto external(TensorProto t, String location) {
        return t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Integer.toString(t.getRawData().size())))
                .build();
    }

    @Test
    void wrongWidthAtPredictionIsAClearError() {
        ModelRegistry registry = ModelRegistry.inMemory();
        registry.register("m", Onnx.bundle(Onnx.export(mlp), digits, "digit"));
        Map<String, Object> row = new HashMap<>();
        row.put("p0", 1.0);
        assertThatThrownBy(() -> registry.predictor("m").predict(row)).hasMessageContaining("p1");
        List<String> none = new ArrayList<>();
        assertThat(none).isEmpty();
    }
}
