package org.mlops4j.quant.internal;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the incubating Vector API, 256-bit shapes (8 float / int lanes). Loaded by class name only
 * after {@link KernelLookup} has seen the {@code jdk.incubator.vector} module; nothing else refers to this
 * class, so a JVM without the module never links it.
 *
 * <p>Why the loops look the way they do (each measured on AVX2, JDK 25):
 * <ul>
 *   <li>int8 · int8 widens 16 bytes to 16 shorts, multiplies once in 16-bit lanes (|−128·−128| fits), then
 *       widens to int and adds into a single accumulator: the integer add has one cycle of latency, so
 *       more accumulators buy nothing. The Vector API cannot emit {@code vpmaddubsw}/{@code vpmaddwd}.
 *   <li>fp32 work keeps several accumulators (FMA latency 4, two FMA ports) and a masked tail.
 *   <li>Byte tails stay scalar: a masked byte load costs more than the ≤ 15 scalar steps it replaces.
 *   <li>JDK 25 has no fp16 lanes: halves are decoded in registers with integer bit operations (shift the
 *       exponent/mantissa into place, rescale by 2^112, fix infinities and NaN, restore the sign).
 *   <li>Matrix kernels compute four rows per pass, so each activation vector loaded from memory feeds
 *       four multiply-adds.
 *   <li>fp32↔fp16 array conversion stays a scalar loop: C2 auto-vectorises it to vcvtps2ph/vcvtph2ps.
 * </ul>
 * All helpers are static and return primitives, so call sites stay monomorphic and vectors never escape.
 *
 * <p>Internal: not part of the public API. Stateless and thread-safe.
 */
public final class PanamaKernels implements KernelSupport {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    private static final int FL = 8;
    private static final int BL = 16;
    /** Rows of bT kept hot per pass of the matrix product: about 256 KiB of the block in L2. */
    private static final int BLOCK_BYTES = 256 * 1024;

    /**
     * @throws UnsupportedOperationException when the platform's preferred vectors are narrower than
     *         256 bits (256-bit shapes would then be emulated, slower than the scalar kernels)
     */
    public PanamaKernels() {
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits < 256) {
            throw new UnsupportedOperationException("the preferred vector size is " + bits
                    + " bits but the SIMD kernels need at least 256");
        }
    }

    @Override
    public String name() {
        return "panama-256";
    }

    // ---------------------------------------------------------------- dot products

    @Override
    public int dotInt8(byte[] a, int aOff, byte[] b, int bOff, int n) {
        int i = 0;
        int sum = 0;
        if (n >= BL) {
            IntVector acc = IntVector.zero(I);
            int bound = B128.loopBound(n);
            for (; i < bound; i += BL) {
                ShortVector p = widen(a, aOff + i).mul(widen(b, bOff + i));
                acc = acc.add(p.convertShape(VectorOperators.S2I, I, 0)).add(p.convertShape(VectorOperators.S2I, I, 1));
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    private static ShortVector widen(byte[] a, int off) {
        return (ShortVector) ByteVector.fromArray(B128, a, off).convertShape(VectorOperators.B2S, S256, 0);
    }

    @Override
    public float dotFp32(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F);
        int i = 0;
        for (; i + 4 * FL <= n; i += 4 * FL) {
            s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
            s1 = FloatVector.fromArray(F, a, aOff + i + FL).fma(FloatVector.fromArray(F, b, bOff + i + FL), s1);
            s2 = FloatVector.fromArray(F, a, aOff + i + 2 * FL).fma(FloatVector.fromArray(F, b, bOff + i + 2 * FL), s2);
            s3 = FloatVector.fromArray(F, a, aOff + i + 3 * FL).fma(FloatVector.fromArray(F, b, bOff + i + 3 * FL), s3);
        }
        for (; i + FL <= n; i += FL) {
            s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            s1 = FloatVector.fromArray(F, a, aOff + i, m).fma(FloatVector.fromArray(F, b, bOff + i, m), s1);
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }

    /** Eight halves at {@code off} as eight floats, exactly like {@link Float#float16ToFloat}. */
    private static FloatVector halves(short[] h, int off) {
        return decode((IntVector) ShortVector.fromArray(S128, h, off).convertShape(VectorOperators.S2I, I, 0));
    }

    private static FloatVector halves(short[] h, int off, VectorMask<Short> m) {
        return decode((IntVector) ShortVector.fromArray(S128, h, off, m).convertShape(VectorOperators.S2I, I, 0));
    }

    private static FloatVector decode(IntVector x) {
        IntVector mag = x.and(0x7fff);
        IntVector shifted = mag.lanewise(VectorOperators.LSHL, 13);
        // normal and subnormal halves: the float with the half's bits moved up, times 2^(127-15)
        IntVector bits = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        // exponent 31 (infinity, NaN): all-ones float exponent, mantissa (NaN payload) kept
        bits = bits.blend(shifted.or(0x7f800000), mag.compare(VectorOperators.GE, 0x7c00));
        return bits.or(x.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    @Override
    public float dotFp16(short[] a, int aOff, short[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * FL <= n; i += 2 * FL) {
            s0 = halves(a, aOff + i).fma(halves(b, bOff + i), s0);
            s1 = halves(a, aOff + i + FL).fma(halves(b, bOff + i + FL), s1);
        }
        if (i + FL <= n) {
            s0 = halves(a, aOff + i).fma(halves(b, bOff + i), s0);
            i += FL;
        }
        if (i < n) {
            VectorMask<Short> m = S128.indexInRange(i, n);
            s1 = halves(a, aOff + i, m).fma(halves(b, bOff + i, m), s1);
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public float dotFp16Fp32(short[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * FL <= n; i += 2 * FL) {
            s0 = halves(a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
            s1 = halves(a, aOff + i + FL).fma(FloatVector.fromArray(F, b, bOff + i + FL), s1);
        }
        if (i + FL <= n) {
            s0 = halves(a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
            i += FL;
        }
        if (i < n) {
            s1 = halves(a, aOff + i, S128.indexInRange(i, n)).fma(FloatVector.fromArray(F, b, bOff + i, F.indexInRange(i, n)), s1);
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    private static FloatVector bytesAsFloats(byte[] a, int off) {
        return (FloatVector) ByteVector.fromArray(B64, a, off).convertShape(VectorOperators.B2F, F, 0);
    }

    private static FloatVector bytesAsFloats(byte[] a, int off, VectorMask<Byte> m) {
        return (FloatVector) ByteVector.fromArray(B64, a, off, m).convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    public float dotInt8Fp32(byte[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * FL <= n; i += 2 * FL) {
            s0 = bytesAsFloats(a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
            s1 = bytesAsFloats(a, aOff + i + FL).fma(FloatVector.fromArray(F, b, bOff + i + FL), s1);
        }
        if (i + FL <= n) {
            s0 = bytesAsFloats(a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
            i += FL;
        }
        if (i < n) {
            s1 = bytesAsFloats(a, aOff + i, B64.indexInRange(i, n)).fma(FloatVector.fromArray(F, b, bOff + i, F.indexInRange(i, n)), s1);
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void toFp16(float[] src, int srcOff, short[] dst, int dstOff, int n) {
        ScalarKernels.toFp16Loop(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void toFp32(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        ScalarKernels.toFp32Loop(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void quantize(float[] src, int srcOff, byte[] dst, int dstOff, int n, float invScale, int zeroPoint,
            int qmin, int qmax) {
        float lo = qmin - zeroPoint;
        float hi = qmax - zeroPoint;
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += FL) {
            FloatVector v = FloatVector.fromArray(F, src, srcOff + i).mul(invScale).max(lo).min(hi);
            v = v.add(ScalarKernels.RINT_MAGIC).sub(ScalarKernels.RINT_MAGIC);
            IntVector q = ((IntVector) v.convertShape(VectorOperators.F2I, I, 0)).add(zeroPoint);
            q.convertShape(VectorOperators.I2B, B64, 0).reinterpretAsBytes().intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = ScalarKernels.quantizeOne(src[srcOff + i], invScale, lo, hi, zeroPoint);
        }
    }

    @Override
    public void dequantize(byte[] src, int srcOff, float[] dst, int dstOff, int n, float scale, int zeroPoint) {
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += FL) {
            IntVector q = (IntVector) ByteVector.fromArray(B64, src, srcOff + i).convertShape(VectorOperators.B2I, I, 0);
            ((FloatVector) q.sub(zeroPoint).convertShape(VectorOperators.I2F, F, 0)).mul(scale).intoArray(dst, dstOff + i);
        }
        ScalarKernels.dequantizeLoop(src, srcOff + i, dst, dstOff + i, n - i, scale, zeroPoint);
    }

    @Override
    public float maxAbs(float[] x, int off, int n) {
        FloatVector m = FloatVector.zero(F);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += FL) {
            m = m.max(FloatVector.fromArray(F, x, off + i).abs());
        }
        if (i < n) {
            m = m.max(FloatVector.fromArray(F, x, off + i, F.indexInRange(i, n)).abs());
        }
        return m.reduceLanes(VectorOperators.MAX);
    }

    @Override
    public int argmax(float[] x, int off, int n) {
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += FL) {
            m = m.max(FloatVector.fromArray(F, x, off + i));
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        if (max == max) {
            for (int j = 0; j < bound; j += FL) {
                VectorMask<Float> eq = FloatVector.fromArray(F, x, off + j).eq(max);
                if (eq.anyTrue()) {
                    return j + eq.firstTrue();
                }
            }
        }
        return ScalarKernels.argmaxOf(x, off, n, max);
    }

    @Override
    public void relu(float[] x, int off, int n) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += FL) {
            FloatVector v = FloatVector.fromArray(F, x, off + i);
            v.blend(zero, v.lt(0f)).intoArray(x, off + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, off + i, m);
            v.blend(zero, v.lt(0f)).intoArray(x, off + i, m);
        }
    }

    // ---------------------------------------------------------------- matrices

    @Override
    public void matvecFp32(float[] w, int cols, float[] x, float[] y, int rowFrom, int rowTo) {
        int r = rowFrom;
        for (; r + 3 < rowTo; r += 4) {
            dot4Fp32(w, r * cols, cols, x, 0, y, r);
        }
        for (; r < rowTo; r++) {
            y[r] = dotFp32(w, r * cols, x, 0, cols);
        }
    }

    @Override
    public void matmulFp32(float[] a, int m, float[] bT, int n, int k, float[] c) {
        int block = Math.max(4, (BLOCK_BYTES / (4 * Math.max(1, k))) & ~3);
        for (int j0 = 0; j0 < n; j0 += block) {
            int j1 = Math.min(n, j0 + block);
            for (int i = 0; i < m; i++) {
                int j = j0;
                for (; j + 3 < j1; j += 4) {
                    dot4Fp32(bT, j * k, k, a, i * k, c, i * n + j);
                }
                for (; j < j1; j++) {
                    c[i * n + j] = dotFp32(a, i * k, bT, j * k, k);
                }
            }
        }
    }

    /** Four consecutive rows of w (starting at o0, stride cols) times x, into y[yo..yo+3]. */
    private static void dot4Fp32(float[] w, int o0, int cols, float[] x, int xo, float[] y, int yo) {
        int o1 = o0 + cols;
        int o2 = o1 + cols;
        int o3 = o2 + cols;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        FloatVector b2 = FloatVector.zero(F);
        FloatVector b3 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * FL <= cols; i += 2 * FL) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            FloatVector xw = FloatVector.fromArray(F, x, xo + i + FL);
            a0 = FloatVector.fromArray(F, w, o0 + i).fma(xv, a0);
            a1 = FloatVector.fromArray(F, w, o1 + i).fma(xv, a1);
            a2 = FloatVector.fromArray(F, w, o2 + i).fma(xv, a2);
            a3 = FloatVector.fromArray(F, w, o3 + i).fma(xv, a3);
            b0 = FloatVector.fromArray(F, w, o0 + i + FL).fma(xw, b0);
            b1 = FloatVector.fromArray(F, w, o1 + i + FL).fma(xw, b1);
            b2 = FloatVector.fromArray(F, w, o2 + i + FL).fma(xw, b2);
            b3 = FloatVector.fromArray(F, w, o3 + i + FL).fma(xw, b3);
        }
        for (; i < cols; i += FL) {
            VectorMask<Float> m = F.indexInRange(i, cols);
            FloatVector xv = FloatVector.fromArray(F, x, xo + i, m);
            a0 = FloatVector.fromArray(F, w, o0 + i, m).fma(xv, a0);
            a1 = FloatVector.fromArray(F, w, o1 + i, m).fma(xv, a1);
            a2 = FloatVector.fromArray(F, w, o2 + i, m).fma(xv, a2);
            a3 = FloatVector.fromArray(F, w, o3 + i, m).fma(xv, a3);
        }
        y[yo] = a0.add(b0).reduceLanes(VectorOperators.ADD);
        y[yo + 1] = a1.add(b1).reduceLanes(VectorOperators.ADD);
        y[yo + 2] = a2.add(b2).reduceLanes(VectorOperators.ADD);
        y[yo + 3] = a3.add(b3).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void matvecFp16(short[] w, int cols, float[] x, float[] y, int rowFrom, int rowTo) {
        int r = rowFrom;
        for (; r + 3 < rowTo; r += 4) {
            int o0 = r * cols;
            int o1 = o0 + cols;
            int o2 = o1 + cols;
            int o3 = o2 + cols;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int i = 0;
            int bound = F.loopBound(cols);
            for (; i < bound; i += FL) {
                FloatVector xv = FloatVector.fromArray(F, x, i);
                a0 = halves(w, o0 + i).fma(xv, a0);
                a1 = halves(w, o1 + i).fma(xv, a1);
                a2 = halves(w, o2 + i).fma(xv, a2);
                a3 = halves(w, o3 + i).fma(xv, a3);
            }
            if (i < cols) {
                VectorMask<Short> mh = S128.indexInRange(i, cols);
                FloatVector xv = FloatVector.fromArray(F, x, i, F.indexInRange(i, cols));
                a0 = halves(w, o0 + i, mh).fma(xv, a0);
                a1 = halves(w, o1 + i, mh).fma(xv, a1);
                a2 = halves(w, o2 + i, mh).fma(xv, a2);
                a3 = halves(w, o3 + i, mh).fma(xv, a3);
            }
            y[r] = a0.reduceLanes(VectorOperators.ADD);
            y[r + 1] = a1.reduceLanes(VectorOperators.ADD);
            y[r + 2] = a2.reduceLanes(VectorOperators.ADD);
            y[r + 3] = a3.reduceLanes(VectorOperators.ADD);
        }
        for (; r < rowTo; r++) {
            y[r] = dotFp16Fp32(w, r * cols, x, 0, cols);
        }
    }

    @Override
    public void matvecInt8Fp32(byte[] w, float[] scales, int cols, float[] x, float[] y, int rowFrom, int rowTo) {
        int r = rowFrom;
        for (; r + 3 < rowTo; r += 4) {
            int o0 = r * cols;
            int o1 = o0 + cols;
            int o2 = o1 + cols;
            int o3 = o2 + cols;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int i = 0;
            int bound = F.loopBound(cols);
            for (; i < bound; i += FL) {
                FloatVector xv = FloatVector.fromArray(F, x, i);
                a0 = bytesAsFloats(w, o0 + i).fma(xv, a0);
                a1 = bytesAsFloats(w, o1 + i).fma(xv, a1);
                a2 = bytesAsFloats(w, o2 + i).fma(xv, a2);
                a3 = bytesAsFloats(w, o3 + i).fma(xv, a3);
            }
            if (i < cols) {
                VectorMask<Byte> mb = B64.indexInRange(i, cols);
                FloatVector xv = FloatVector.fromArray(F, x, i, F.indexInRange(i, cols));
                a0 = bytesAsFloats(w, o0 + i, mb).fma(xv, a0);
                a1 = bytesAsFloats(w, o1 + i, mb).fma(xv, a1);
                a2 = bytesAsFloats(w, o2 + i, mb).fma(xv, a2);
                a3 = bytesAsFloats(w, o3 + i, mb).fma(xv, a3);
            }
            y[r] = scales[r] * a0.reduceLanes(VectorOperators.ADD);
            y[r + 1] = scales[r + 1] * a1.reduceLanes(VectorOperators.ADD);
            y[r + 2] = scales[r + 2] * a2.reduceLanes(VectorOperators.ADD);
            y[r + 3] = scales[r + 3] * a3.reduceLanes(VectorOperators.ADD);
        }
        for (; r < rowTo; r++) {
            y[r] = scales[r] * dotInt8Fp32(w, r * cols, x, 0, cols);
        }
    }

    @Override
    public void matvecInt8(byte[] w, float[] scales, int cols, byte[] x, float xScale, int[] yInt, float[] y,
            int rowFrom, int rowTo) {
        int r = rowFrom;
        for (; r + 3 < rowTo; r += 4) {
            dot4Int8(w, r * cols, cols, x, 0, scales, r, xScale, yInt, y, r);
        }
        for (; r < rowTo; r++) {
            int s = dotInt8(w, r * cols, x, 0, cols);
            if (yInt != null) {
                yInt[r] = s;
            } else {
                y[r] = s * (scales[r] * xScale);
            }
        }
    }

    @Override
    public void matmulInt8(byte[] a, float[] aScales, int m, byte[] bT, float[] bScales, int n, int k, int[] cInt,
            float[] c) {
        int block = Math.max(4, (BLOCK_BYTES / Math.max(1, k)) & ~3);
        for (int j0 = 0; j0 < n; j0 += block) {
            int j1 = Math.min(n, j0 + block);
            for (int i = 0; i < m; i++) {
                float as = aScales == null ? 0f : aScales[i];
                int j = j0;
                for (; j + 3 < j1; j += 4) {
                    dot4Int8(bT, j * k, k, a, i * k, bScales, j, as, cInt, c, i * n + j);
                }
                for (; j < j1; j++) {
                    int s = dotInt8(a, i * k, bT, j * k, k);
                    if (cInt != null) {
                        cInt[i * n + j] = s;
                    } else {
                        c[i * n + j] = s * (as * bScales[j]);
                    }
                }
            }
        }
    }

    /**
     * Four consecutive int8 rows of w times the int8 vector x; each 16-byte chunk of x is widened once
     * and reused by the four rows. Writes raw sums to yInt, or {@code sum · (scales[s + r] · xScale)} to y.
     */
    private static void dot4Int8(byte[] w, int o0, int cols, byte[] x, int xo, float[] scales, int so, float xScale,
            int[] yInt, float[] y, int yo) {
        int o1 = o0 + cols;
        int o2 = o1 + cols;
        int o3 = o2 + cols;
        IntVector a0 = IntVector.zero(I);
        IntVector a1 = IntVector.zero(I);
        IntVector a2 = IntVector.zero(I);
        IntVector a3 = IntVector.zero(I);
        int i = 0;
        int bound = B128.loopBound(cols);
        for (; i < bound; i += BL) {
            ShortVector xs = widen(x, xo + i);
            ShortVector p0 = widen(w, o0 + i).mul(xs);
            ShortVector p1 = widen(w, o1 + i).mul(xs);
            ShortVector p2 = widen(w, o2 + i).mul(xs);
            ShortVector p3 = widen(w, o3 + i).mul(xs);
            a0 = a0.add(p0.convertShape(VectorOperators.S2I, I, 0)).add(p0.convertShape(VectorOperators.S2I, I, 1));
            a1 = a1.add(p1.convertShape(VectorOperators.S2I, I, 0)).add(p1.convertShape(VectorOperators.S2I, I, 1));
            a2 = a2.add(p2.convertShape(VectorOperators.S2I, I, 0)).add(p2.convertShape(VectorOperators.S2I, I, 1));
            a3 = a3.add(p3.convertShape(VectorOperators.S2I, I, 0)).add(p3.convertShape(VectorOperators.S2I, I, 1));
        }
        int s0 = a0.reduceLanes(VectorOperators.ADD);
        int s1 = a1.reduceLanes(VectorOperators.ADD);
        int s2 = a2.reduceLanes(VectorOperators.ADD);
        int s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; i < cols; i++) {
            int xi = x[xo + i];
            s0 += w[o0 + i] * xi;
            s1 += w[o1 + i] * xi;
            s2 += w[o2 + i] * xi;
            s3 += w[o3 + i] * xi;
        }
        if (yInt != null) {
            yInt[yo] = s0;
            yInt[yo + 1] = s1;
            yInt[yo + 2] = s2;
            yInt[yo + 3] = s3;
        } else {
            y[yo] = s0 * (scales[so] * xScale);
            y[yo + 1] = s1 * (scales[so + 1] * xScale);
            y[yo + 2] = s2 * (scales[so + 2] * xScale);
            y[yo + 3] = s3 * (scales[so + 3] * xScale);
        }
    }
}
