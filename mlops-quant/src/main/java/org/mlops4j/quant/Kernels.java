package org.mlops4j.quant;

import java.util.Objects;
import org.mlops4j.quant.internal.KernelLookup;
import org.mlops4j.quant.internal.KernelSupport;
import org.mlops4j.quant.internal.ScalarKernels;

/**
 * Low-precision vector and matrix kernels over primitive arrays: int8, fp16 (IEEE half bit patterns in a
 * {@code short[]}) and fp32. Arguments are validated here, once per call; the loops run in one of two
 * implementations: tuned scalar Java (always available) or Vector API code, chosen once at start-up by
 * {@link #best()}. The Vector API code runs at the platform's preferred vector width rounded down to 512,
 * 256 or 128 bits ({@code panama-512}, …; see {@link #name()}). Without
 * {@code --add-modules jdk.incubator.vector} on the command line the scalar kernels run and one WARN says
 * so. {@code -Dmlops.quant.kernels=scalar} forces the scalar kernels, {@code =panama-256} or
 * {@code =panama-128} a narrower width (never a wider one than the platform's).
 *
 * <p>Matrices are row-major {@code float[]}/{@code short[]}/{@code byte[]} arrays. Weight matrices are
 * {@code [rows = outputs][cols = inputs]}, so a dense layer is {@code y = W·x}; matrix products take the
 * second operand transposed ({@code C = A·Bᵀ}) so both walk memory contiguously.
 *
 * <p>Numeric contract (identical in both implementations): int8 products accumulate exactly in int32
 * (wrapping modulo 2³² like Java {@code int}, i.e. exact while {@code length·128² < 2³¹}); float sums may
 * differ between implementations by rounding order only; quantisation rounds half to even, saturates
 * ±Infinity to the range ends and maps NaN to the zero point; fp16 conversion saturates beyond ±65504
 * (infinities included) and keeps NaN. No kernel allocates.
 *
 * <p>Thread-safe and stateless: share one instance. Matrix–vector calls take a row range so callers can
 * split rows across threads.
 * {@snippet :
 * Kernels k = Kernels.best();
 * byte[] a = {1, -2, 3};
 * byte[] b = {4, 5, -6};
 * int dot = k.dotInt8(a, b);                     // 1·4 − 2·5 − 3·6 = −24
 * float[] w = {1, 2, 3, 4, 5, 6};                // 2 × 3
 * float[] y = new float[2];
 * k.matvec(w, 2, 3, new float[] {1, 1, 1}, y);   // y = [6, 15]
 * }
 */
public final class Kernels {

    private static final class Best {
        static final Kernels INSTANCE = new Kernels(KernelLookup.lookup());
    }

    private static final class Scalar {
        static final Kernels INSTANCE = new Kernels(new ScalarKernels());
    }

    private final KernelSupport impl;

    private Kernels(KernelSupport impl) {
        this.impl = impl;
    }

    /**
     * The best kernels this JVM can run, chosen on the first call (later calls return the same
     * instance). Logs INFO with the choice, or one WARN when it falls back to scalar.
     *
     * @return the shared kernels
     */
    public static Kernels best() {
        return Best.INSTANCE;
    }

    /** @return the scalar kernels (the reference; never touches the Vector API) */
    public static Kernels scalar() {
        return Scalar.INSTANCE;
    }

    /** @return implementation name: {@code scalar}, or {@code panama-512}, {@code panama-256} or {@code panama-128} */
    public String name() {
        return impl.name();
    }

    /** @return true when the Vector API implementation runs */
    public boolean isVectorized() {
        return !(impl instanceof ScalarKernels);
    }

    KernelSupport impl() {
        return impl;
    }

    @Override
    public String toString() {
        return "Kernels[" + impl.name() + "]";
    }

    // ------------------------------------------------------------------ validation

    private static void range(int length, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, length);
    }

    private static void sameLength(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("vectors must have the same length but were " + a + " and " + b);
        }
    }

    static void matrix(String name, int length, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(name + " dimensions must be >= 0 but were " + rows + " × " + cols);
        }
        if ((long) rows * cols != length) {
            throw new IllegalArgumentException(name + ".length must be rows·cols = " + rows + "·" + cols + " = "
                    + (long) rows * cols + " but was " + length);
        }
    }

    /** Whole-vector forms take exactly the vector; the row-range forms take buffers at least as long. */
    private static void exactly(String name, int length, int needed) {
        if (length != needed) {
            throw new IllegalArgumentException(name + ".length must be " + needed + " but was " + length);
        }
    }

    private static void atLeast(String name, int length, long needed) {
        if (length < needed) {
            throw new IllegalArgumentException(name + ".length must be >= " + needed + " but was " + length);
        }
    }

    private static void rows(int rowFrom, int rowTo, int rows) {
        Objects.checkFromToIndex(rowFrom, rowTo, rows);
    }

    private static void scale(float scale) {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0 but was " + scale);
        }
    }

    private static void int8(String name, int value) {
        if (value < -128 || value > 127) {
            throw new IllegalArgumentException(name + " must be in [-128, 127] but was " + value);
        }
    }

    // ------------------------------------------------------------------ dot products

    /**
     * @param a int8 vector
     * @param b int8 vector of the same length
     * @return Σ a[i]·b[i] in int32
     */
    public int dotInt8(byte[] a, byte[] b) {
        sameLength(a.length, b.length);
        return impl.dotInt8(a, 0, b, 0, a.length);
    }

    /**
     * @param a       int8 values
     * @param aOffset first index in a
     * @param b       int8 values
     * @param bOffset first index in b
     * @param length  number of products
     * @return Σ a[aOffset+i]·b[bOffset+i] in int32
     */
    public int dotInt8(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
        range(a.length, aOffset, length);
        range(b.length, bOffset, length);
        return impl.dotInt8(a, aOffset, b, bOffset, length);
    }

    /**
     * @param a fp32 vector
     * @param b fp32 vector of the same length
     * @return Σ a[i]·b[i]
     */
    public float dotFp32(float[] a, float[] b) {
        sameLength(a.length, b.length);
        return impl.dotFp32(a, 0, b, 0, a.length);
    }

    /**
     * @param a       fp32 values
     * @param aOffset first index in a
     * @param b       fp32 values
     * @param bOffset first index in b
     * @param length  number of products
     * @return Σ a[aOffset+i]·b[bOffset+i]
     */
    public float dotFp32(float[] a, int aOffset, float[] b, int bOffset, int length) {
        range(a.length, aOffset, length);
        range(b.length, bOffset, length);
        return impl.dotFp32(a, aOffset, b, bOffset, length);
    }

    /**
     * @param a fp16 bit patterns
     * @param b fp16 bit patterns, same length
     * @return Σ a[i]·b[i] accumulated in fp32
     */
    public float dotFp16(short[] a, short[] b) {
        sameLength(a.length, b.length);
        return impl.dotFp16(a, 0, b, 0, a.length);
    }

    /**
     * @param a       fp16 bit patterns
     * @param aOffset first index in a
     * @param b       fp16 bit patterns
     * @param bOffset first index in b
     * @param length  number of products
     * @return Σ a[aOffset+i]·b[bOffset+i] accumulated in fp32
     */
    public float dotFp16(short[] a, int aOffset, short[] b, int bOffset, int length) {
        range(a.length, aOffset, length);
        range(b.length, bOffset, length);
        return impl.dotFp16(a, aOffset, b, bOffset, length);
    }

    /**
     * @param a fp16 bit patterns (weights)
     * @param b fp32 values (activations), same length
     * @return Σ a[i]·b[i] accumulated in fp32
     */
    public float dotFp16Fp32(short[] a, float[] b) {
        sameLength(a.length, b.length);
        return impl.dotFp16Fp32(a, 0, b, 0, a.length);
    }

    /**
     * @param a int8 values (weights, unscaled)
     * @param b fp32 values (activations), same length
     * @return Σ a[i]·b[i] accumulated in fp32; multiply by the weights' scale
     */
    public float dotInt8Fp32(byte[] a, float[] b) {
        sameLength(a.length, b.length);
        return impl.dotInt8Fp32(a, 0, b, 0, a.length);
    }

    // ------------------------------------------------------------------ conversions

    /**
     * Saturating fp32 → fp16 (round to nearest even; beyond ±65504, infinities included, gives ±65504; NaN
     * stays NaN).
     *
     * @param src fp32 values
     * @param dst fp16 bit patterns, at least as long as src
     */
    public void toFp16(float[] src, short[] dst) {
        atLeast("dst", dst.length, src.length);
        impl.toFp16(src, 0, dst, 0, src.length);
    }

    /**
     * @param src       fp32 values
     * @param srcOffset first index in src
     * @param dst       fp16 bit patterns
     * @param dstOffset first index in dst
     * @param length    number of values
     */
    public void toFp16(float[] src, int srcOffset, short[] dst, int dstOffset, int length) {
        range(src.length, srcOffset, length);
        range(dst.length, dstOffset, length);
        impl.toFp16(src, srcOffset, dst, dstOffset, length);
    }

    /**
     * Exact fp16 → fp32.
     *
     * @param src fp16 bit patterns
     * @param dst fp32 values, at least as long as src
     */
    public void toFp32(short[] src, float[] dst) {
        atLeast("dst", dst.length, src.length);
        impl.toFp32(src, 0, dst, 0, src.length);
    }

    /**
     * @param src       fp16 bit patterns
     * @param srcOffset first index in src
     * @param dst       fp32 values
     * @param dstOffset first index in dst
     * @param length    number of values
     */
    public void toFp32(short[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        range(src.length, srcOffset, length);
        range(dst.length, dstOffset, length);
        impl.toFp32(src, srcOffset, dst, dstOffset, length);
    }

    /**
     * Affine int8 quantisation, {@code q = clamp(rint(x / scale) + zeroPoint, -128, 127)}; ±Infinity
     * saturate, NaN becomes the zero point.
     *
     * @param src       fp32 values
     * @param dst       int8 output, at least as long as src
     * @param scale     step between int8 levels, finite and > 0
     * @param zeroPoint int8 level of 0.0, in [-128, 127]
     */
    public void quantize(float[] src, byte[] dst, float scale, int zeroPoint) {
        quantize(src, 0, dst, 0, src.length, scale, zeroPoint, -128, 127);
    }

    /**
     * Symmetric int8 quantisation to [-127, 127] (zero point 0), so that −q is always representable.
     *
     * @param src   fp32 values
     * @param dst   int8 output, at least as long as src
     * @param scale step between int8 levels, finite and > 0 (typically maxAbs / 127)
     */
    public void quantizeSymmetric(float[] src, byte[] dst, float scale) {
        quantize(src, 0, dst, 0, src.length, scale, 0, -127, 127);
    }

    /**
     * @param src       fp32 values
     * @param srcOffset first index in src
     * @param dst       int8 output
     * @param dstOffset first index in dst
     * @param length    number of values
     * @param scale     step, finite and > 0
     * @param zeroPoint int8 level of 0.0
     * @param qmin      smallest level, in [-128, zeroPoint]
     * @param qmax      largest level, in [zeroPoint, 127]
     */
    public void quantize(float[] src, int srcOffset, byte[] dst, int dstOffset, int length, float scale,
            int zeroPoint, int qmin, int qmax) {
        range(src.length, srcOffset, length);
        range(dst.length, dstOffset, length);
        scale(scale);
        int8("zeroPoint", zeroPoint);
        int8("qmin", qmin);
        int8("qmax", qmax);
        if (qmin > zeroPoint || zeroPoint > qmax) {
            throw new IllegalArgumentException("need qmin <= zeroPoint <= qmax but got " + qmin + ", " + zeroPoint
                    + ", " + qmax);
        }
        impl.quantize(src, srcOffset, dst, dstOffset, length, 1f / scale, zeroPoint, qmin, qmax);
    }

    /**
     * {@code x = (q − zeroPoint) · scale}.
     *
     * @param src       int8 values
     * @param dst       fp32 output, at least as long as src
     * @param scale     step, finite and > 0
     * @param zeroPoint int8 level of 0.0
     */
    public void dequantize(byte[] src, float[] dst, float scale, int zeroPoint) {
        dequantize(src, 0, dst, 0, src.length, scale, zeroPoint);
    }

    /**
     * @param src       int8 values
     * @param srcOffset first index in src
     * @param dst       fp32 output
     * @param dstOffset first index in dst
     * @param length    number of values
     * @param scale     step, finite and > 0
     * @param zeroPoint int8 level of 0.0
     */
    public void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int length, float scale,
            int zeroPoint) {
        range(src.length, srcOffset, length);
        range(dst.length, dstOffset, length);
        scale(scale);
        int8("zeroPoint", zeroPoint);
        impl.dequantize(src, srcOffset, dst, dstOffset, length, scale, zeroPoint);
    }

    // ------------------------------------------------------------------ MLP helpers

    /**
     * @param x values
     * @return max |x[i]|, NaN if any value is NaN, 0 for an empty array
     */
    public float maxAbs(float[] x) {
        return impl.maxAbs(x, 0, x.length);
    }

    /**
     * @param x      values
     * @param offset first index
     * @param length number of values
     * @return max |x[offset+i]|, NaN if any is NaN
     */
    public float maxAbs(float[] x, int offset, int length) {
        range(x.length, offset, length);
        return impl.maxAbs(x, offset, length);
    }

    /**
     * @param x values
     * @return index of the first NaN if any, else of the first largest value; -1 for an empty array
     */
    public int argmax(float[] x) {
        return impl.argmax(x, 0, x.length);
    }

    /**
     * @param x      values
     * @param offset first index
     * @param length number of values
     * @return index relative to offset (see {@link #argmax(float[])})
     */
    public int argmax(float[] x, int offset, int length) {
        range(x.length, offset, length);
        return impl.argmax(x, offset, length);
    }

    /**
     * In place {@code x = max(x, 0)}; NaN stays NaN.
     *
     * @param x values
     */
    public void relu(float[] x) {
        impl.relu(x, 0, x.length);
    }

    /**
     * @param x      values
     * @param offset first index
     * @param length number of values
     */
    public void relu(float[] x, int offset, int length) {
        range(x.length, offset, length);
        impl.relu(x, offset, length);
    }

    /**
     * Row-major doubles to standardized floats in one pass: {@code dst[dstOffset + r·w + c] = ((float)
     * src[srcOffset + r·w + c] − mean[c]) / scale[c]} for each of {@code rows} rows of {@code w = mean.length}
     * columns. Float subtraction and division (not a multiplication by the inverse), so the result has the same
     * bits as that expression written in scalar Java, in both implementations. NaN and infinities pass through as
     * IEEE arithmetic makes them.
     * {@snippet :
     * double[] raw = {3, 10};                  // one row of two columns
     * float[] z = new float[2];
     * Kernels.best().standardize(raw, 0, 1, new float[] {1, 4}, new float[] {2, 3}, z, 0);   // z = [1, 2]
     * }
     *
     * @param src       raw rows, row-major
     * @param srcOffset index of the first value read
     * @param rows      rows to convert
     * @param mean      one mean per column
     * @param scale     one scale per column, as long as mean
     * @param dst       receives {@code rows · w} values
     * @param dstOffset index of the first value written
     */
    public void standardize(double[] src, int srcOffset, int rows, float[] mean, float[] scale, float[] dst, int dstOffset) {
        sameLength(mean.length, scale.length);
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0 but was " + rows);
        }
        long n = (long) rows * mean.length;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(rows + " rows of " + mean.length + " columns exceed an array");
        }
        range(src.length, srcOffset, (int) n);
        range(dst.length, dstOffset, (int) n);
        impl.standardize(src, srcOffset, rows, mean, scale, dst, dstOffset);
    }

    // ------------------------------------------------------------------ matrix–vector

    /**
     * {@code y = W·x} in fp32.
     *
     * @param w    weights, rows × cols row-major
     * @param rows output size
     * @param cols input size
     * @param x    input, exactly cols long
     * @param y    output, exactly rows long (the row-range form takes longer buffers)
     */
    public void matvec(float[] w, int rows, int cols, float[] x, float[] y) {
        exactly("x", x.length, cols);
        exactly("y", y.length, rows);
        matvec(w, rows, cols, x, y, 0, rows);
    }

    /**
     * {@code y[r] = W[r,:]·x} for rows {@code [rowFrom, rowTo)} only; other entries of y are untouched.
     *
     * @param w       weights, rows × cols row-major
     * @param rows    output size
     * @param cols    input size
     * @param x       input, at least cols long
     * @param y       output, at least rows long
     * @param rowFrom first row, inclusive
     * @param rowTo   last row, exclusive
     */
    public void matvec(float[] w, int rows, int cols, float[] x, float[] y, int rowFrom, int rowTo) {
        matrix("w", w.length, rows, cols);
        atLeast("x", x.length, cols);
        atLeast("y", y.length, rows);
        rows(rowFrom, rowTo, rows);
        impl.matvecFp32(w, cols, x, y, rowFrom, rowTo);
    }

    /**
     * {@code y = W·x} with fp16 weights and fp32 activations.
     *
     * @param w    fp16 weights, rows × cols row-major
     * @param rows output size
     * @param cols input size
     * @param x    input, exactly cols long
     * @param y    output, exactly rows long (the row-range form takes longer buffers)
     */
    public void matvecFp16(short[] w, int rows, int cols, float[] x, float[] y) {
        exactly("x", x.length, cols);
        exactly("y", y.length, rows);
        matvecFp16(w, rows, cols, x, y, 0, rows);
    }

    /**
     * Row range of {@link #matvecFp16(short[], int, int, float[], float[])}.
     *
     * @param w       fp16 weights
     * @param rows    output size
     * @param cols    input size
     * @param x       input
     * @param y       output
     * @param rowFrom first row, inclusive
     * @param rowTo   last row, exclusive
     */
    public void matvecFp16(short[] w, int rows, int cols, float[] x, float[] y, int rowFrom, int rowTo) {
        matrix("w", w.length, rows, cols);
        atLeast("x", x.length, cols);
        atLeast("y", y.length, rows);
        rows(rowFrom, rowTo, rows);
        impl.matvecFp16(w, cols, x, y, rowFrom, rowTo);
    }

    /**
     * {@code y[r] = scales[r] · (W[r,:]·x)} with int8 weights (one scale per output row) and fp32
     * activations.
     *
     * @param w      int8 weights, rows × cols row-major
     * @param scales per-row scales, at least rows long
     * @param rows   output size
     * @param cols   input size
     * @param x      input
     * @param y      output
     */
    public void matvecInt8(byte[] w, float[] scales, int rows, int cols, float[] x, float[] y) {
        exactly("x", x.length, cols);
        exactly("y", y.length, rows);
        matvecInt8(w, scales, rows, cols, x, y, 0, rows);
    }

    /**
     * Row range of {@link #matvecInt8(byte[], float[], int, int, float[], float[])}.
     *
     * @param w       int8 weights
     * @param scales  per-row scales
     * @param rows    output size
     * @param cols    input size
     * @param x       input
     * @param y       output
     * @param rowFrom first row, inclusive
     * @param rowTo   last row, exclusive
     */
    public void matvecInt8(byte[] w, float[] scales, int rows, int cols, float[] x, float[] y, int rowFrom,
            int rowTo) {
        matrix("w", w.length, rows, cols);
        atLeast("scales", scales.length, rows);
        atLeast("x", x.length, cols);
        atLeast("y", y.length, rows);
        rows(rowFrom, rowTo, rows);
        impl.matvecInt8Fp32(w, scales, cols, x, y, rowFrom, rowTo);
    }

    /**
     * int8 weights × int8 activations with int32 accumulation: {@code y[r] = W[r,:]·x} exactly.
     *
     * @param w    int8 weights, rows × cols row-major
     * @param rows output size
     * @param cols input size
     * @param x    int8 input
     * @param y    int32 output
     */
    public void matvecInt8(byte[] w, int rows, int cols, byte[] x, int[] y) {
        matrix("w", w.length, rows, cols);
        exactly("x", x.length, cols);
        exactly("y", y.length, rows);
        impl.matvecInt8(w, null, cols, x, 0f, y, null, 0, rows);
    }

    /**
     * int8 weights × int8 activations, int32 accumulation, fp32 rescale:
     * {@code y[r] = (W[r,:]·x) · (scales[r] · xScale)}.
     *
     * @param w      int8 weights, rows × cols row-major
     * @param scales per-row weight scales
     * @param rows   output size
     * @param cols   input size
     * @param x      int8 input (symmetric, zero point 0)
     * @param xScale scale of x
     * @param y      fp32 output
     */
    public void matvecInt8(byte[] w, float[] scales, int rows, int cols, byte[] x, float xScale, float[] y) {
        exactly("x", x.length, cols);
        exactly("y", y.length, rows);
        matvecInt8(w, scales, rows, cols, x, xScale, y, 0, rows);
    }

    /**
     * Row range of {@link #matvecInt8(byte[], float[], int, int, byte[], float, float[])}.
     *
     * @param w       int8 weights
     * @param scales  per-row weight scales
     * @param rows    output size
     * @param cols    input size
     * @param x       int8 input
     * @param xScale  scale of x
     * @param y       fp32 output
     * @param rowFrom first row, inclusive
     * @param rowTo   last row, exclusive
     */
    public void matvecInt8(byte[] w, float[] scales, int rows, int cols, byte[] x, float xScale, float[] y,
            int rowFrom, int rowTo) {
        matrix("w", w.length, rows, cols);
        atLeast("scales", scales.length, rows);
        atLeast("x", x.length, cols);
        atLeast("y", y.length, rows);
        rows(rowFrom, rowTo, rows);
        impl.matvecInt8(w, scales, cols, x, xScale, null, y, rowFrom, rowTo);
    }

    // ------------------------------------------------------------------ matrix–matrix

    /**
     * {@code C = A·Bᵀ} in fp32: {@code c[i·n + j] = A[i,:]·B[j,:]}.
     *
     * @param a  m × k row-major
     * @param m  rows of A and C
     * @param k  shared dimension
     * @param bT n × k row-major (B transposed, e.g. a weight matrix [outputs][inputs])
     * @param n  rows of bT, columns of C
     * @param c  m × n output
     */
    public void matmul(float[] a, int m, int k, float[] bT, int n, float[] c) {
        matrix("a", a.length, m, k);
        matrix("bT", bT.length, n, k);
        atLeast("c", c.length, (long) m * n);
        impl.matmulFp32(a, m, bT, n, k, c);
    }

    /**
     * {@code C = A·Bᵀ} on int8 with exact int32 results.
     *
     * @param a  m × k int8, row-major
     * @param m  rows of A and C
     * @param k  shared dimension
     * @param bT n × k int8, row-major
     * @param n  rows of bT
     * @param c  m × n int32 output
     */
    public void matmulInt8(byte[] a, int m, int k, byte[] bT, int n, int[] c) {
        matrix("a", a.length, m, k);
        matrix("bT", bT.length, n, k);
        atLeast("c", c.length, (long) m * n);
        impl.matmulInt8(a, null, m, bT, null, n, k, c, null);
    }

    /**
     * {@code C = A·Bᵀ} on int8 with int32 accumulation and fp32 rescale:
     * {@code c[i·n + j] = (A[i,:]·B[j,:]) · (aScales[i] · bScales[j])}.
     *
     * @param a       m × k int8 (e.g. a batch of quantised activations, one scale per row)
     * @param aScales per-row scales of A
     * @param m       rows of A
     * @param k       shared dimension
     * @param bT      n × k int8 (e.g. weights, one scale per output channel)
     * @param bScales per-row scales of bT
     * @param n       rows of bT
     * @param c       m × n fp32 output
     */
    public void matmulInt8(byte[] a, float[] aScales, int m, int k, byte[] bT, float[] bScales, int n, float[] c) {
        matrix("a", a.length, m, k);
        matrix("bT", bT.length, n, k);
        atLeast("aScales", aScales.length, m);
        atLeast("bScales", bScales.length, n);
        atLeast("c", c.length, (long) m * n);
        impl.matmulInt8(a, aScales, m, bT, bScales, n, k, null, c);
    }
}
