package org.mlops4j.quant.internal;

/**
 * The default kernels: plain Java, unrolled with independent accumulators so the CPU can overlap the
 * multiply-adds (a single accumulator serialises on the add latency). Also the reference the Vector API
 * kernels are tested against, and the source of the shared element-wise formulas (quantisation
 * rounding, saturating fp16) so both implementations round identically.
 *
 * <p>Internal: not part of the public API. Stateless and thread-safe.
 *
 * <pre>{@code
 * KernelSupport reference = new ScalarKernels();   // what the parity tests compare the SIMD kernels with
 * float d = reference.dotFp32(a, 0, b, 0, n);
 * }</pre>
 */
public final class ScalarKernels implements KernelSupport {

    /** Adding and subtracting 1.5·2^23 rounds a float with |v| &lt; 2^22 to the nearest integer, ties to even. */
    static final float RINT_MAGIC = 0x1.8p23f;
    /** Largest finite fp16 value. */
    static final float FP16_MAX = 65504f;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int bits() {
        return 0;
    }

    /** The one quantisation formula both implementations use; lo/hi are the clamp bounds minus the zero point. */
    static byte quantizeOne(float x, float invScale, float lo, float hi, int zeroPoint) {
        float v = Math.min(Math.max(x * invScale, lo), hi);
        v = (v + RINT_MAGIC) - RINT_MAGIC;
        return (byte) ((int) v + zeroPoint);
    }

    /** Saturating fp32 → fp16 bits. */
    static short fp16(float x) {
        return Float.floatToFloat16(Math.min(Math.max(x, -FP16_MAX), FP16_MAX));
    }

    /**
     * Stores one int8 product sum: raw into {@code yInt[idx]} when it is given, else scaled,
     * {@code sum · (scales[si] · other)}, the one rescale formula both implementations use.
     */
    static void storeInt8(int sum, int[] yInt, float[] y, int idx, float[] scales, int si, float other) {
        if (yInt != null) {
            yInt[idx] = sum;
        } else {
            y[idx] = sum * (scales[si] * other);
        }
    }

    static void toFp16Loop(float[] src, int srcOff, short[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = fp16(src[srcOff + i]);
        }
    }

    static void toFp32Loop(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Float.float16ToFloat(src[srcOff + i]);
        }
    }

    static void dequantizeLoop(byte[] src, int srcOff, float[] dst, int dstOff, int n, float scale, int zeroPoint) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = (src[srcOff + i] - zeroPoint) * scale;
        }
    }

    static int argmaxOf(float[] x, int off, int n, float max) {
        if (max != max) {
            for (int i = 0; i < n; i++) {
                if (Float.isNaN(x[off + i])) {
                    return i;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (x[off + i] == max) {
                return i;
            }
        }
        return n == 0 ? -1 : 0;
    }

    @Override
    public int dotInt8(byte[] a, int aOff, byte[] b, int bOff, int n) {
        int s0 = 0;
        int s1 = 0;
        int s2 = 0;
        int s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return s0 + s1 + s2 + s3;
    }

    @Override
    public float dotFp32(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 = Math.fma(a[aOff + i], b[bOff + i], s0);
            s1 = Math.fma(a[aOff + i + 1], b[bOff + i + 1], s1);
            s2 = Math.fma(a[aOff + i + 2], b[bOff + i + 2], s2);
            s3 = Math.fma(a[aOff + i + 3], b[bOff + i + 3], s3);
        }
        for (; i < n; i++) {
            s0 = Math.fma(a[aOff + i], b[bOff + i], s0);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float dotFp16(short[] a, int aOff, short[] b, int bOff, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 = Math.fma(Float.float16ToFloat(a[aOff + i]), Float.float16ToFloat(b[bOff + i]), s0);
            s1 = Math.fma(Float.float16ToFloat(a[aOff + i + 1]), Float.float16ToFloat(b[bOff + i + 1]), s1);
            s2 = Math.fma(Float.float16ToFloat(a[aOff + i + 2]), Float.float16ToFloat(b[bOff + i + 2]), s2);
            s3 = Math.fma(Float.float16ToFloat(a[aOff + i + 3]), Float.float16ToFloat(b[bOff + i + 3]), s3);
        }
        for (; i < n; i++) {
            s0 = Math.fma(Float.float16ToFloat(a[aOff + i]), Float.float16ToFloat(b[bOff + i]), s0);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float dotFp16Fp32(short[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 = Math.fma(Float.float16ToFloat(a[aOff + i]), b[bOff + i], s0);
            s1 = Math.fma(Float.float16ToFloat(a[aOff + i + 1]), b[bOff + i + 1], s1);
            s2 = Math.fma(Float.float16ToFloat(a[aOff + i + 2]), b[bOff + i + 2], s2);
            s3 = Math.fma(Float.float16ToFloat(a[aOff + i + 3]), b[bOff + i + 3], s3);
        }
        for (; i < n; i++) {
            s0 = Math.fma(Float.float16ToFloat(a[aOff + i]), b[bOff + i], s0);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float dotInt8Fp32(byte[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 = Math.fma(a[aOff + i], b[bOff + i], s0);
            s1 = Math.fma(a[aOff + i + 1], b[bOff + i + 1], s1);
            s2 = Math.fma(a[aOff + i + 2], b[bOff + i + 2], s2);
            s3 = Math.fma(a[aOff + i + 3], b[bOff + i + 3], s3);
        }
        for (; i < n; i++) {
            s0 = Math.fma(a[aOff + i], b[bOff + i], s0);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void toFp16(float[] src, int srcOff, short[] dst, int dstOff, int n) {
        toFp16Loop(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void toFp32(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        toFp32Loop(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void quantize(float[] src, int srcOff, byte[] dst, int dstOff, int n, float invScale, int zeroPoint,
            int qmin, int qmax) {
        float lo = qmin - zeroPoint;
        float hi = qmax - zeroPoint;
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = quantizeOne(src[srcOff + i], invScale, lo, hi, zeroPoint);
        }
    }

    @Override
    public void dequantize(byte[] src, int srcOff, float[] dst, int dstOff, int n, float scale, int zeroPoint) {
        dequantizeLoop(src, srcOff, dst, dstOff, n, scale, zeroPoint);
    }

    @Override
    public float maxAbs(float[] x, int off, int n) {
        float m0 = 0;
        float m1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            m0 = Math.max(m0, Math.abs(x[off + i]));
            m1 = Math.max(m1, Math.abs(x[off + i + 1]));
        }
        for (; i < n; i++) {
            m0 = Math.max(m0, Math.abs(x[off + i]));
        }
        return Math.max(m0, m1);
    }

    @Override
    public int argmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        return argmaxOf(x, off, n, max);
    }

    @Override
    public void relu(float[] x, int off, int n) {
        for (int i = 0; i < n; i++) {
            if (x[off + i] < 0) {
                x[off + i] = 0;
            }
        }
    }

    @Override
    public void standardize(double[] src, int srcOff, int rows, float[] mean, float[] scale, float[] dst, int dstOff) {
        int w = mean.length;
        for (int r = 0; r < rows; r++) {
            int i = srcOff + r * w;
            int o = dstOff + r * w;
            for (int c = 0; c < w; c++) {
                dst[o + c] = ((float) src[i + c] - mean[c]) / scale[c];
            }
        }
    }

    @Override
    public void matvecFp32(float[] w, int cols, float[] x, float[] y, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            y[r] = dotFp32(w, r * cols, x, 0, cols);
        }
    }

    @Override
    public void matvecFp16(short[] w, int cols, float[] x, float[] y, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            y[r] = dotFp16Fp32(w, r * cols, x, 0, cols);
        }
    }

    @Override
    public void matvecInt8Fp32(byte[] w, float[] scales, int cols, float[] x, float[] y, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            y[r] = scales[r] * dotInt8Fp32(w, r * cols, x, 0, cols);
        }
    }

    @Override
    public void matvecInt8(byte[] w, float[] scales, int cols, byte[] x, float xScale, int[] yInt, float[] y,
            int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            storeInt8(dotInt8(w, r * cols, x, 0, cols), yInt, y, r, scales, r, xScale);
        }
    }

    // Input-major kernels: one output at a time, a plain sum over j in order (the reference the vector
    // kernels are tested against).

    @Override
    public void matvecFp32T(float[] wT, int ld, int in, int out, float[] x, int xOff, float[] y, int yOff) {
        for (int r = 0; r < out; r++) {
            float s = 0;
            for (int j = 0, p = r; j < in; j++, p += ld) {
                s += wT[p] * x[xOff + j];
            }
            y[yOff + r] = s;
        }
    }

    @Override
    public void matvecInt8Fp32T(byte[] wT, int ld, int in, int out, float[] scales, float[] x, int xOff, float[] y,
            int yOff) {
        for (int r = 0; r < out; r++) {
            float s = 0;
            for (int j = 0, p = r; j < in; j++, p += ld) {
                s += wT[p] * x[xOff + j];
            }
            y[yOff + r] = scales[r] * s;
        }
    }

    @Override
    public void matvecInt8T(byte[] wT, int ld, int in, int out, float[] scales, byte[] x, int xOff, float xScale,
            float[] y, int yOff) {
        for (int r = 0; r < out; r++) {
            int s = 0;
            for (int j = 0, p = r; j < in; j++, p += ld) {
                s += wT[p] * x[xOff + j];
            }
            storeInt8(s, null, y, yOff + r, scales, r, xScale);
        }
    }

    @Override
    public void matmulFp32(float[] a, int m, float[] bT, int n, int k, float[] c) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[i * n + j] = dotFp32(a, i * k, bT, j * k, k);
            }
        }
    }

    @Override
    public void matmulInt8(byte[] a, float[] aScales, int m, byte[] bT, float[] bScales, int n, int k, int[] cInt,
            float[] c) {
        for (int i = 0; i < m; i++) {
            float as = aScales == null ? 0f : aScales[i];
            for (int j = 0; j < n; j++) {
                storeInt8(dotInt8(a, i * k, bT, j * k, k), cInt, c, i * n + j, bScales, j, as);
            }
        }
    }
}
