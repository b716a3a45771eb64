package org.mlops4j.quant.internal;

/**
 * The kernel contract: primitive arrays, explicit offsets and lengths, no validation (the public facade
 * {@code org.mlops4j.quant.Kernels} checks arguments once). Matrices are row-major; a matrix-vector
 * product covers the rows {@code [rowFrom, rowTo)} so callers can split rows across threads.
 * Implementations must not allocate per call and must keep their hot loops monomorphic (static helpers,
 * no vector objects crossing an interface).
 *
 * <p>Internal: not part of the public API.
 *
 * <pre>{@code
 * KernelSupport k = KernelLookup.lookup();
 * int dot = k.dotInt8(a, 0, b, 0, n);             // no checks here: the facade checked the offsets
 * }</pre>
 */
public interface KernelSupport {

    /** @return a short name for logs and reports: {@code scalar} or {@code panama-<bits>} */
    String name();

    /** @return the vector width in bits, 0 for the scalar kernels */
    int bits();

    /** int8 · int8 with int32 accumulation (wraps modulo 2^32 like Java int arithmetic). */
    int dotInt8(byte[] a, int aOff, byte[] b, int bOff, int n);

    /** fp32 · fp32. */
    float dotFp32(float[] a, int aOff, float[] b, int bOff, int n);

    /** fp16 · fp16 (IEEE half bit patterns in shorts), accumulated in fp32. */
    float dotFp16(short[] a, int aOff, short[] b, int bOff, int n);

    /** fp16 · fp32, accumulated in fp32. */
    float dotFp16Fp32(short[] a, int aOff, float[] b, int bOff, int n);

    /** int8 · fp32, accumulated in fp32 (no scale applied). */
    float dotInt8Fp32(byte[] a, int aOff, float[] b, int bOff, int n);

    /** Saturating fp32 → fp16: beyond ±65504 (infinities included) becomes ±65504, NaN stays NaN. */
    void toFp16(float[] src, int srcOff, short[] dst, int dstOff, int n);

    /** fp16 → fp32 (exact). */
    void toFp32(short[] src, int srcOff, float[] dst, int dstOff, int n);

    /**
     * q = clamp(rint(x · invScale), qmin − zeroPoint, qmax − zeroPoint) + zeroPoint; NaN maps to the
     * zero point, ±Infinity saturate.
     */
    void quantize(float[] src, int srcOff, byte[] dst, int dstOff, int n, float invScale, int zeroPoint,
            int qmin, int qmax);

    /** x = (q − zeroPoint) · scale. */
    void dequantize(byte[] src, int srcOff, float[] dst, int dstOff, int n, float scale, int zeroPoint);

    /** max |x|; NaN if any value is NaN; 0 for n == 0. */
    float maxAbs(float[] x, int off, int n);

    /** Index (relative to off) of the first NaN, or else of the first largest value. */
    int argmax(float[] x, int off, int n);

    /** x = max(x, 0) in place (NaN stays NaN, −0.0 stays −0.0). */
    void relu(float[] x, int off, int n);

    /**
     * dst[dstOff + r·w + c] = ((float) src[srcOff + r·w + c] − mean[c]) / scale[c] for r &lt; rows, c &lt; w =
     * mean.length: float subtraction and division, so the same bits in both implementations.
     */
    void standardize(double[] src, int srcOff, int rows, float[] mean, float[] scale, float[] dst, int dstOff);

    /** y[r] = w[r,:] · x for r in [rowFrom, rowTo). */
    void matvecFp32(float[] w, int cols, float[] x, float[] y, int rowFrom, int rowTo);

    /** y[r] = w[r,:] · x with fp16 weights. */
    void matvecFp16(short[] w, int cols, float[] x, float[] y, int rowFrom, int rowTo);

    /** y[r] = scales[r] · (w[r,:] · x) with int8 weights and fp32 activations. */
    void matvecInt8Fp32(byte[] w, float[] scales, int cols, float[] x, float[] y, int rowFrom, int rowTo);

    /**
     * int8 weights × int8 activations with int32 accumulation: {@code yInt[r] = w[r,:] · x} when
     * {@code yInt != null}, else {@code y[r] = scales[r] · xScale · (w[r,:] · x)}.
     */
    void matvecInt8(byte[] w, float[] scales, int cols, byte[] x, float xScale, int[] yInt, float[] y,
            int rowFrom, int rowTo);

    /**
     * Padding unit of the input-major ("transposed") layout of the {@code *T} kernels below: a weight matrix
     * of {@code out} rows and {@code in} columns is stored as {@code wT[j·ld + r] = w[r, j]} with
     * {@code ld = roundUp(out, INPUT_MAJOR_ALIGN)} and zeros in the padding, so every vector width up to 512
     * bits loads whole vectors without masks. Byte matrices carry {@value #INPUT_MAJOR_ALIGN} more bytes at
     * the end (a 128-bit kernel reads 8 bytes to convert 4).
     */
    int INPUT_MAJOR_ALIGN = 16;

    /** @return ld for a matrix of {@code out} rows in the input-major layout */
    static int inputMajorStride(int out) {
        return (out + INPUT_MAJOR_ALIGN - 1) / INPUT_MAJOR_ALIGN * INPUT_MAJOR_ALIGN;
    }

    /**
     * y[yOff + r] = Σ_j wT[j·ld + r] · x[xOff + j] for r in [0, out), weights input-major (see
     * {@link #INPUT_MAJOR_ALIGN}): broadcast x_j times contiguous output lanes, no horizontal sums.
     */
    void matvecFp32T(float[] wT, int ld, int in, int out, float[] x, int xOff, float[] y, int yOff);

    /** y[yOff + r] = scales[r] · Σ_j wT[j·ld + r] · x[xOff + j], int8 weights input-major, fp32 activations. */
    void matvecInt8Fp32T(byte[] wT, int ld, int in, int out, float[] scales, float[] x, int xOff, float[] y,
            int yOff);

    /**
     * y[yOff + r] = s · (scales[r] · xScale) with s = Σ_j wT[j·ld + r] · x[xOff + j] summed exactly in int32
     * (wrapping like Java int arithmetic): the same float expression as {@link #matvecInt8}, so the same bits.
     */
    void matvecInt8T(byte[] wT, int ld, int in, int out, float[] scales, byte[] x, int xOff, float xScale,
            float[] y, int yOff);

    /** c[i·n + j] = a[i,:] · bT[j,:] with a (m × k) and bT (n × k), both row-major. */
    void matmulFp32(float[] a, int m, float[] bT, int n, int k, float[] c);

    /**
     * int8 matrix product with int32 accumulation: {@code cInt[i·n + j] = a[i,:] · bT[j,:]} when
     * {@code cInt != null}, else {@code c[i·n + j] = aScales[i] · bScales[j] · (a[i,:] · bT[j,:])}.
     */
    void matmulInt8(byte[] a, float[] aScales, int m, byte[] bT, float[] bScales, int n, int k, int[] cInt,
            float[] c);
}
