package org.mlops4j.quant;

/**
 * bfloat16 stored as raw bits in {@code short}s: the upper half of an fp32 (same 8-bit exponent, so the
 * same range as fp32, with 8 significant bits). Encoding rounds to nearest, ties to even; NaN stays a
 * (quiet) NaN; infinities stay infinite; values that round past the largest finite bf16 become infinite,
 * as in IEEE rounding. Decoding is exact.
 * {@snippet :
 * short[] b = Bf16.encode(new float[] {3.14159f});  // 3.140625
 * float[] back = Bf16.decode(b);
 * }
 * Stateless; thread-safe.
 */
public final class Bf16 {

    private Bf16() {
    }

    /**
     * @param x value
     * @return bf16 bits, rounded to nearest even
     */
    public static short encode(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /**
     * @param h bf16 bits
     * @return the exact float value
     */
    public static float decode(short h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }

    /**
     * @param values fp32 values
     * @return bf16 bits, same length
     */
    public static short[] encode(float[] values) {
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = encode(values[i]);
        }
        return out;
    }

    /**
     * @param values bf16 bits
     * @return float values, same length
     */
    public static float[] decode(short[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = decode(values[i]);
        }
        return out;
    }
}
