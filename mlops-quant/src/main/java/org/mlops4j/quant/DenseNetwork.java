package org.mlops4j.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.mlops4j.quant.internal.KernelSupport;

/**
 * Inference for a stack of dense layers on the quantisation kernels: {@code y = act(W·x + b)} per layer,
 * with weights stored as fp32, fp16 or int8 (symmetric, one scale per output channel by default) and
 * activations kept in fp32 or quantised dynamically to int8 per row (then int8 × int8 products with int32
 * accumulation and an fp32 rescale). Activation functions: none, ReLU, GELU (tanh approximation) and
 * softmax. Batches of rows run as matrix products.
 *
 * <p>Accuracy against an fp64 reference, pinned by the tests on random 64 → 128 → 64 → 10 and
 * 1024 → 512 → 256 networks (weights N(0, 1/inputs), inputs N(0, 1)) as the largest absolute output
 * error divided by the largest absolute output: fp32 weights &lt; 1e-5 (float rounding); fp16 weights
 * &lt; 1e-3; int8 per-channel weights &lt; 4 %; int8 weights with dynamic int8 activations &lt; 6 %.
 * Non-finite inputs give NaN (or infinite) outputs in every format; nothing throws on them.
 *
 * <p>Layout, chosen per layer by shape when the network is built: a layer with at least 8 outputs and at
 * most 2¹⁶ weights (256 KiB as fp32, e.g. every layer of 64 → 128 → 64 → 10) is packed input-major, so
 * {@code y = Σ_j x_j · W[:, j]} runs as broadcast x_j times contiguous output lanes with no horizontal
 * sums; int8 scales apply per output lane at the end, and int8 × int8 products still sum exactly in int32.
 * Larger layers stay row-major (four rows per pass; rows split across threads). An fp16 layer packed
 * input-major is decoded once, exactly, to fp32 at build time and runs on the fp32 kernel: JDK 25's Vector
 * API has no fp16 lanes, and converting the halves on every call cost more than the products. The fp16
 * halves stay the stored format ({@link #sizeInBytes()}, {@link #report()}); such a layer holds its fp32
 * copy too, 4 bytes more per weight in memory (plus row padding), and computes with the same fp16-rounded
 * weights as the fp16 kernel (outputs equal to float rounding).
 *
 * <p>Weights come from plain row-major arrays {@code [outputs][inputs]}, or from ND4J arrays (DL4J's
 * {@code [inputs, outputs]} layout) through {@link org.mlops4j.quant.nd4j.Nd4jLayers}; ND4J is optional and
 * none of its types appear here.
 * {@snippet :
 * DenseNetwork net = DenseNetwork.builder()
 *         .layer(w1, 128, 64, b1, DenseNetwork.Activation.RELU)      // 64 → 128
 *         .layer(w2, 10, 128, b2, DenseNetwork.Activation.SOFTMAX)   // 128 → 10
 *         .weights(DenseNetwork.WeightFormat.INT8)
 *         .activations(DenseNetwork.ActivationFormat.INT8_DYNAMIC)
 *         .build();
 * float[] probabilities = net.predict(features);
 * int label = Kernels.best().argmax(probabilities);
 * }
 * Immutable and thread-safe; {@link #predict(float[], int, float[], Workspace)} with one
 * {@link Workspace} per thread allocates nothing (unless {@link Builder#executor} splits large layers).
 */
public final class DenseNetwork {

    /** Activation applied after the bias. */
    public enum Activation {
        /** Identity. */
        NONE,
        /** max(x, 0). */
        RELU,
        /** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
        GELU,
        /** exp(x − max) / Σ exp(x − max), per row. */
        SOFTMAX
    }

    /** How the weights are stored. */
    public enum WeightFormat {
        /** 4 bytes per weight. */
        FP32,
        /** IEEE half, 2 bytes per weight (saturating beyond ±65504). */
        FP16,
        /** int8, symmetric; one scale per output channel unless {@link Builder#int8Spec} says per tensor. */
        INT8
    }

    /** How activations between layers are represented. */
    public enum ActivationFormat {
        /** fp32 everywhere. */
        FP32,
        /** Each row of each layer's input is quantised to symmetric int8 with scale max|x|/127 (needs INT8 weights). */
        INT8_DYNAMIC
    }

    private final Layer[] layers;
    private final KernelSupport kernels;
    private final WeightFormat weightFormat;
    private final ActivationFormat activationFormat;
    private final QuantReport report;
    private final int maxWidth;
    private final Executor executor;
    private final int parallelism;

    /** Layers with fewer weights run on the calling thread even when an executor is set. */
    static final long PARALLEL_MIN_WEIGHTS = 1 << 18;

    /**
     * Layers with at most this many weights (and at least {@link #INPUT_MAJOR_MIN_OUTPUTS} outputs) are packed
     * input-major at build time: 256 KiB as fp32, inside one core's L2, and below
     * {@link #PARALLEL_MIN_WEIGHTS}, so such a layer never splits across threads.
     */
    static final long INPUT_MAJOR_MAX_WEIGHTS = 1 << 16;
    /** Fewer outputs than this would waste more than half of each padded input-major row. */
    static final int INPUT_MAJOR_MIN_OUTPUTS = 8;

    /** @return whether a layer of this shape runs on the input-major kernels (the rule in the class comment) */
    static boolean inputMajor(int out, int in) {
        return out >= INPUT_MAJOR_MIN_OUTPUTS && (long) out * in <= INPUT_MAJOR_MAX_WEIGHTS;
    }

    private DenseNetwork(Builder b, Layer[] layers, QuantReport report) {
        this.layers = layers;
        this.kernels = b.kernels.impl();
        this.weightFormat = b.weightFormat;
        this.activationFormat = b.activationFormat;
        this.report = report;
        this.executor = b.executor;
        this.parallelism = b.parallelism;
        int w = layers[0].in;
        for (Layer l : layers) {
            w = Math.max(w, l.out);
        }
        this.maxWidth = w;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return input size of the first layer */
    public int inputSize() {
        return layers[0].in;
    }

    /** @return output size of the last layer */
    public int outputSize() {
        return layers[layers.length - 1].out;
    }

    /** @return number of layers */
    public int layerCount() {
        return layers.length;
    }

    /** @return the weight format */
    public WeightFormat weightFormat() {
        return weightFormat;
    }

    /** @return the activation format */
    public ActivationFormat activationFormat() {
        return activationFormat;
    }

    /**
     * @return bytes of weights, scales and biases as stored (fp16 layers packed input-major also hold a
     *         decoded fp32 copy, 4 bytes per weight, not counted here; see the class comment)
     */
    public long sizeInBytes() {
        long n = 0;
        for (Layer l : layers) {
            long weights = (long) l.out * l.in;
            n += switch (weightFormat) {
                case FP32 -> 4 * weights;
                case FP16 -> 2 * weights;
                case INT8 -> weights + 4L * l.out;
            };
            n += 4L * l.out;
        }
        return n;
    }

    /** @return the weight quantisation report (one entry per layer's weights; fp32 entries are exact) */
    public QuantReport report() {
        return report;
    }

    /**
     * @param maxBatch largest batch the workspace serves, ≥ 1
     * @return scratch buffers for one thread
     */
    public Workspace newWorkspace(int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1 but was " + maxBatch);
        }
        return new Workspace(maxBatch, maxWidth);
    }

    /**
     * @param input one row, exactly {@link #inputSize()} values
     * @return the output row
     * @throws IllegalArgumentException when the row has another length (a longer row is not cut silently)
     */
    public float[] predict(float[] input) {
        if (input.length != inputSize()) {
            throw new IllegalArgumentException("input must have " + inputSize() + " values (the first layer's inputs) but had "
                    + input.length);
        }
        float[] out = new float[outputSize()];
        predict(input, 1, out, newWorkspace(1));
        return out;
    }

    /**
     * @param rows a batch of input rows
     * @return one output row per input row
     */
    public float[][] predict(float[][] rows) {
        int in = inputSize();
        float[] flat = new float[Math.multiplyExact(rows.length, in)];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != in) {
                throw new IllegalArgumentException("rows[" + r + "] must have " + in + " values but had " + rows[r].length);
            }
            System.arraycopy(rows[r], 0, flat, r * in, in);
        }
        float[][] result = new float[rows.length][];
        if (rows.length == 0) {
            return result;
        }
        float[] out = new float[rows.length * outputSize()];
        predict(flat, rows.length, out, newWorkspace(rows.length));
        for (int r = 0; r < rows.length; r++) {
            result[r] = java.util.Arrays.copyOfRange(out, r * outputSize(), (r + 1) * outputSize());
        }
        return result;
    }

    /**
     * Runs a batch without allocating.
     *
     * @param inputs    at least batch × {@link #inputSize()} values, row-major (not modified)
     * @param batch     rows, ≥ 1 and ≤ the workspace's maxBatch
     * @param outputs   receives batch × {@link #outputSize()} values (at least that long)
     * @param workspace this thread's workspace from {@link #newWorkspace(int)}
     */
    public void predict(float[] inputs, int batch, float[] outputs, Workspace workspace) {
        if (batch < 1 || batch > workspace.maxBatch || workspace.width < maxWidth) {
            throw new IllegalArgumentException("batch must be in [1, " + workspace.maxBatch + "] for this workspace"
                    + " (made by this network) but was " + batch);
        }
        if (inputs.length < batch * inputSize()) {
            throw new IllegalArgumentException("inputs.length must be >= " + batch * inputSize() + " but was "
                    + inputs.length);
        }
        if (outputs.length < batch * outputSize()) {
            throw new IllegalArgumentException("outputs.length must be >= " + batch * outputSize() + " but was "
                    + outputs.length);
        }
        float[] src = inputs;
        float[] dst = workspace.a;
        for (Layer l : layers) {
            forward(l, src, batch, dst, workspace);
            src = dst;
            dst = dst == workspace.a ? workspace.b : workspace.a;
        }
        System.arraycopy(src, 0, outputs, 0, batch * outputSize());
    }

    private void forward(Layer l, float[] x, int batch, float[] y, Workspace ws) {
        boolean dynamic = activationFormat == ActivationFormat.INT8_DYNAMIC;
        if (dynamic) {
            for (int r = 0; r < batch; r++) {
                float t = kernels.maxAbs(x, r * l.in, l.in);
                // NaN or infinite inputs give a NaN scale, so they surface as NaN outputs instead of zeros
                float s = t == 0 ? 1f : Math.max(t / 127f, Float.MIN_NORMAL);
                ws.qScales[r] = s;
                kernels.quantize(x, r * l.in, ws.q, r * l.in, l.in, 1f / s, 0, -127, 127);
            }
        }
        if (l.ld > 0) {
            for (int r = 0; r < batch; r++) {
                inputMajor(l, x, r, y, dynamic ? ws.q : null, ws.qScales[r]);
            }
        } else if (batch == 1) {
            rows(l, x, y, dynamic ? ws.q : null, ws.qScales[0]);
        } else if (weightFormat == WeightFormat.FP32) {
            kernels.matmulFp32(x, batch, l.w32, l.out, l.in, y);
        } else if (dynamic) {
            kernels.matmulInt8(ws.q, ws.qScales, batch, l.w8, l.scales, l.out, l.in, null, y);
        } else {
            // fp16 weights, or int8 weights with fp32 activations: one matrix–vector product per row
            for (int r = 0; r < batch; r++) {
                float[] xr = r == 0 ? x : ws.row;
                float[] yr = r == 0 ? y : ws.rowOut;
                if (r > 0) {
                    System.arraycopy(x, r * l.in, xr, 0, l.in);
                }
                matvec(l, xr, yr, null, 0f, 0, l.out);
                if (r > 0) {
                    System.arraycopy(yr, 0, y, r * l.out, l.out);
                }
            }
        }
        for (int r = 0; r < batch; r++) {
            finish(l, y, r * l.out);
        }
    }

    /** One input row through a layer, split across the executor's threads when the layer is large. */
    private void rows(Layer l, float[] x, float[] y, byte[] xq, float xScale) {
        int parts = (long) l.out * l.in >= PARALLEL_MIN_WEIGHTS ? Math.min(parallelism, l.out / 4) : 1;
        if (parts <= 1) {
            matvec(l, x, y, xq, xScale, 0, l.out);
            return;
        }
        int chunk = (l.out / parts + 3) & ~3;
        CompletableFuture<?>[] others = new CompletableFuture<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int from = Math.min(l.out, p * chunk);
            int to = p == parts - 1 ? l.out : Math.min(l.out, (p + 1) * chunk);
            others[p - 1] = CompletableFuture.runAsync(() -> matvec(l, x, y, xq, xScale, from, to), executor);
        }
        matvec(l, x, y, xq, xScale, 0, Math.min(l.out, chunk));
        CompletableFuture.allOf(others).join();
    }

    /** Row r of a batch through a layer packed input-major (fp32 and decoded fp16 in t32, int8 in t8). */
    private void inputMajor(Layer l, float[] x, int r, float[] y, byte[] xq, float xScale) {
        if (l.t8 == null) {
            kernels.matvecFp32T(l.t32, l.ld, l.in, l.out, x, r * l.in, y, r * l.out);
        } else if (xq != null) {
            kernels.matvecInt8T(l.t8, l.ld, l.in, l.out, l.scales, xq, r * l.in, xScale, y, r * l.out);
        } else {
            kernels.matvecInt8Fp32T(l.t8, l.ld, l.in, l.out, l.scales, x, r * l.in, y, r * l.out);
        }
    }

    private void matvec(Layer l, float[] x, float[] y, byte[] xq, float xScale, int from, int to) {
        switch (weightFormat) {
            case FP32 -> kernels.matvecFp32(l.w32, l.in, x, y, from, to);
            case FP16 -> kernels.matvecFp16(l.w16, l.in, x, y, from, to);
            case INT8 -> {
                if (xq != null) {
                    kernels.matvecInt8(l.w8, l.scales, l.in, xq, xScale, null, y, from, to);
                } else {
                    kernels.matvecInt8Fp32(l.w8, l.scales, l.in, x, y, from, to);
                }
            }
        }
    }

    private void finish(Layer l, float[] y, int off) {
        float[] bias = l.bias;
        for (int j = 0; j < l.out; j++) {
            y[off + j] += bias[j];
        }
        switch (l.activation) {
            case NONE -> {
            }
            case RELU -> kernels.relu(y, off, l.out);
            case GELU -> {
                for (int j = off; j < off + l.out; j++) {
                    float v = y[j];
                    y[j] = (float) (0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
                }
            }
            case SOFTMAX -> {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = off; j < off + l.out; j++) {
                    max = Math.max(max, y[j]);
                }
                double sum = 0;
                for (int j = off; j < off + l.out; j++) {
                    float e = (float) Math.exp(y[j] - max);
                    y[j] = e;
                    sum += e;
                }
                float inv = (float) (1.0 / sum);
                for (int j = off; j < off + l.out; j++) {
                    y[j] *= inv;
                }
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DenseNetwork[").append(inputSize());
        for (Layer l : layers) {
            sb.append(" → ").append(l.out).append(' ').append(l.activation.name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.append(", weights ").append(weightFormat).append(", activations ").append(activationFormat)
                .append(", ").append(sizeInBytes()).append(" bytes]").toString();
    }

    /** Scratch buffers for one thread; reuse across calls, never share between threads. */
    public static final class Workspace {
        private final int maxBatch;
        private final int width;
        private final float[] a;
        private final float[] b;
        private final float[] row;
        private final float[] rowOut;
        private final byte[] q;
        private final float[] qScales;

        private Workspace(int maxBatch, int width) {
            this.maxBatch = maxBatch;
            this.width = width;
            int n = Math.multiplyExact(maxBatch, width);
            this.a = new float[n];
            this.b = new float[n];
            this.row = new float[width];
            this.rowOut = new float[width];
            this.q = new byte[n];
            this.qScales = new float[maxBatch];
        }
    }

    /**
     * One layer's weights: row-major in w32 / w16 / w8 for the row kernels, or, when {@code ld > 0}, packed
     * input-major with row stride ld in t32 (fp32, or fp16 decoded exactly) or t8 (int8). An fp16 layer
     * keeps its halves in w16 either way: they are the stored format.
     */
    private record Layer(int out, int in, float[] w32, short[] w16, byte[] w8, float[] scales, float[] bias,
            Activation activation, int ld, float[] t32, byte[] t8) {

        static Layer rowMajor(int out, int in, float[] w32, short[] w16, byte[] w8, float[] scales, float[] bias,
                Activation activation) {
            return new Layer(out, in, w32, w16, w8, scales, bias, activation, 0, null, null);
        }
    }

    /** wT[j·ld + r] = w[r·in + j], zero padding; ld from {@link KernelSupport#inputMajorStride(int)}. */
    private static float[] packInputMajor(float[] w, int out, int in, int ld) {
        float[] t = new float[in * ld];
        for (int r = 0; r < out; r++) {
            for (int j = 0; j < in; j++) {
                t[j * ld + r] = w[r * in + j];
            }
        }
        return t;
    }

    /** The byte version, with the slack the kernels read past the end. */
    private static byte[] packInputMajor(byte[] w, int out, int in, int ld) {
        byte[] t = new byte[in * ld + KernelSupport.INPUT_MAJOR_ALIGN];
        for (int r = 0; r < out; r++) {
            for (int j = 0; j < in; j++) {
                t[j * ld + r] = w[r * in + j];
            }
        }
        return t;
    }

    private record Spec(float[] weights, int out, int in, float[] bias, Activation activation) {
    }

    /** Collects layers and formats; single use, not thread-safe. Each setter validates at once. */
    public static final class Builder {
        private final List<Spec> specs = new ArrayList<>();
        private WeightFormat weightFormat = WeightFormat.FP32;
        private ActivationFormat activationFormat = ActivationFormat.FP32;
        private Int8Spec int8Spec = Int8Spec.perChannel();
        private Kernels kernels = Kernels.best();
        private Executor executor;
        private int parallelism = 1;
        private boolean built;

        private Builder() {
        }

        /**
         * Adds a layer {@code y = act(W·x + b)}.
         *
         * @param weights    row-major [outputs][inputs], finite; copied
         * @param outputs    output size, ≥ 1
         * @param inputs     input size, ≥ 1; must equal the previous layer's outputs
         * @param bias       outputs values, or null for no bias; copied
         * @param activation activation after the bias
         * @return this builder
         */
        public Builder layer(float[] weights, int outputs, int inputs, float[] bias, Activation activation) {
            Objects.requireNonNull(weights, "weights");
            Objects.requireNonNull(activation, "activation");
            int index = specs.size() + 1;
            if (outputs < 1 || inputs < 1) {
                throw new IllegalArgumentException("layer " + index + ": outputs and inputs must be >= 1 but were "
                        + outputs + " and " + inputs);
            }
            Kernels.matrix("layer " + index + " weights", weights.length, outputs, inputs);
            if (!specs.isEmpty() && specs.get(specs.size() - 1).out() != inputs) {
                throw new IllegalArgumentException("layer " + index + " takes " + inputs + " inputs but layer "
                        + (index - 1) + " produces " + specs.get(specs.size() - 1).out());
            }
            if (bias != null && bias.length != outputs) {
                throw new IllegalArgumentException("layer " + index + ": bias must have " + outputs
                        + " values but had " + bias.length);
            }
            QuantParams.requireFinite(weights);
            specs.add(new Spec(weights.clone(), outputs, inputs, bias == null ? new float[outputs] : bias.clone(),
                    activation));
            return this;
        }

        /**
         * @param format weight storage; default FP32
         * @return this builder
         */
        public Builder weights(WeightFormat format) {
            this.weightFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * @param spec int8 weight scheme: symmetric, PER_CHANNEL or PER_TENSOR, any calibration; default
         *             {@link Int8Spec#perChannel()}
         * @return this builder
         */
        public Builder int8Spec(Int8Spec spec) {
            Objects.requireNonNull(spec, "spec");
            if (!spec.symmetric() || spec.granularity() == Granularity.PER_BLOCK) {
                throw new IllegalArgumentException("int8 weights must be symmetric PER_CHANNEL or PER_TENSOR but were "
                        + spec.describe());
            }
            this.int8Spec = spec;
            return this;
        }

        /**
         * @param format activation representation; default FP32. INT8_DYNAMIC needs INT8 weights.
         * @return this builder
         */
        public Builder activations(ActivationFormat format) {
            this.activationFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * @param kernels kernels to run on; default {@link Kernels#best()}
         * @return this builder
         */
        public Builder kernels(Kernels kernels) {
            this.kernels = Objects.requireNonNull(kernels, "kernels");
            return this;
        }

        /**
         * Splits the rows of large layers (≥ 2¹⁸ weights) of single-row predictions across threads: the
         * calling thread takes one part, {@code parallelism − 1} parts go to the executor. Worth it when
         * weights stream from memory (one core rarely saturates it); each such layer then allocates a few
         * small objects per call. Default: everything on the calling thread.
         *
         * @param executor    runs the other parts, e.g. a fixed pool of {@code parallelism − 1} threads
         * @param parallelism number of parts, ≥ 1
         * @return this builder
         */
        public Builder executor(Executor executor, int parallelism) {
            Objects.requireNonNull(executor, "executor");
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be >= 1 but was " + parallelism);
            }
            this.executor = executor;
            this.parallelism = parallelism;
            return this;
        }

        /** @return the network */
        public DenseNetwork build() {
            if (built) {
                throw new IllegalStateException("this builder has already built a network");
            }
            if (specs.isEmpty()) {
                throw new IllegalStateException("add at least one layer before build()");
            }
            if (activationFormat == ActivationFormat.INT8_DYNAMIC && weightFormat != WeightFormat.INT8) {
                throw new IllegalStateException("INT8_DYNAMIC activations need INT8 weights but weights are " + weightFormat);
            }
            built = true;
            Layer[] layers = new Layer[specs.size()];
            QuantReport.Builder report = QuantReport.builder();
            for (int i = 0; i < layers.length; i++) {
                Spec s = specs.get(i);
                String name = "layer" + (i + 1) + ".weight";
                boolean packed = inputMajor(s.out(), s.in());
                int ld = KernelSupport.inputMajorStride(s.out());
                layers[i] = switch (weightFormat) {
                    case FP32 -> {
                        report.fp32(name, s.weights(), s.out(), s.in());
                        yield packed
                                ? new Layer(s.out(), s.in(), null, null, null, null, s.bias(), s.activation(), ld,
                                        packInputMajor(s.weights(), s.out(), s.in(), ld), null)
                                : Layer.rowMajor(s.out(), s.in(), s.weights(), null, null, null, s.bias(),
                                        s.activation());
                    }
                    case FP16 -> {
                        report.fp16(name, s.weights());
                        short[] h = new short[s.weights().length];
                        kernels.toFp16(s.weights(), h);
                        if (!packed) {
                            yield Layer.rowMajor(s.out(), s.in(), null, h, null, null, s.bias(), s.activation());
                        }
                        // a small layer runs on its halves decoded once, exactly, to fp32 (JDK 25 has no fp16
                        // lanes, and converting them on every call cost more than the products)
                        float[] decoded = new float[h.length];
                        kernels.toFp32(h, decoded);
                        yield new Layer(s.out(), s.in(), null, h, null, null, s.bias(), s.activation(), ld,
                                packInputMajor(decoded, s.out(), s.in(), ld), null);
                    }
                    case INT8 -> {
                        QuantizedTensor q = int8Spec.quantize(s.weights(), s.out(), s.in());
                        report.add(name, s.weights(), q);
                        float[] scales = new float[s.out()];
                        for (int r = 0; r < s.out(); r++) {
                            scales[r] = q.params().scale(q.params().groups() == 1 ? 0 : r);
                        }
                        yield packed
                                ? new Layer(s.out(), s.in(), null, null, null, scales, s.bias(), s.activation(), ld,
                                        null, packInputMajor(q.levelsView(), s.out(), s.in(), ld))
                                : Layer.rowMajor(s.out(), s.in(), null, null, q.levelsView(), scales, s.bias(),
                                        s.activation());
                    }
                };
            }
            return new DenseNetwork(this, layers, report.build());
        }
    }
}
