package org.mlops4j.quant;

/**
 * IEEE 754 half precision (fp16) stored as raw bits in {@code short}s: 1 sign, 5 exponent, 10 mantissa
 * bits; largest finite value 65504, smallest normal 2⁻¹⁴, smallest subnormal 2⁻²⁴.
 *
 * <p>Encoding rounds to nearest, ties to even, and <b>saturates</b>: finite values beyond ±65504 and
 * ±Infinity become ±65504 (a weight never turns into infinity); NaN stays NaN; values below the subnormal
 * range round to ±0. Decoding is exact. Array versions run on {@link Kernels#best()}.
 * {@snippet :
 * short[] half = Fp16.encode(new float[] {1.5f, 1e6f, Float.NaN});  // 1e6 saturates to 65504
 * float[] back = Fp16.decode(half);                                  // {1.5, 65504, NaN}
 * }
 * Stateless; thread-safe.
 */
public final class Fp16 {

    /** Largest finite fp16 value. */
    public static final float MAX = 65504f;
    /** Smallest positive subnormal fp16 value, 2⁻²⁴. */
    public static final float MIN_SUBNORMAL = 0x1p-24f;

    private Fp16() {
    }

    /**
     * @param x value
     * @return saturating fp16 bits
     */
    public static short encode(float x) {
        return Float.floatToFloat16(Math.min(Math.max(x, -MAX), MAX));
    }

    /**
     * @param h fp16 bits
     * @return the exact float value
     */
    public static float decode(short h) {
        return Float.float16ToFloat(h);
    }

    /**
     * @param values fp32 values
     * @return saturating fp16 bits, same length
     */
    public static short[] encode(float[] values) {
        short[] h = new short[values.length];
        Kernels.best().toFp16(values, h);
        return h;
    }

    /**
     * @param halves fp16 bits
     * @return float values, same length
     */
    public static float[] decode(short[] halves) {
        float[] f = new float[halves.length];
        Kernels.best().toFp32(halves, f);
        return f;
    }

    /** The smallest fp16 value ≥ scale, within [2⁻²⁴, 65504]: a block scale that still covers its range. */
    static float roundUpScale(float scale) {
        float s = Math.min(Math.max(scale, MIN_SUBNORMAL), MAX);
        short h = Float.floatToFloat16(s);
        float back = Float.float16ToFloat(h);
        if (back < s) {
            back = Float.float16ToFloat((short) (h + 1));
        }
        return back;
    }
}
