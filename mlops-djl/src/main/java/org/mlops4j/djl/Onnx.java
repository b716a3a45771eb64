package org.mlops4j.djl;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.internal.tribuo.TribuoModel;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.ModelInputs;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.djl.internal.OnnxChecks;
import org.mlops4j.djl.internal.OnnxGraphs;
import org.mlops4j.djl.internal.TribuoOnnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * ONNX in and out of the lifecycle. {@link #export(Model)} turns an {@link MlpModel}, a Tribuo linear
 * model, a CART tree or a forest (as ONNX-ML {@code TreeEnsembleRegressor}/{@code TreeEnsembleClassifier},
 * which Tribuo itself cannot write) into an {@link OnnxModel} that any ONNX runtime can serve.
 * {@link #importer(Path)} brings a model made elsewhere (PyTorch, scikit-learn via skl2onnx…) into the
 * registry: the graph is parsed, external data beside the file is taken into the model (references outside
 * its directory are refused), the input width is checked against the features and the model is run on a
 * sample whose outputs must fit the task before anything is registered.
 * {@snippet :
 * OnnxModel imported = Onnx.importer(Path.of("digits.onnx"))
 *         .classification(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
 *         .features(pixelColumns)
 *         .sample(digits.drop("digit").rows(sampleRows))
 *         .build();
 * registry.register("digits-onnx", Onnx.bundle(imported, digits, "digit"));
 * }
 */
public final class Onnx {
    private Onnx() {
    }

    /**
     * @param model an {@link MlpModel}, or a Tribuo linear model, CART tree or forest trained by mlops-core
     * @return the same model as an ONNX graph on ONNX Runtime
     * @throws IllegalArgumentException for a kind of model that has no export
     */
    public static OnnxModel export(Model model) {
        Objects.requireNonNull(model, "model");
        if (model instanceof MlpModel m) {
            MlpNetwork n = m.network();
            OnnxModel.Spec spec = new OnnxModel.Spec("mlops4j-onnx", 1, n.task(), n.features(), "input", n.features(), "float",
                    n.task() == Task.CLASSIFICATION ? "probabilities" : "value",
                    n.task() == Task.CLASSIFICATION ? OnnxModel.OutputKind.PROBABILITIES : OnnxModel.OutputKind.VALUE, n.classes(),
                    "mlops4j mlp");
            return OnnxModel.start(OnnxGraphs.mlp(n).toByteArray(), spec);
        }
        if (model instanceof TribuoModel t) {
            TribuoOnnx.Export e = TribuoOnnx.export(t);
            Task task = t.signature().task();
            OnnxModel.OutputKind kind = task == Task.REGRESSION ? OnnxModel.OutputKind.VALUE : OnnxModel.OutputKind.PROBABILITIES;
            OnnxModel.Spec spec = new OnnxModel.Spec("mlops4j-onnx", 1, task, t.signature().features(), inputName(e.proto()),
                    e.inputOrder(), e.inputType(), e.outputName(), kind, e.outputClasses(), e.producer());
            return OnnxModel.start(e.proto().toByteArray(), spec);
        }
        // mlops-core's trainers return compiled forests, trees and linear models: freshly trained, they keep the Tribuo
        // model they were compiled from (in memory), whose exact predictions they share, and that is what is exported.
        java.util.Optional<Model> source = model instanceof org.mlops4j.core.model.compiled.TreeEnsemble c ? c.source()
                : model instanceof org.mlops4j.core.model.compiled.LinearModel l ? l.source() : java.util.Optional.empty();
        if (source.isPresent()) {
            return export(source.get());
        }
        if (model.flavor().equals("compiled")) {
            throw new IllegalArgumentException("no ONNX export for a compiled model loaded from a bundle ("
                    + model.getClass().getSimpleName() + "): the compiled payload keeps no Tribuo objects; export the model"
                    + " where it was trained (Onnx.export(result.bundle().model()), or the OnnxExport pipeline step)");
        }
        throw new IllegalArgumentException("no ONNX export for a " + model.flavor() + " model (" + model.getClass().getSimpleName()
                + "); export an MlpModel or a Tribuo linear model, tree or forest");
    }

    private static String inputName(ModelProto m) {
        Set<String> init = new HashSet<>();
        m.getGraph().getInitializerList().forEach(t -> init.add(t.getName()));
        for (ValueInfoProto v : m.getGraph().getInputList()) {
            if (!init.contains(v.getName())) {
                return v.getName();
            }
        }
        throw new IllegalArgumentException("the ONNX graph has no input");
    }

    /**
     * A bundle for an ONNX model outside a pipeline: no preprocessing, the sample's columns as input schema and
     * profile (for input checks and drift).
     *
     * @param model  the model
     * @param sample rows with at least the model's features (the label is dropped when present)
     * @param label  the predicted column's name
     * @return the bundle, ready to register
     */
    public static ModelBundle bundle(Model model, Dataset sample, String label) {
        Dataset features = sample.schema().contains(label) ? sample.drop(label) : sample;
        features = features.select(model.signature().features());
        return ModelBundle.builder(model).label(label).algorithm("onnx", java.util.Map.of())
                .inputSchema(features.schema()).trainingProfile(features.profile()).build();
    }

    /**
     * @param file an ONNX file
     * @return an importer for it
     */
    public static Importer importer(Path file) {
        return new Importer(Objects.requireNonNull(file, "file"));
    }

    /** Brings an ONNX model made elsewhere into mlops4j, checked. Single use, not thread-safe. */
    public static final class Importer {
        private final Path file;
        private Task task;
        private List<String> classes = List.of();
        private List<String> features;
        private String input;
        private String output;
        private Dataset sample;

        private Importer(Path file) {
            this.file = file;
        }

        /** @return this importer, for a model that predicts one number per row */
        public Importer regression() {
            this.task = Task.REGRESSION;
            return this;
        }

        /**
         * @param outputClasses the class of each output column, in the graph's output order
         * @return this importer
         */
        public Importer classification(List<String> outputClasses) {
            if (outputClasses.size() < 2) {
                throw new IllegalArgumentException("classification needs at least 2 distinct classes but was " + outputClasses);
            }
            Set<String> seen = new HashSet<>();
            for (String c : outputClasses) {
                if (!seen.add(Objects.requireNonNull(c, "a class is null"))) {
                    throw new IllegalArgumentException("class '" + c + "' is listed twice in " + outputClasses
                            + "; each output column of the graph is one distinct class");
                }
            }
            this.task = Task.CLASSIFICATION;
            this.classes = List.copyOf(outputClasses);
            return this;
        }

        /**
         * @param columns the columns that feed the graph's input, in the order of its second dimension
         * @return this importer
         */
        public Importer features(List<String> columns) {
            if (columns.isEmpty() || new HashSet<>(columns).size() != columns.size()) {
                throw new IllegalArgumentException("features must be distinct column names, at least one, but were " + columns);
            }
            this.features = List.copyOf(columns);
            return this;
        }

        /**
         * @param name the graph input to feed (default: the only one)
         * @return this importer
         */
        public Importer input(String name) {
            this.input = name;
            return this;
        }

        /**
         * @param name the graph output to read (default: the only float tensor output, or the one with a column per class)
         * @return this importer
         */
        public Importer output(String name) {
            this.output = name;
            return this;
        }

        /**
         * @param rows rows the model is run on before it is accepted: they must hold every feature, numeric and complete
         * @return this importer
         */
        public Importer sample(Dataset rows) {
            this.sample = rows;
            return this;
        }

        /**
         * @return the checked model
         * @throws IllegalArgumentException naming the file and what does not fit: not ONNX, external data outside its
         *     directory, a wrong input width, an output that does not fit the task, a sample the graph cannot run on
         */
        public OnnxModel build() {
            String where = "ONNX file " + file;
            if (task == null || features == null || sample == null) {
                throw new IllegalStateException("say regression() or classification(classes), features(columns) and sample(rows) before build()");
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(where + " does not exist", e);
            } catch (IOException e) {
                throw new IllegalArgumentException(where + " cannot be read: " + e.getMessage(), e);
            }
            ModelProto m = OnnxChecks.parse(bytes, where);
            if (!OnnxChecks.externalLocations(m).isEmpty()) {
                m = OnnxChecks.inline(m, file.toAbsolutePath().getParent(), where);
                bytes = m.toByteArray();
            }
            ValueInfoProto in = pickInput(m, where);
            int elem = in.getType().getTensorType().getElemType();
            String inputType = elem == TensorProto.DataType.DOUBLE_VALUE ? "double" : elem == TensorProto.DataType.FLOAT_VALUE ? "float" : null;
            if (inputType == null) {
                throw new IllegalArgumentException(where + ": input '" + in.getName() + "' holds " + TensorProto.DataType.forNumber(elem)
                        + "; mlops4j feeds float or double tensors");
            }
            TensorShapeProto shape = in.getType().getTensorType().getShape();
            if (shape.getDimCount() != 2) {
                throw new IllegalArgumentException(where + ": input '" + in.getName() + "' has " + shape.getDimCount()
                        + " dimensions; mlops4j feeds [rows, features]");
            }
            TensorShapeProto.Dimension width = shape.getDim(1);
            if (width.hasDimValue() && width.getDimValue() != features.size()) {
                throw new IllegalArgumentException(where + ": input '" + in.getName() + "' takes " + width.getDimValue()
                        + " values per row but " + features.size() + " features were given (" + preview(features) + ")");
            }
            ValueInfoProto out = pickOutput(m, where);
            sample.schema().requireColumns(features, where + "'s sample");
            Dataset rows = sample.select(features);
            ModelInputs.requireReady(rows, "the sample must hold a value for every feature", false);
            if (rows.rowCount() == 0) {
                throw new IllegalArgumentException(where + ": the sample has no rows");
            }
            OnnxModel.Spec probe = new OnnxModel.Spec("mlops4j-onnx", 1, task, features, in.getName(), features, inputType, out.getName(),
                    task == Task.REGRESSION ? OnnxModel.OutputKind.VALUE : OnnxModel.OutputKind.PROBABILITIES, classes,
                    m.getProducerName().isEmpty() ? "imported" : m.getProducerName() + " " + m.getProducerVersion());
            OnnxModel model = OnnxModel.start(bytes, probe);
            float[] raw;
            try {
                double[][] cols = new double[features.size()][];
                for (int c = 0; c < cols.length; c++) {
                    cols[c] = rows.numeric(features.get(c)).toArray();
                }
                raw = model.run(cols, rows.rowCount());
            } catch (IllegalStateException e) {
                model.close();
                throw new IllegalArgumentException(where + " does not run on the sample: " + e.getMessage(), e);
            }
            for (int i = 0; i < raw.length; i++) {
                if (!Float.isFinite(raw[i])) {
                    model.close();
                    int per = task == Task.REGRESSION ? 1 : classes.size();
                    throw new IllegalArgumentException(where + ": output '" + out.getName() + "' is " + raw[i] + " for sample row " + (i / per + 1));
                }
            }
            if (task == Task.REGRESSION) {
                return model;
            }
            boolean probabilities = true;
            int k = classes.size();
            for (int r = 0; r < rows.rowCount() && probabilities; r++) {
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    float v = raw[r * k + c];
                    probabilities &= v >= -1e-6 && v <= 1 + 1e-6;
                    sum += v;
                }
                probabilities &= Math.abs(sum - 1) < 1e-3;
            }
            if (probabilities) {
                return model;
            }
            model.close();
            return OnnxModel.start(bytes, new OnnxModel.Spec(probe.format(), 1, task, features, in.getName(), features, inputType,
                    out.getName(), OnnxModel.OutputKind.LOGITS, classes, probe.producer()));
        }

        private ValueInfoProto pickInput(ModelProto m, String where) {
            Set<String> init = new HashSet<>();
            m.getGraph().getInitializerList().forEach(t -> init.add(t.getName()));
            List<ValueInfoProto> inputs = new ArrayList<>();
            for (ValueInfoProto v : m.getGraph().getInputList()) {
                if (!init.contains(v.getName())) {
                    inputs.add(v);
                }
            }
            if (input != null) {
                return inputs.stream().filter(v -> v.getName().equals(input)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                        where + " has no input '" + input + "'; its inputs are " + inputs.stream().map(ValueInfoProto::getName).toList()));
            }
            if (inputs.size() != 1) {
                throw new IllegalArgumentException(where + " has " + inputs.size() + " inputs " + inputs.stream().map(ValueInfoProto::getName).toList()
                        + "; name the one to feed with input(name)");
            }
            return inputs.get(0);
        }

        private ValueInfoProto pickOutput(ModelProto m, String where) {
            List<ValueInfoProto> outs = m.getGraph().getOutputList();
            if (output != null) {
                return outs.stream().filter(v -> v.getName().equals(output)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                        where + " has no output '" + output + "'; its outputs are " + outs.stream().map(ValueInfoProto::getName).toList()));
            }
            List<ValueInfoProto> tensors = new ArrayList<>();
            for (ValueInfoProto v : outs) {
                int e = v.getType().getTensorType().getElemType();
                if (v.getType().hasTensorType() && (e == TensorProto.DataType.FLOAT_VALUE || e == TensorProto.DataType.DOUBLE_VALUE)) {
                    tensors.add(v);
                }
            }
            if (tensors.size() == 1) {
                return tensors.get(0);
            }
            if (task == Task.CLASSIFICATION) {
                for (ValueInfoProto v : tensors) {
                    TensorShapeProto s = v.getType().getTensorType().getShape();
                    if (s.getDimCount() == 2 && s.getDim(1).hasDimValue() && s.getDim(1).getDimValue() == classes.size()) {
                        return v;
                    }
                }
            }
            throw new IllegalArgumentException(where + " has " + tensors.size() + " float outputs " + tensors.stream().map(ValueInfoProto::getName).toList()
                    + "; name the one to read with output(name)");
        }

        private static String preview(List<String> names) {
            return names.size() <= 6 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", … " + names.get(names.size() - 1);
        }
    }

    /**
     * Largest absolute difference between two models' predictions (values, or every class score), for parity checks.
     *
     * @param a        one model
     * @param b        the other
     * @param features ready features both read
     * @return the largest difference
     */
    public static double maxDifference(Model a, Model b, Dataset features) {
        List<Prediction> pa = a.predict(features);
        List<Prediction> pb = b.predict(features);
        double max = 0;
        for (int i = 0; i < pa.size(); i++) {
            if (pa.get(i).scores().isEmpty()) {
                max = Math.max(max, Math.abs(pa.get(i).value() - pb.get(i).value()));
            } else {
                for (var e : pa.get(i).scores().entrySet()) {
                    max = Math.max(max, Math.abs(e.getValue() - pb.get(i).scores().getOrDefault(e.getKey(), Double.NaN)));
                }
            }
        }
        return max;
    }
}
