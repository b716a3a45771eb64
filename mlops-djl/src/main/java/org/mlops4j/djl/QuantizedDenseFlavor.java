package org.mlops4j.djl;

import org.mlops4j.core.Task;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.spi.ModelFlavor;
import org.mlops4j.djl.internal.Json;
import org.mlops4j.quant.DenseNetwork;
import org.mlops4j.quant.Fp16;
import org.mlops4j.quant.Int8Spec;
import org.mlops4j.quant.QuantReport;
import org.mlops4j.quant.QuantizedTensor;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code quantized-dense} model flavor: a {@link QuantizedDenseModel} as {@code dense.json} (layout,
 * formats, standardization, classes), {@code dense.bin} (per layer, little-endian: the weights as stored —
 * int8 levels and one fp32 scale per output channel, fp16 halves or fp32 — then the fp32 bias), the
 * quantization report ({@code quant-report.json}, {@code quant-report.md}) and the gate's record
 * ({@code quant-gate.json}). Loads on mlops-quant's engine; no deep-learning engine starts.
 * {@snippet :
 * Map<String, byte[]> files = ModelFlavors.find("quantized-dense").write(int8Model);   // dense.json, dense.bin, ...
 * }
 */
public final class QuantizedDenseFlavor implements ModelFlavor {
    /** The layout file. */
    public static final String LAYOUT = "dense.json";
    /** The weights file. */
    public static final String WEIGHTS = "dense.bin";
    /** The quantization report as JSON. */
    public static final String REPORT = "quant-report.json";
    /** The quantization report as Markdown. */
    public static final String REPORT_MD = "quant-report.md";
    /** The gate's decision. */
    public static final String GATE = "quant-gate.json";

    /** For {@link java.util.ServiceLoader}. */
    public QuantizedDenseFlavor() {
    }

    /**
     * What {@code dense.json} holds.
     *
     * @param format      always {@code mlops4j-dense}
     * @param version     1
     * @param scheme      storage scheme
     * @param task        regression or classification
     * @param features    input columns in order
     * @param classes     classes in output order
     * @param activation  hidden activation
     * @param widths      every layer's output width
     * @param inputMean   standardization means
     * @param inputScale  standardization scales
     * @param targetMean  regression output offset
     * @param targetScale regression output scale
     * @param weightBytes bytes of weights, scales and biases as the engine stores them
     */
    public record Layout(String format, int version, Quantize.Scheme scheme, Task task, List<String> features, List<String> classes,
                         Mlp.Activation activation, List<Integer> widths, float[] inputMean, float[] inputScale, double targetMean,
                         double targetScale, long weightBytes) {
    }

    @Override
    public String name() {
        return QuantizedDenseModel.FLAVOR;
    }

    @Override
    public Map<String, byte[]> write(Model model) {
        if (!(model instanceof QuantizedDenseModel q)) {
            throw new IllegalArgumentException("the quantized-dense flavor writes QuantizedDenseModel, not " + model.getClass().getName());
        }
        MlpNetwork n = q.layout();
        Layout layout = new Layout("mlops4j-dense", 1, q.scheme(), n.task(), n.features(), n.classes(), n.activation(),
                n.layers().stream().map(MlpNetwork.Layer::outputs).toList(), n.inputMean(), n.inputScale(), n.targetMean(),
                n.targetScale(), q.dense().sizeInBytes());
        long size = 0;
        for (MlpNetwork.Layer l : n.layers()) {
            long w = (long) l.inputs() * l.outputs();
            size += switch (q.scheme().weights()) {
                case INT8 -> w + 4L * l.outputs();
                case FP16 -> 2 * w;
                case FP32 -> 4 * w;
            } + 4L * l.outputs();
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        for (MlpNetwork.Layer l : n.layers()) {
            switch (q.scheme().weights()) {
                case INT8 -> {
                    QuantizedTensor t = Int8Spec.perChannel().quantize(l.weights(), l.outputs(), l.inputs());
                    buf.put(t.levels());
                    for (int r = 0; r < l.outputs(); r++) {
                        buf.putFloat(t.params().scale(r));
                    }
                }
                case FP16 -> {
                    for (short h : Fp16.encode(l.weights())) {
                        buf.putShort(h);
                    }
                }
                case FP32 -> {
                    for (float f : l.weights()) {
                        buf.putFloat(f);
                    }
                }
            }
            for (float b : l.bias()) {
                buf.putFloat(b);
            }
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(LAYOUT, Json.write(layout));
        files.put(WEIGHTS, buf.array());
        files.put(REPORT, Json.write(q.report()));
        files.put(REPORT_MD, q.report().toMarkdown().getBytes(StandardCharsets.UTF_8));
        files.put(GATE, Quantize.json(q.gate()));
        return files;
    }

    @Override
    public Model read(Map<String, byte[]> files, ModelSignature signature, String where) {
        for (String f : List.of(LAYOUT, WEIGHTS, REPORT, GATE)) {
            if (!files.containsKey(f)) {
                throw new BundleIntegrityException(where + ": a quantized-dense bundle needs " + f + " but lists "
                        + files.keySet().stream().sorted().toList());
            }
        }
        Layout layout;
        QuantReport report;
        Quantize.Gate gate;
        try {
            layout = Json.read(files.get(LAYOUT), Layout.class);
            report = Json.read(files.get(REPORT), QuantReport.class);
            gate = "null".equals(new String(files.get(GATE), StandardCharsets.UTF_8).strip()) ? null : Json.read(files.get(GATE), Quantize.Gate.class);
        } catch (IOException e) {
            throw new BundleIntegrityException(where + ": the quantized-dense layout, report or gate is not what mlops4j writes: "
                    + e.getMessage(), e);
        }
        if (!"mlops4j-dense".equals(layout.format()) || layout.version() != 1) {
            throw new BundleIntegrityException(where + ": " + LAYOUT + " has format " + layout.format() + " version " + layout.version()
                    + "; this release reads mlops4j-dense version 1");
        }
        if (layout.features() == null || !layout.features().equals(signature.features()) || layout.widths() == null
                || layout.widths().isEmpty()) {
            throw new BundleIntegrityException(where + ": " + LAYOUT + " does not match the manifest's features " + signature.features());
        }
        ByteBuffer buf = ByteBuffer.wrap(files.get(WEIGHTS)).order(ByteOrder.LITTLE_ENDIAN);
        List<MlpNetwork.Layer> layers = new ArrayList<>();
        int in = layout.features().size();
        try {
            for (int out : layout.widths()) {
                if (out < 1 || (long) out * in > Integer.MAX_VALUE / 4) {
                    throw new BundleIntegrityException(where + ": " + LAYOUT + " has a layer of " + out + " outputs");
                }
                float[] w = new float[out * in];
                switch (layout.scheme().weights()) {
                    case INT8 -> {
                        byte[] levels = new byte[out * in];
                        buf.get(levels);
                        for (int r = 0; r < out; r++) {
                            float s = buf.getFloat();
                            for (int c = 0; c < in; c++) {
                                w[r * in + c] = levels[r * in + c] * s;
                            }
                        }
                    }
                    case FP16 -> {
                        for (int i = 0; i < w.length; i++) {
                            w[i] = Fp16.decode(buf.getShort());
                        }
                    }
                    case FP32 -> {
                        for (int i = 0; i < w.length; i++) {
                            w[i] = buf.getFloat();
                        }
                    }
                }
                float[] b = new float[out];
                for (int i = 0; i < out; i++) {
                    b[i] = buf.getFloat();
                }
                layers.add(new MlpNetwork.Layer(in, out, w, b));
                in = out;
            }
        } catch (BufferUnderflowException e) {
            throw new BundleIntegrityException(where + ": " + WEIGHTS + " is shorter than the layers " + LAYOUT + " describes", e);
        }
        if (buf.hasRemaining()) {
            throw new BundleIntegrityException(where + ": " + WEIGHTS + " has " + buf.remaining() + " bytes beyond the layers " + LAYOUT
                    + " describes");
        }
        try {
            MlpNetwork network = new MlpNetwork(layout.task(), layout.features(), layout.classes(), layout.activation(),
                    layout.inputMean(), layout.inputScale(), layers, layout.targetMean(), layout.targetScale());
            DenseNetwork dense = network.toDenseNetwork(layout.scheme().weights(), layout.scheme().activations());
            return new QuantizedDenseModel(network, layout.scheme(), dense, report, gate);
        } catch (IllegalArgumentException e) {
            throw new BundleIntegrityException(where + ": " + LAYOUT + " describes no valid network: " + e.getMessage(), e);
        }
    }
}
