package org.mlops4j.quant;

/**
 * An int8 tensor with its {@link QuantParams}: row-major levels plus one scale (and zero point) per group.
 * {@snippet :
 * QuantizedTensor q = Int8Spec.q8_0().quantize(weights, rows, cols);
 * float[] approx = q.dequantize();
 * long bytes = q.sizeInBytes();          // 34 bytes per block of 32, as Q8_0
 * }
 * Immutable (accessors copy) and thread-safe.
 */
public final class QuantizedTensor {

    private final QuantParams params;
    private final byte[] levels;

    QuantizedTensor(QuantParams params, byte[] levels) {
        this.params = params;
        this.levels = levels;
    }

    /** @return the parameters (shape, scales, zero points) */
    public QuantParams params() {
        return params;
    }

    /** @return rows */
    public int rows() {
        return params.rows();
    }

    /** @return columns */
    public int cols() {
        return params.cols();
    }

    /** @return a copy of the int8 levels, row-major */
    public byte[] levels() {
        return levels.clone();
    }

    /**
     * @param index flat row-major index
     * @return the int8 level there
     */
    public byte level(int index) {
        return levels[index];
    }

    byte[] levelsView() {
        return levels;
    }

    /** @return the dequantised values, {@code (q − zeroPoint) · scale} per group */
    public float[] dequantize() {
        float[] out = new float[levels.length];
        Kernels k = Kernels.best();
        for (int g = 0; g < params.groups(); g++) {
            int from = params.groupStart(g);
            k.dequantize(levels, from, out, from, params.groupEnd(g) - from, params.scale(g), params.zeroPoint(g));
        }
        return out;
    }

    /** @return storage: one byte per value plus scales (fp16 for blocks, else fp32) and 1-byte zero points */
    public long sizeInBytes() {
        return levels.length + params.parameterBytes();
    }

    @Override
    public String toString() {
        return "QuantizedTensor[" + params.spec().describe() + ", " + rows() + "×" + cols() + ", " + sizeInBytes()
                + " bytes]";
    }
}
