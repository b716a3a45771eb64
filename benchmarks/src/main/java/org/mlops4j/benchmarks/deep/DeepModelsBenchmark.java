package org.mlops4j.benchmarks.deep;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;
import org.mlops4j.djl.Mlp;
import org.mlops4j.djl.MlpModel;
import org.mlops4j.djl.MlpNetwork;
import org.mlops4j.djl.Onnx;
import org.mlops4j.djl.OnnxModel;
import org.mlops4j.djl.Quantize;
import org.mlops4j.djl.QuantizedDenseModel;
import org.mlops4j.quant.DenseNetwork;
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

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Latency of the digits MLP (64 → 256 → 10, ReLU, softmax) through the mlops4j predictor (raw rows as maps
 * → preprocessing → model) for each flavor — {@code djl} (PyTorch), {@code onnx} (ONNX Runtime) and
 * {@code quantized-dense} (mlops-quant: fp32, fp16, int8, int8 with dynamic activations) — against each
 * engine called directly on ready float arrays: DJL's own {@code Predictor} with a translator, an ONNX
 * Runtime session, mlops-quant's {@code DenseNetwork}. Also the model layer alone ({@code Model.predict} on
 * a ready {@code Dataset}), the predictor's primitive entry point ({@code predictBatch(double[])}, one
 * {@code Prediction} per row) and its array entry point ({@code predictClasses(double[], double[])}, class
 * indexes and scores into the caller's arrays). One thread; ONNX Runtime with one intra-op thread; PyTorch with its default
 * threads. Batch 1 and 64 rows.
 *
 * <p>Run: {@code benchmarks/run-deep.sh -f 1 -wi 3 -i 5 -p batch=1} (from the class path: the PyTorch natives are not in
 * the shaded jar)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
public class DeepModelsBenchmark {

    /** Rows per call. */
    @Param({"1", "64"})
    public int batch;

    private MlpModel mlp;
    private OnnxModel onnx;
    private final Map<String, QuantizedDenseModel> dense = new HashMap<>();
    private final Map<String, org.mlops4j.core.model.Predictor> predictors = new HashMap<>();
    private Predictor<float[], float[]> djlPredictor;
    /** An {@code OrtSession}, typed loosely so that JMH can read this class when ONNX Runtime is absent. */
    private AutoCloseable session;
    private final Map<String, DenseNetwork.Workspace> workspaces = new HashMap<>();
    private List<Map<String, Object>> rows;
    private double[] flat;
    private Dataset ready;
    private float[] standardized;
    private float[] out;
    private double[] scores;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        requireNatives();
        String[] names = new String[65];
        for (int i = 0; i < 64; i++) {
            names[i] = "p" + i;
        }
        names[64] = "digit";
        Path file = Path.of(System.getProperty("digits", "samples/data/digits.csv.gz"));
        Dataset digits = Csv.file(file).header(false).columnNames(names).categorical("digit").load();
        Dataset x = digits.drop("digit");
        mlp = (MlpModel) Mlp.classification().hiddenLayers(1).width(256).epochs(10).validationFraction(0).seed(42)
                .fit(new TrainingSet(x, Target.of(digits, "digit", Task.CLASSIFICATION)), TrainContext.defaults());
        onnx = Onnx.export(mlp);
        ModelRegistry registry = ModelRegistry.inMemory();
        register(registry, "djl", mlp, digits);
        register(registry, "onnx", onnx, digits);
        for (Quantize.Scheme s : Quantize.Scheme.values()) {
            QuantizedDenseModel q = QuantizedDenseModel.of(mlp.network(), s, null);
            dense.put(s.label(), q);
            register(registry, s.label(), q, digits);
            workspaces.put(s.label(), q.dense().newWorkspace(64));
        }
        for (String name : registry.models()) {
            predictors.put(name, registry.predictor(name));
        }
        rows = new ArrayList<>();
        int[] idx = new int[batch];
        for (int r = 0; r < batch; r++) {
            idx[r] = (r * 37) % digits.rowCount();
            Map<String, Object> row = new HashMap<>();
            for (int c = 0; c < 64; c++) {
                row.put("p" + c, x.numeric("p" + c).get(idx[r]));
            }
            rows.add(row);
        }
        ready = x.rows(idx);
        flat = new double[batch * 64];
        for (int r = 0; r < batch; r++) {
            for (int c = 0; c < 64; c++) {
                flat[r * 64 + c] = x.numeric("p" + c).get(idx[r]);
            }
        }
        MlpNetwork n = mlp.network();
        standardized = new float[batch * 64];
        for (int r = 0; r < batch; r++) {
            for (int c = 0; c < 64; c++) {
                standardized[r * 64 + c] = (float) x.numeric("p" + c).get(idx[r]);
            }
        }
        n.standardize(standardized);
        out = new float[batch * 10];
        scores = new double[batch * 10];
        ai.djl.Model djl = ai.djl.Model.newInstance("bench", "PyTorch");
        djl.setBlock(mlp.block());
        djlPredictor = djl.newPredictor(new FloatsTranslator());
        session = onnx.session();
        // the raw ORT session is fed unstandardized floats (the graph standardizes itself)
        rawOnnx = new float[batch * 64];
        for (int r = 0; r < batch; r++) {
            for (int c = 0; c < 64; c++) {
                rawOnnx[r * 64 + c] = (float) x.numeric("p" + c).get(idx[r]);
            }
        }
    }

    private float[] rawOnnx;

    /**
     * benchmarks.jar leaves out ONNX Runtime and PyTorch's natives (about 450 MB); say how to run this instead of
     * failing on a missing class or an offline download.
     */
    private static void requireNatives() {
        ClassLoader loader = DeepModelsBenchmark.class.getClassLoader();
        boolean ort = loader.getResource("ai/onnxruntime/OrtSession.class") != null;
        boolean torch = loader.getResource("pytorch/cpu/") != null;  // the natives jar's directory, any platform
        if (!ort || !torch) {
            throw new IllegalStateException("DeepModelsBenchmark needs ONNX Runtime and PyTorch's natives on the class path,"
                    + " which benchmarks.jar leaves out (missing: " + (ort ? "" : "com.microsoft.onnxruntime:onnxruntime ")
                    + (torch ? "" : "ai.djl.pytorch:pytorch-native-cpu") + "); run it with benchmarks/run-deep.sh"
                    + " (e.g. DEEP_BENCH='DeepModelsBenchmark.classes.*' benchmarks/run-deep.sh -f 1)");
        }
    }

    private static void register(ModelRegistry registry, String name, Model model, Dataset digits) {
        ModelBundle b = Onnx.bundle(model, digits, "digit");
        registry.register(name, b);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (djlPredictor != null) {
            djlPredictor.close();
        }
    }

    /** Batch of standardized rows in, logits out, as a DJL user writes it. */
    static final class FloatsTranslator implements Translator<float[], float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, float[] input) {
            NDManager m = ctx.getNDManager();
            return new NDList(m.create(input, new Shape(input.length / 64, 64)));
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.singletonOrThrow().softmax(1).toFloatArray();
        }

        @Override
        public Batchifier getBatchifier() {
            return null;
        }
    }

    // ---- engines called directly ----

    @Benchmark
    public float[] engineDjlPredictor() throws Exception {
        return djlPredictor.predict(standardized);
    }

    @Benchmark
    public float engineOrtSession() throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(rawOnnx), new long[] {batch, 64});
             OrtSession.Result r = ((OrtSession) session).run(Map.of("input", t))) {
            float[][] p = (float[][]) r.get(0).getValue();
            return p[0][0];
        }
    }

    private float[] dense(String scheme) {
        dense.get(scheme).dense().predict(standardized, batch, out, workspaces.get(scheme));
        return out;
    }

    @Benchmark
    public float[] engineDenseFp32() {
        return dense("fp32");
    }

    @Benchmark
    public float[] engineDenseFp16() {
        return dense("fp16");
    }

    @Benchmark
    public float[] engineDenseInt8() {
        return dense("int8");
    }

    @Benchmark
    public float[] engineDenseInt8Dynamic() {
        return dense("int8_dynamic");
    }

    // ---- the model layer: Model.predict on ready features ----

    @Benchmark
    public List<Prediction> modelDjl() {
        return mlp.predict(ready);
    }

    @Benchmark
    public List<Prediction> modelOnnx() {
        return onnx.predict(ready);
    }

    @Benchmark
    public List<Prediction> modelInt8() {
        return dense.get("int8").predict(ready);
    }

    // ---- the mlops4j predictor: raw rows as maps ----

    @Benchmark
    public List<Prediction> predictorDjl() {
        return predictors.get("djl").predict(rows);
    }

    @Benchmark
    public List<Prediction> predictorOnnx() {
        return predictors.get("onnx").predict(rows);
    }

    @Benchmark
    public List<Prediction> predictorFp32() {
        return predictors.get("fp32").predict(rows);
    }

    @Benchmark
    public List<Prediction> predictorFp16() {
        return predictors.get("fp16").predict(rows);
    }

    @Benchmark
    public List<Prediction> predictorInt8() {
        return predictors.get("int8").predict(rows);
    }

    @Benchmark
    public List<Prediction> predictorInt8Dynamic() {
        return predictors.get("int8_dynamic").predict(rows);
    }

    // ---- the mlops4j predictor's primitive entry point: row-major doubles ----

    @Benchmark
    public List<Prediction> primitiveDjl() {
        return predictors.get("djl").predictBatch(flat);
    }

    @Benchmark
    public List<Prediction> primitiveOnnx() {
        return predictors.get("onnx").predictBatch(flat);
    }

    @Benchmark
    public List<Prediction> primitiveFp32() {
        return predictors.get("fp32").predictBatch(flat);
    }

    @Benchmark
    public List<Prediction> primitiveFp16() {
        return predictors.get("fp16").predictBatch(flat);
    }

    @Benchmark
    public List<Prediction> primitiveInt8() {
        return predictors.get("int8").predictBatch(flat);
    }

    @Benchmark
    public List<Prediction> primitiveInt8Dynamic() {
        return predictors.get("int8_dynamic").predictBatch(flat);
    }

    // ---- the predictor's array entry point: row-major doubles in, class indexes and scores into the caller's array ----

    @Benchmark
    public int[] classesDjl() {
        return predictors.get("djl").predictClasses(flat, scores);
    }

    @Benchmark
    public int[] classesOnnx() {
        return predictors.get("onnx").predictClasses(flat, scores);
    }

    @Benchmark
    public int[] classesFp32() {
        return predictors.get("fp32").predictClasses(flat, scores);
    }

    @Benchmark
    public int[] classesFp16() {
        return predictors.get("fp16").predictClasses(flat, scores);
    }

    @Benchmark
    public int[] classesInt8() {
        return predictors.get("int8").predictClasses(flat, scores);
    }

    @Benchmark
    public int[] classesInt8Dynamic() {
        return predictors.get("int8_dynamic").predictClasses(flat, scores);
    }
}
