package org.mlops4j.quant;

import java.util.Arrays;

/**
 * Fitted int8 parameters (the fitted state of an {@link Int8Spec}): one scale and zero point per group,
 * for a tensor of a fixed shape (or, for per-tensor parameters, any array). Groups are contiguous runs of
 * the row-major tensor: the whole tensor, one row, or one block of a row.
 *
 * <p>Quantising: {@code q = clamp(rint(x / scale) + zeroPoint, qmin, qmax)}; dequantising:
 * {@code (q − zeroPoint) · scale}. Within a group's clipping range {@code [clipLow(g), clipHigh(g)]} the
 * round trip is off by at most {@code scale/2} (plus float rounding); values beyond it are clipped.
 * {@snippet :
 * QuantParams p = Int8Spec.perChannel().fit(weights, rows, cols);
 * float s = p.scale(0);                 // scale of output channel 0
 * QuantizedTensor q = p.quantize(weights);
 * }
 * Immutable and thread-safe.
 */
public final class QuantParams {

    private final Int8Spec spec;
    private final int rows;
    private final int cols;
    private final float[] scales;
    private final int[] zeroPoints;

    private QuantParams(Int8Spec spec, int rows, int cols, float[] scales, int[] zeroPoints) {
        this.spec = spec;
        this.rows = rows;
        this.cols = cols;
        this.scales = scales;
        this.zeroPoints = zeroPoints;
    }

    static QuantParams fit(Int8Spec spec, float[] values, int rows, int cols) {
        shape(values, rows, cols);
        requireFinite(values);
        int groups = groupCount(spec, rows, cols);
        float[] scales = new float[groups];
        int[] zeroPoints = new int[groups];
        QuantParams p = new QuantParams(spec, rows, cols, scales, zeroPoints);
        float[] range = new float[2];
        for (int g = 0; g < groups; g++) {
            int from = p.groupStart(g);
            int to = p.groupEnd(g);
            Calibrator.clipRange(spec, values, from, to, range);
            Grid grid = Grid.of(spec, range[0], range[1]);
            scales[g] = grid.scale();
            zeroPoints[g] = grid.zeroPoint();
        }
        return p;
    }

    static void shape(float[] values, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("rows and cols must be >= 1 but were " + rows + " and " + cols);
        }
        Kernels.matrix("values", values.length, rows, cols);
    }

    static void requireFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("values[" + i + "] is " + values[i]
                        + ": int8 quantisation needs finite values (clean or clip the tensor first)");
            }
        }
    }

    private static int groupCount(Int8Spec spec, int rows, int cols) {
        return switch (spec.granularity()) {
            case PER_TENSOR -> 1;
            case PER_CHANNEL -> rows;
            case PER_BLOCK -> Math.multiplyExact(rows, blocksPerRow(spec, cols));
        };
    }

    private static int blocksPerRow(Int8Spec spec, int cols) {
        return (cols + spec.blockSize() - 1) / spec.blockSize();
    }

    /** @return the spec these parameters were fitted for */
    public Int8Spec spec() {
        return spec;
    }

    /** @return rows of the fitted shape */
    public int rows() {
        return rows;
    }

    /** @return columns of the fitted shape */
    public int cols() {
        return cols;
    }

    /** @return number of (scale, zero point) groups */
    public int groups() {
        return scales.length;
    }

    /**
     * @param group group index
     * @return its scale (&gt; 0, finite)
     */
    public float scale(int group) {
        return scales[group];
    }

    /**
     * @param group group index
     * @return its zero point (0 for symmetric specs)
     */
    public int zeroPoint(int group) {
        return zeroPoints[group];
    }

    /** @return a copy of all scales */
    public float[] scales() {
        return scales.clone();
    }

    /** @return a copy of all zero points */
    public int[] zeroPoints() {
        return zeroPoints.clone();
    }

    /** @return smallest int8 level: −127 symmetric, −128 asymmetric */
    public int qmin() {
        return spec.symmetric() ? -127 : -128;
    }

    /** @return largest int8 level, 127 */
    public int qmax() {
        return 127;
    }

    /**
     * @param group group index
     * @return the lowest value represented without clipping
     */
    public float clipLow(int group) {
        return (qmin() - zeroPoints[group]) * scales[group];
    }

    /**
     * @param group group index
     * @return the highest value represented without clipping
     */
    public float clipHigh(int group) {
        return (qmax() - zeroPoints[group]) * scales[group];
    }

    /**
     * @param group group index
     * @return first flat index of the group (for per-tensor parameters applied to other lengths: 0)
     */
    public int groupStart(int group) {
        return switch (spec.granularity()) {
            case PER_TENSOR -> 0;
            case PER_CHANNEL -> group * cols;
            case PER_BLOCK -> {
                int bpr = blocksPerRow(spec, cols);
                yield (group / bpr) * cols + (group % bpr) * spec.blockSize();
            }
        };
    }

    /**
     * @param group group index
     * @return flat index after the group's last value
     */
    public int groupEnd(int group) {
        return switch (spec.granularity()) {
            case PER_TENSOR -> rows * cols;
            case PER_CHANNEL -> (group + 1) * cols;
            case PER_BLOCK -> {
                int bpr = blocksPerRow(spec, cols);
                int row = group / bpr;
                yield row * cols + Math.min(cols, (group % bpr + 1) * spec.blockSize());
            }
        };
    }

    /**
     * Quantises a tensor of the fitted shape; per-tensor parameters accept an array of any length.
     *
     * @param values finite values
     * @return the quantised tensor
     * @throws IllegalArgumentException for a wrong length or a NaN/infinite value
     */
    public QuantizedTensor quantize(float[] values) {
        return quantize(values, Kernels.best());
    }

    /**
     * @param values  finite values
     * @param kernels the kernels to run
     * @return the quantised tensor
     */
    public QuantizedTensor quantize(float[] values, Kernels kernels) {
        QuantParams p = this;
        if (spec.granularity() == Granularity.PER_TENSOR && values.length != rows * cols) {
            if (values.length == 0) {
                throw new IllegalArgumentException("values must not be empty");
            }
            p = new QuantParams(spec, 1, values.length, scales, zeroPoints);
        }
        Kernels.matrix("values", values.length, p.rows, p.cols);
        requireFinite(values);
        byte[] q = new byte[values.length];
        for (int g = 0; g < p.groups(); g++) {
            int from = p.groupStart(g);
            kernels.quantize(values, from, q, from, p.groupEnd(g) - from, scales[g], zeroPoints[g], qmin(), qmax());
        }
        return new QuantizedTensor(p, q);
    }

    /** @return total bytes of the parameters: fp16 scales per block, else fp32; 1 byte per zero point */
    long parameterBytes() {
        long scaleBytes = spec.granularity() == Granularity.PER_BLOCK ? 2 : 4;
        return groups() * (scaleBytes + (spec.symmetric() ? 0 : 1));
    }

    @Override
    public String toString() {
        return "QuantParams[" + spec.describe() + ", " + rows + "×" + cols + ", " + groups() + " groups, scales "
                + Arrays.toString(Arrays.copyOf(scales, Math.min(4, scales.length)))
                + (scales.length > 4 ? "…" : "") + "]";
    }

    /** A quantisation grid for one group. */
    record Grid(float scale, int zeroPoint, int qmin, int qmax) {

        static Grid of(Int8Spec spec, float lo, float hi) {
            float scale;
            int zero = 0;
            if (spec.symmetric()) {
                float t = Math.max(Math.abs(lo), Math.abs(hi));
                scale = guard(t / 127f, t == 0);
            } else {
                float l = Math.min(lo, 0f);
                float h = Math.max(hi, 0f);
                scale = guard((float) (((double) h - l) / 255.0), h == l);
            }
            if (spec.granularity() == Granularity.PER_BLOCK) {
                scale = Fp16.roundUpScale(scale);
            }
            if (!spec.symmetric()) {
                float l = Math.min(lo, 0f);
                zero = (int) Math.max(-128, Math.min(127, -128 - Math.rint(l / scale)));
            }
            return new Grid(scale, zero, spec.symmetric() ? -127 : -128, 127);
        }

        private static float guard(float scale, boolean allZero) {
            if (allZero) {
                return 1f;
            }
            return scale >= Float.MIN_NORMAL ? scale : Float.MIN_NORMAL;
        }

        /** Quantise-dequantise one value exactly as the kernels do. */
        float roundTrip(float x) {
            float lo = qmin - zeroPoint;
            float hi = qmax - zeroPoint;
            float v = Math.min(Math.max(x * (1f / scale), lo), hi);
            v = (v + 0x1.8p23f) - 0x1.8p23f;
            return v * scale;
        }
    }
}
