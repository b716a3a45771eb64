package org.mlops4j.quant.internal;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.AND;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.B2S;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.F2I;
import static jdk.incubator.vector.VectorOperators.I2B;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.MUL;
import static jdk.incubator.vector.VectorOperators.S2I;
import static jdk.incubator.vector.VectorOperators.SUB;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the incubating Vector API, at one vector width per JVM: 512, 256 or 128 bits, chosen when this
 * class initialises ({@link KernelLookup#chooseBits(int)}: the platform's preferred size, or narrower when
 * {@code -Dmlops.quant.kernels=panama-<bits>} asks). Loaded by class name only after {@link KernelLookup} has
 * seen the {@code jdk.incubator.vector} module; nothing else refers to this class, so a JVM without the
 * module never links it. Its static constants (species, widths) are therefore initialised inside the
 * lookup's guarded {@code Class.forName}: any failure there ends in the scalar kernels and one WARN, never in
 * an error at the caller.
 *
 * <p>Why one class parameterised by {@code static final} species rather than one generated class per width:
 * C2 folds a {@code static final} species exactly as it folds {@code FloatVector.SPECIES_512}, so each kernel
 * compiles to code for a single shape, and the call sites stay monomorphic because only one kernel class
 * (besides the scalar one) is ever loaded. Measured on AVX-512 (Zen 4, JDK 25) with the width forced to
 * 256, the fp32 dot product (the same loop in both) ran within noise of the earlier hard-wired
 * {@code SPECIES_256} class: 0.96× and 1.05× at dims 256 and 1024 (BENCHMARKS.md, "Widths").
 * Generated per-width classes would have bought only one thing, several widths in one JVM; the tests get
 * that from one JVM per width instead (Surefire executions forcing 256 and 128), and a build step plus three
 * copies of the code were not worth it. The widths differ in one place only: at 128 bits a float vector
 * holds 4 lanes but the smallest byte vector 8, so the byte→float loads read {@code SLACK} bytes beyond what
 * they convert, and the loop bounds include that.
 *
 * <p>Why the loops look the way they do (measured on AVX2 at 256 bits unless said otherwise, JDK 25):
 * <ul>
 *   <li>int8 · int8 widens BITS/16 bytes to as many shorts, multiplies in 16-bit lanes, adds two product
 *       vectors with a bias into unsigned 16-bit fields and sums those as ints (note above
 *       {@link #dotInt8}). The
 *       Vector API cannot emit {@code vpmaddubsw}/{@code vpmaddwd}, which would do this in one instruction.
 *   <li>fp32 work keeps several accumulators (FMA latency 4, two FMA ports) and a masked tail.
 *   <li>Byte tails stay scalar: a masked byte load costs more than the few scalar steps it replaces (AVX2).
 *   <li>JDK 25 has no fp16 lanes. Dot products convert halves in L1-sized chunks with the auto-vectorised
 *       {@code Float.float16ToFloat} loop, then run the fp32 kernel (note above {@link #dotFp16}: 1.8×
 *       faster on AVX2 than a decoder with the infinity/NaN patch in every step). The fp16 matrix kernel
 *       decodes rows of 256 halves or more in registers inside its four-row FMA loop, checking for
 *       infinity/NaN once per block instead (note above {@link #dot4Fp16}: streaming 1.5-2.2× the buffered
 *       way at 512 bits, Zen 4); shorter rows go through the buffer.
 *   <li>The matrix kernels compute four rows per pass, so each activation vector loaded feeds four
 *       multiply-adds (other blockings measured: note above {@link #matvecFp32}).
 *   <li>Small dense layers also have input-major kernels ({@code *T}): broadcast x_j times contiguous
 *       output lanes, no horizontal sums (note above {@link #matvecFp32T}).
 *   <li>Loops are bounded by {@code i + step <= n}, not {@code species.loopBound(n)} (note above
 *       {@link #dotInt8}).
 *   <li>fp32↔fp16 array conversion stays a scalar loop: C2 auto-vectorises it to vcvtps2ph/vcvtph2ps.
 *   <li>No helper returns a vector: a helper that does gets compiled on its own first, and C2 may then
 *       refuse to inline the large compiled code into the kernel and box every result (measured: 6×
 *       slower, 32 bytes allocated per eight values).
 * </ul>
 * Helpers are static and return primitives, so call sites stay monomorphic and vectors never escape.
 *
 * <p>Internal: not part of the public API. Thread-safe; the only state is an 8 KiB conversion buffer per
 * thread for the fp16 kernels.
 *
 * <pre>{@code
 * KernelSupport simd = KernelLookup.lookup();      // a PanamaKernels when the Vector API is usable
 * float d = simd.dotFp16Fp32(halfWeights, row * n, input, 0, n);
 * }</pre>
 */
public final class PanamaKernels implements KernelSupport {

    /**
     * The vector width in bits, fixed when this class initialises (see {@link KernelLookup}): the platform's
     * preferred size capped at 512, or narrower when {@value KernelLookup#PROPERTY} asks for it. Every
     * species below derives from it; all are {@code static final}, so C2 folds them into constants and each
     * kernel compiles to code for exactly one shape.
     */
    static final int BITS = KernelLookup.chooseBits(FloatVector.SPECIES_PREFERRED.vectorBitSize());
    private static final VectorShape SHAPE = VectorShape.forBitSize(BITS);
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, SHAPE);
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, SHAPE);
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, SHAPE);
    /** Halves that widen to one vector of ints or floats: BITS / 32 of them (a vector of BITS / 2 bits). */
    private static final VectorSpecies<Short> SF = VectorSpecies.of(short.class, VectorShape.forBitSize(BITS / 2));
    /** Bytes that widen to one vector of shorts (BITS / 16 of them). */
    private static final VectorSpecies<Byte> BH = VectorSpecies.of(byte.class, VectorShape.forBitSize(BITS / 2));
    /**
     * Bytes that widen to one vector of floats or ints: BITS / 32 of them, loaded as a vector of at least 64
     * bits (the smallest byte shape), so at 128 bits a load reads 8 bytes of which the conversion uses 4.
     */
    private static final VectorSpecies<Byte> BQ = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(Math.max(64, BITS / 4)));
    /** float / int lanes per vector. */
    private static final int FL = F.length();
    /** short lanes per vector: bytes per int8 product step. */
    private static final int BL = S.length();
    /** Bytes a BQ load reads beyond the FL it converts (4 at 128 bits, else 0): loop bounds include it. */
    private static final int SLACK = BQ.length() - FL;
    /** Rows of bT kept hot per pass of the matrix product: about 256 KiB of the block in L2. */
    private static final int BLOCK_BYTES = 256 * 1024;
    private static final String NAME = "panama-" + BITS;

    /** Instances share the class's width; the first one initialises the class and so chooses it. */
    public PanamaKernels() {
    }

    /** @return the platform's preferred vector size in bits, as the JDK reports it */
    public static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    @Override
    public int bits() {
        return BITS;
    }

    @Override
    public String name() {
        return NAME;
    }

    // ---------------------------------------------------------------- dot products

    /*
     * Loops test {@code i + STEP <= n} rather than {@code i < species.loopBound(n)}: with loopBound, C2 compiled the
     * 4-row int8 kernel into code that ran 2× slower on data beyond the cache (measured on JDK 25).
     *
     * int8 products: BL bytes are widened to BL shorts (vpmovsxbw) and multiplied in 16-bit lanes
     * (|−128·−128| fits). Two such product vectors are added in 16-bit lanes with a bias of 32512: each sum
     * of two products lies in [−32512, 32768], so the biased sum fits a 16-bit field without sign,
     * [0, 65280]. Read as ints, each lane then holds two such fields, p = hi·2^16 + lo, and two int
     * accumulators suffice: A = Σ p and H = Σ (p >>> 16) = Σ hi; then Σ lo = A − 2^16·H, and the dot product
     * is H + Σ lo − bias = A − 65535·H − bias, all modulo 2^32 like Java int arithmetic (a lone product
     * vector takes a bias of 2^14 instead). Per 2·BL products that is two 16-bit adds, one shift and two
     * 32-bit adds; sign-extending both fields of each product vector instead (the 256-bit kernel of
     * issue 4) took six shifts and four adds. Zen 4 runs a 512-bit operation as two 256-bit halves, so the
     * operation count bounds this loop: 1.3× faster at 512 bits, 1.55× at 256 (BENCHMARKS.md). Written
     * inline, not in vector-returning helpers (see the class comment).
     */
    private static final short PAIR_BIAS = 32512;
    private static final short ONE_BIAS = 16384;

    @Override
    public int dotInt8(byte[] a, int aOff, byte[] b, int bOff, int n) {
        int i = 0;
        int sum = 0;
        if (n >= BL) {
            ShortVector pairBias = ShortVector.broadcast(S, PAIR_BIAS);
            IntVector s0 = IntVector.zero(I);
            IntVector s1 = IntVector.zero(I);
            IntVector h0 = IntVector.zero(I);
            IntVector h1 = IntVector.zero(I);
            for (; i + 4 * BL <= n; i += 4 * BL) {
                ShortVector a0 = (ShortVector) ByteVector.fromArray(BH, a, aOff + i).convertShape(B2S, S, 0);
                ShortVector b0 = (ShortVector) ByteVector.fromArray(BH, b, bOff + i).convertShape(B2S, S, 0);
                ShortVector a1 = (ShortVector) ByteVector.fromArray(BH, a, aOff + i + BL).convertShape(B2S, S, 0);
                ShortVector b1 = (ShortVector) ByteVector.fromArray(BH, b, bOff + i + BL).convertShape(B2S, S, 0);
                ShortVector a2 = (ShortVector) ByteVector.fromArray(BH, a, aOff + i + 2 * BL)
                        .convertShape(B2S, S, 0);
                ShortVector b2 = (ShortVector) ByteVector.fromArray(BH, b, bOff + i + 2 * BL)
                        .convertShape(B2S, S, 0);
                ShortVector a3 = (ShortVector) ByteVector.fromArray(BH, a, aOff + i + 3 * BL)
                        .convertShape(B2S, S, 0);
                ShortVector b3 = (ShortVector) ByteVector.fromArray(BH, b, bOff + i + 3 * BL)
                        .convertShape(B2S, S, 0);
                IntVector p0 = a0.mul(b0).add(a1.mul(b1)).add(pairBias).reinterpretAsInts();
                IntVector p1 = a2.mul(b2).add(a3.mul(b3)).add(pairBias).reinterpretAsInts();
                s0 = s0.add(p0);
                h0 = h0.add(p0.lanewise(LSHR, 16));
                s1 = s1.add(p1);
                h1 = h1.add(p1.lanewise(LSHR, 16));
            }
            if (i + 2 * BL <= n) {
                ShortVector a0 = (ShortVector) ByteVector.fromArray(BH, a, aOff + i).convertShape(B2S, S, 0);
                ShortVector b0 = (ShortVector) ByteVector.fromArray(BH, b, bOff + i).convertShape(B2S, S, 0);
                ShortVector a1 = (ShortVector) ByteVector.fromArray(BH, a, aOff + i + BL).convertShape(B2S, S, 0);
                ShortVector b1 = (ShortVector) ByteVector.fromArray(BH, b, bOff + i + BL).convertShape(B2S, S, 0);
                IntVector p0 = a0.mul(b0).add(a1.mul(b1)).add(pairBias).reinterpretAsInts();
                s0 = s0.add(p0);
                h0 = h0.add(p0.lanewise(LSHR, 16));
                i += 2 * BL;
            }
            int bias = (PAIR_BIAS / 2) * i;
            if (i + BL <= n) {
                ShortVector a0 = (ShortVector) ByteVector.fromArray(BH, a, aOff + i).convertShape(B2S, S, 0);
                ShortVector b0 = (ShortVector) ByteVector.fromArray(BH, b, bOff + i).convertShape(B2S, S, 0);
                IntVector p0 = a0.mul(b0).add(ShortVector.broadcast(S, ONE_BIAS)).reinterpretAsInts();
                s1 = s1.add(p0);
                h1 = h1.add(p0.lanewise(LSHR, 16));
                i += BL;
                bias += ONE_BIAS * BL;
            }
            IntVector h = h0.add(h1);
            sum = s0.add(s1).sub(h.lanewise(LSHL, 16)).add(h).reduceLanes(ADD) - bias;
        }
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
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
        return s0.add(s1).add(s2.add(s3)).reduceLanes(ADD);
    }

    /** Halves converted per step: 2 KiB of floats, well inside L1. */
    private static final int CHUNK = 512;
    /** Per-thread conversion buffer (four chunks, 8 KiB); allocated once per thread, never per call. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[4 * CHUNK]);

    /*
     * fp16: JDK 25 has no fp16 lanes. Two ways were measured on AVX2: decoding halves in registers with
     * integer bit operations (shift sign/exponent/mantissa into place, rescale by 2^112, patch infinities
     * and NaN: about ten operations per eight halves), and converting 512-half chunks into an L1 scratch
     * buffer with the plain Float.float16ToFloat loop, which C2 auto-vectorises to vcvtph2ps (about
     * 18 halves/ns), then running the fp32 kernel on the chunk. The second was 1.8× faster, so it is used.
     */

    @Override
    public float dotFp16(short[] a, int aOff, short[] b, int bOff, int n) {
        float[] buf = SCRATCH.get();
        float sum = 0;
        for (int c = 0; c < n; c += CHUNK) {
            int len = Math.min(CHUNK, n - c);
            ScalarKernels.toFp32Loop(a, aOff + c, buf, 0, len);
            ScalarKernels.toFp32Loop(b, bOff + c, buf, CHUNK, len);
            sum += dotFp32(buf, 0, buf, CHUNK, len);
        }
        return sum;
    }

    @Override
    public float dotFp16Fp32(short[] a, int aOff, float[] b, int bOff, int n) {
        return dotFp16Fp32(a, aOff, b, bOff, n, SCRATCH.get());
    }

    private float dotFp16Fp32(short[] a, int aOff, float[] b, int bOff, int n, float[] buf) {
        float sum = 0;
        for (int c = 0; c < n; c += CHUNK) {
            int len = Math.min(CHUNK, n - c);
            ScalarKernels.toFp32Loop(a, aOff + c, buf, 0, len);
            sum += dotFp32(buf, 0, b, bOff + c, len);
        }
        return sum;
    }

    @Override
    public float dotInt8Fp32(byte[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * FL + SLACK <= n; i += 2 * FL) {
            FloatVector w0 = (FloatVector) ByteVector.fromArray(BQ, a, aOff + i).convertShape(B2F, F, 0);
            FloatVector w1 = (FloatVector) ByteVector.fromArray(BQ, a, aOff + i + FL)
                    .convertShape(B2F, F, 0);
            s0 = w0.fma(FloatVector.fromArray(F, b, bOff + i), s0);
            s1 = w1.fma(FloatVector.fromArray(F, b, bOff + i + FL), s1);
        }
        if (i + FL + SLACK <= n) {
            FloatVector w0 = (FloatVector) ByteVector.fromArray(BQ, a, aOff + i).convertShape(B2F, F, 0);
            s0 = w0.fma(FloatVector.fromArray(F, b, bOff + i), s0);
            i += FL;
        }
        for (; i < n; i += FL) {
            FloatVector w1 = (FloatVector) ByteVector.fromArray(BQ, a, aOff + i, BQ.indexInRange(i, n))
                    .convertShape(B2F, F, 0);
            s1 = w1.fma(FloatVector.fromArray(F, b, bOff + i, F.indexInRange(i, n)), s1);
        }
        return s0.add(s1).reduceLanes(ADD);
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
        FloatVector inv = FloatVector.broadcast(F, invScale);
        FloatVector vlo = FloatVector.broadcast(F, lo);
        FloatVector vhi = FloatVector.broadcast(F, hi);
        FloatVector magic = FloatVector.broadcast(F, ScalarKernels.RINT_MAGIC);
        IntVector zero = IntVector.broadcast(I, zeroPoint);
        int i = 0;
        // at 128 bits each store writes 8 bytes, 4 of them zeros that the next step or the tail overwrites
        for (; i + FL + SLACK <= n; i += FL) {
            FloatVector v = FloatVector.fromArray(F, src, srcOff + i).lanewise(MUL, inv)
                    .lanewise(MAX, vlo).lanewise(MIN, vhi);
            v = v.lanewise(ADD, magic).lanewise(SUB, magic);
            IntVector q = ((IntVector) v.convertShape(F2I, I, 0)).lanewise(ADD, zero);
            q.convertShape(I2B, BQ, 0).reinterpretAsBytes().intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = ScalarKernels.quantizeOne(src[srcOff + i], invScale, lo, hi, zeroPoint);
        }
    }

    @Override
    public void dequantize(byte[] src, int srcOff, float[] dst, int dstOff, int n, float scale, int zeroPoint) {
        IntVector zero = IntVector.broadcast(I, zeroPoint);
        FloatVector vscale = FloatVector.broadcast(F, scale);
        int i = 0;
        for (; i + FL + SLACK <= n; i += FL) {
            IntVector q = (IntVector) ByteVector.fromArray(BQ, src, srcOff + i).convertShape(B2I, I, 0);
            ((FloatVector) q.lanewise(SUB, zero).convertShape(I2F, F, 0))
                    .lanewise(MUL, vscale).intoArray(dst, dstOff + i);
        }
        ScalarKernels.dequantizeLoop(src, srcOff + i, dst, dstOff + i, n - i, scale, zeroPoint);
    }

    /**
     * Integer max of the magnitude bits: for non-negative floats the bit patterns order like the values,
     * and NaN patterns sort above infinity, so NaN still wins (as with {@link Math#max}); one vpmaxsd
     * instead of the compare-and-blend sequence a Java-semantics float max needs.
     */
    @Override
    public float maxAbs(float[] x, int off, int n) {
        IntVector mask = IntVector.broadcast(I, 0x7fffffff);
        IntVector m0 = IntVector.zero(I);
        IntVector m1 = IntVector.zero(I);
        int i = 0;
        for (; i + 2 * FL <= n; i += 2 * FL) {
            m0 = m0.lanewise(MAX, FloatVector.fromArray(F, x, off + i).reinterpretAsInts()
                    .lanewise(AND, mask));
            m1 = m1.lanewise(MAX, FloatVector.fromArray(F, x, off + i + FL).reinterpretAsInts()
                    .lanewise(AND, mask));
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            m0 = m0.lanewise(MAX, FloatVector.fromArray(F, x, off + i, m).reinterpretAsInts()
                    .lanewise(AND, mask));
            if (i + FL < n) {
                VectorMask<Float> m2 = F.indexInRange(i + FL, n);
                m1 = m1.lanewise(MAX, FloatVector.fromArray(F, x, off + i + FL, m2).reinterpretAsInts()
                        .lanewise(AND, mask));
            }
        }
        int bits = m0.lanewise(MAX, m1).reduceLanes(MAX);
        return Float.intBitsToFloat(bits);
    }

    @Override
    public int argmax(float[] x, int off, int n) {
        FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        int i = 0;
        for (; i + 2 * FL <= n; i += 2 * FL) {
            m0 = m0.lanewise(MAX, FloatVector.fromArray(F, x, off + i));
            m1 = m1.lanewise(MAX, FloatVector.fromArray(F, x, off + i + FL));
        }
        int bound = i;
        float max = m0.lanewise(MAX, m1).reduceLanes(MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        if (max == max) {
            FloatVector vmax = FloatVector.broadcast(F, max);
            for (int j = 0; j < bound; j += FL) {
                VectorMask<Float> eq = FloatVector.fromArray(F, x, off + j).compare(EQ, vmax);
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
        for (; i + FL <= n; i += FL) {
            FloatVector v = FloatVector.fromArray(F, x, off + i);
            v.blend(zero, v.compare(LT, zero)).intoArray(x, off + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, off + i, m);
            v.blend(zero, v.compare(LT, zero)).intoArray(x, off + i, m);
        }
    }

    @Override
    public void standardize(double[] src, int srcOff, int rows, float[] mean, float[] scale, float[] dst, int dstOff) {
        // The narrowing is a plain loop and only the float subtraction and division use vectors. A vector D2F
        // conversion (convertShape) here was not intrinsified inside the predictor's call chain in 5 of 6 JMH forks
        // (VectorSupport.convert compiled on its own, hot in perfasm; 1,280 bytes of boxed vectors per 64-value row,
        // +0.13-0.3 µs on a 1.2 µs single-row call), while the same code alone was. Same bits either way.
        int w = mean.length;
        for (int r = 0; r < rows; r++) {
            int i = srcOff + r * w;
            int o = dstOff + r * w;
            for (int c = 0; c < w; c++) {
                dst[o + c] = (float) src[i + c];
            }
            int c = 0;
            for (; c + FL <= w; c += FL) {
                FloatVector.fromArray(F, dst, o + c).sub(FloatVector.fromArray(F, mean, c)).div(FloatVector.fromArray(F, scale, c))
                        .intoArray(dst, o + c);
            }
            for (; c < w; c++) {
                dst[o + c] = (dst[o + c] - mean[c]) / scale[c];
            }
        }
    }

    // ---------------------------------------------------------------- matrices

    /*
     * fp32 matrix-vector: four rows per pass, two column vectors per step (eight FMA chains), each x vector
     * loaded once for the four rows. Tried against it (issue 15, 512 bits, Zen 4): in a side harness, 4×4,
     * 8×1, 8×2 and 2×4 blockings and a transposed reduction of the row sums were all within about 10 % of
     * it, one row at a time 20-30 % slower; in JMH the best of them, two rows of four column vectors, measured
     * 0.92× and 1.01× at 384² (L2), 1.07× at 1024² (L3) and 0.88× streaming 8192² (intervals overlapping), so
     * it was not taken. What moved the in-cache rate far more in the harness was where the rows start:
     * shifting the same matrix in 4-float steps changed the 384² product by up to 1.3× (a row start that
     * makes every 512-bit load span two cache lines against a 64-byte-aligned one), which a heap array
     * cannot choose (BENCHMARKS.md, issue 15).
     */
    @Override
    public void matvecFp32(float[] w, int cols, float[] x, float[] y, int rowFrom, int rowTo) {
        int r = rowFrom;
        for (; r + 3 < rowTo; r += 4) {
            dot4Fp32(w, r * cols, cols, cols, x, 0, y, r, false);
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
                    dot4Fp32(bT, j * k, k, k, a, i * k, c, i * n + j, false);
                }
                for (; j < j1; j++) {
                    c[i * n + j] = dotFp32(a, i * k, bT, j * k, k);
                }
            }
        }
    }

    /**
     * Four rows of w (starting at o0, {@code stride} apart, {@code cols} long) times x, into y[yo..yo+3],
     * or added to it when {@code add}.
     */
    private static void dot4Fp32(float[] w, int o0, int stride, int cols, float[] x, int xo, float[] y, int yo,
            boolean add) {
        int o1 = o0 + stride;
        int o2 = o1 + stride;
        int o3 = o2 + stride;
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
        float s0 = a0.add(b0).reduceLanes(ADD);
        float s1 = a1.add(b1).reduceLanes(ADD);
        float s2 = a2.add(b2).reduceLanes(ADD);
        float s3 = a3.add(b3).reduceLanes(ADD);
        if (add) {
            s0 += y[yo];
            s1 += y[yo + 1];
            s2 += y[yo + 2];
            s3 += y[yo + 3];
        }
        y[yo] = s0;
        y[yo + 1] = s1;
        y[yo + 2] = s2;
        y[yo + 3] = s3;
    }

    /*
     * Input-major ("transposed") kernels for small layers: y = Σ_j x_j · W[:, j], a broadcast x_j times
     * contiguous output lanes, so no output ends in a horizontal reduction (with 64-column rows the
     * reductions of the row-major kernels cost as much as the products). Outputs go in blocks of four
     * vectors; j is unrolled by two into a second set of accumulators, so eight independent FMA chains
     * cover the FMA latency at 256 bits too (two FMA pipes). A last block of one to three vectors runs
     * one vector at a time with four chains over j mod 4. Rows are padded to ld (a multiple of 16), so
     * loads need no mask; only the last store is masked.
     */

    @Override
    public void matvecFp32T(float[] wT, int ld, int in, int out, float[] x, int xOff, float[] y, int yOff) {
        int nv = (out + FL - 1) / FL;
        int v = 0;
        for (; v + 4 <= nv; v += 4) {
            int o = v * FL;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            FloatVector b0 = FloatVector.zero(F);
            FloatVector b1 = FloatVector.zero(F);
            FloatVector b2 = FloatVector.zero(F);
            FloatVector b3 = FloatVector.zero(F);
            int j = 0;
            int p = o;
            for (; j + 1 < in; j += 2, p += 2 * ld) {
                FloatVector xa = FloatVector.broadcast(F, x[xOff + j]);
                FloatVector xb = FloatVector.broadcast(F, x[xOff + j + 1]);
                int q = p + ld;
                a0 = FloatVector.fromArray(F, wT, p).fma(xa, a0);
                a1 = FloatVector.fromArray(F, wT, p + FL).fma(xa, a1);
                a2 = FloatVector.fromArray(F, wT, p + 2 * FL).fma(xa, a2);
                a3 = FloatVector.fromArray(F, wT, p + 3 * FL).fma(xa, a3);
                b0 = FloatVector.fromArray(F, wT, q).fma(xb, b0);
                b1 = FloatVector.fromArray(F, wT, q + FL).fma(xb, b1);
                b2 = FloatVector.fromArray(F, wT, q + 2 * FL).fma(xb, b2);
                b3 = FloatVector.fromArray(F, wT, q + 3 * FL).fma(xb, b3);
            }
            if (j < in) {
                FloatVector xa = FloatVector.broadcast(F, x[xOff + j]);
                a0 = FloatVector.fromArray(F, wT, p).fma(xa, a0);
                a1 = FloatVector.fromArray(F, wT, p + FL).fma(xa, a1);
                a2 = FloatVector.fromArray(F, wT, p + 2 * FL).fma(xa, a2);
                a3 = FloatVector.fromArray(F, wT, p + 3 * FL).fma(xa, a3);
            }
            a0.add(b0).intoArray(y, yOff + o);
            a1.add(b1).intoArray(y, yOff + o + FL);
            a2.add(b2).intoArray(y, yOff + o + 2 * FL);
            if (o + 4 * FL <= out) {
                a3.add(b3).intoArray(y, yOff + o + 3 * FL);
            } else {
                a3.add(b3).intoArray(y, yOff + o + 3 * FL, F.indexInRange(o + 3 * FL, out));
            }
        }
        for (; v < nv; v++) {
            int o = v * FL;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int j = 0;
            int p = o;
            for (; j + 3 < in; j += 4, p += 4 * ld) {
                a0 = FloatVector.fromArray(F, wT, p).fma(FloatVector.broadcast(F, x[xOff + j]), a0);
                a1 = FloatVector.fromArray(F, wT, p + ld).fma(FloatVector.broadcast(F, x[xOff + j + 1]), a1);
                a2 = FloatVector.fromArray(F, wT, p + 2 * ld).fma(FloatVector.broadcast(F, x[xOff + j + 2]), a2);
                a3 = FloatVector.fromArray(F, wT, p + 3 * ld).fma(FloatVector.broadcast(F, x[xOff + j + 3]), a3);
            }
            for (; j < in; j++, p += ld) {
                a0 = FloatVector.fromArray(F, wT, p).fma(FloatVector.broadcast(F, x[xOff + j]), a0);
            }
            FloatVector s = a0.add(a1).add(a2.add(a3));
            if (o + FL <= out) {
                s.intoArray(y, yOff + o);
            } else {
                s.intoArray(y, yOff + o, F.indexInRange(o, out));
            }
        }
    }

    @Override
    public void matvecInt8Fp32T(byte[] wT, int ld, int in, int out, float[] scales, float[] x, int xOff, float[] y,
            int yOff) {
        int nv = (out + FL - 1) / FL;
        int v = 0;
        for (; v + 4 <= nv; v += 4) {
            int o = v * FL;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            FloatVector b0 = FloatVector.zero(F);
            FloatVector b1 = FloatVector.zero(F);
            FloatVector b2 = FloatVector.zero(F);
            FloatVector b3 = FloatVector.zero(F);
            int j = 0;
            int p = o;
            for (; j + 1 < in; j += 2, p += 2 * ld) {
                FloatVector xa = FloatVector.broadcast(F, x[xOff + j]);
                FloatVector xb = FloatVector.broadcast(F, x[xOff + j + 1]);
                int q = p + ld;
                a0 = ((FloatVector) ByteVector.fromArray(BQ, wT, p).convertShape(B2F, F, 0)).fma(xa, a0);
                a1 = ((FloatVector) ByteVector.fromArray(BQ, wT, p + FL).convertShape(B2F, F, 0)).fma(xa, a1);
                a2 = ((FloatVector) ByteVector.fromArray(BQ, wT, p + 2 * FL).convertShape(B2F, F, 0)).fma(xa, a2);
                a3 = ((FloatVector) ByteVector.fromArray(BQ, wT, p + 3 * FL).convertShape(B2F, F, 0)).fma(xa, a3);
                b0 = ((FloatVector) ByteVector.fromArray(BQ, wT, q).convertShape(B2F, F, 0)).fma(xb, b0);
                b1 = ((FloatVector) ByteVector.fromArray(BQ, wT, q + FL).convertShape(B2F, F, 0)).fma(xb, b1);
                b2 = ((FloatVector) ByteVector.fromArray(BQ, wT, q + 2 * FL).convertShape(B2F, F, 0)).fma(xb, b2);
                b3 = ((FloatVector) ByteVector.fromArray(BQ, wT, q + 3 * FL).convertShape(B2F, F, 0)).fma(xb, b3);
            }
            if (j < in) {
                FloatVector xa = FloatVector.broadcast(F, x[xOff + j]);
                a0 = ((FloatVector) ByteVector.fromArray(BQ, wT, p).convertShape(B2F, F, 0)).fma(xa, a0);
                a1 = ((FloatVector) ByteVector.fromArray(BQ, wT, p + FL).convertShape(B2F, F, 0)).fma(xa, a1);
                a2 = ((FloatVector) ByteVector.fromArray(BQ, wT, p + 2 * FL).convertShape(B2F, F, 0)).fma(xa, a2);
                a3 = ((FloatVector) ByteVector.fromArray(BQ, wT, p + 3 * FL).convertShape(B2F, F, 0)).fma(xa, a3);
            }
            a0.add(b0).mul(FloatVector.fromArray(F, scales, o)).intoArray(y, yOff + o);
            a1.add(b1).mul(FloatVector.fromArray(F, scales, o + FL)).intoArray(y, yOff + o + FL);
            a2.add(b2).mul(FloatVector.fromArray(F, scales, o + 2 * FL)).intoArray(y, yOff + o + 2 * FL);
            if (o + 4 * FL <= out) {
                a3.add(b3).mul(FloatVector.fromArray(F, scales, o + 3 * FL)).intoArray(y, yOff + o + 3 * FL);
            } else {
                VectorMask<Float> m = F.indexInRange(o + 3 * FL, out);
                a3.add(b3).mul(FloatVector.fromArray(F, scales, o + 3 * FL, m)).intoArray(y, yOff + o + 3 * FL, m);
            }
        }
        for (; v < nv; v++) {
            int o = v * FL;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int j = 0;
            int p = o;
            for (; j + 3 < in; j += 4, p += 4 * ld) {
                a0 = ((FloatVector) ByteVector.fromArray(BQ, wT, p).convertShape(B2F, F, 0))
                        .fma(FloatVector.broadcast(F, x[xOff + j]), a0);
                a1 = ((FloatVector) ByteVector.fromArray(BQ, wT, p + ld).convertShape(B2F, F, 0))
                        .fma(FloatVector.broadcast(F, x[xOff + j + 1]), a1);
                a2 = ((FloatVector) ByteVector.fromArray(BQ, wT, p + 2 * ld).convertShape(B2F, F, 0))
                        .fma(FloatVector.broadcast(F, x[xOff + j + 2]), a2);
                a3 = ((FloatVector) ByteVector.fromArray(BQ, wT, p + 3 * ld).convertShape(B2F, F, 0))
                        .fma(FloatVector.broadcast(F, x[xOff + j + 3]), a3);
            }
            for (; j < in; j++, p += ld) {
                a0 = ((FloatVector) ByteVector.fromArray(BQ, wT, p).convertShape(B2F, F, 0))
                        .fma(FloatVector.broadcast(F, x[xOff + j]), a0);
            }
            FloatVector s = a0.add(a1).add(a2.add(a3));
            if (o + FL <= out) {
                s.mul(FloatVector.fromArray(F, scales, o)).intoArray(y, yOff + o);
            } else {
                VectorMask<Float> m = F.indexInRange(o, out);
                s.mul(FloatVector.fromArray(F, scales, o, m)).intoArray(y, yOff + o, m);
            }
        }
    }

    /*
     * int8 × int8, input-major: each weight byte widened to an int lane (vpmovsxbd), multiplied by the
     * broadcast activation and added in int32, exact and wrapping like the scalar sum. The rescale is the
     * scalar expression lane by lane: (float) s · (scales[r] · xScale).
     */
    @Override
    public void matvecInt8T(byte[] wT, int ld, int in, int out, float[] scales, byte[] x, int xOff, float xScale,
            float[] y, int yOff) {
        int nv = (out + FL - 1) / FL;
        int v = 0;
        for (; v + 4 <= nv; v += 4) {
            int o = v * FL;
            IntVector a0 = IntVector.zero(I);
            IntVector a1 = IntVector.zero(I);
            IntVector a2 = IntVector.zero(I);
            IntVector a3 = IntVector.zero(I);
            int p = o;
            for (int j = 0; j < in; j++, p += ld) {
                IntVector xa = IntVector.broadcast(I, x[xOff + j]);
                a0 = a0.add(((IntVector) ByteVector.fromArray(BQ, wT, p).convertShape(B2I, I, 0)).mul(xa));
                a1 = a1.add(((IntVector) ByteVector.fromArray(BQ, wT, p + FL).convertShape(B2I, I, 0)).mul(xa));
                a2 = a2.add(((IntVector) ByteVector.fromArray(BQ, wT, p + 2 * FL).convertShape(B2I, I, 0)).mul(xa));
                a3 = a3.add(((IntVector) ByteVector.fromArray(BQ, wT, p + 3 * FL).convertShape(B2I, I, 0)).mul(xa));
            }
            ((FloatVector) a0.convertShape(I2F, F, 0)).mul(FloatVector.fromArray(F, scales, o).mul(xScale))
                    .intoArray(y, yOff + o);
            ((FloatVector) a1.convertShape(I2F, F, 0)).mul(FloatVector.fromArray(F, scales, o + FL).mul(xScale))
                    .intoArray(y, yOff + o + FL);
            ((FloatVector) a2.convertShape(I2F, F, 0)).mul(FloatVector.fromArray(F, scales, o + 2 * FL).mul(xScale))
                    .intoArray(y, yOff + o + 2 * FL);
            VectorMask<Float> m = F.indexInRange(o + 3 * FL, out);
            ((FloatVector) a3.convertShape(I2F, F, 0))
                    .mul(FloatVector.fromArray(F, scales, o + 3 * FL, m).mul(xScale))
                    .intoArray(y, yOff + o + 3 * FL, m);
        }
        for (; v < nv; v++) {
            int o = v * FL;
            IntVector a0 = IntVector.zero(I);
            int p = o;
            for (int j = 0; j < in; j++, p += ld) {
                a0 = a0.add(((IntVector) ByteVector.fromArray(BQ, wT, p).convertShape(B2I, I, 0))
                        .mul(IntVector.broadcast(I, x[xOff + j])));
            }
            VectorMask<Float> m = F.indexInRange(o, out);
            ((FloatVector) a0.convertShape(I2F, F, 0)).mul(FloatVector.fromArray(F, scales, o, m).mul(xScale))
                    .intoArray(y, yOff + o, m);
        }
    }

    /**
     * Four rows per pass, like fp32, so each x vector loaded feeds four multiply-adds. Rows of at least
     * {@link #FP16_IN_REGISTERS} halves are decoded in registers inside the FMA loop ({@link #dot4Fp16});
     * shorter rows are converted, as many whole rows as the L1 buffer holds, in one auto-vectorised loop
     * and the four-row fp32 kernel runs on the buffer. Buffered conversion of long rows too (the previous
     * kernel) streamed at 0.81-1.01× fp32, in-register decoding at 1.41-1.49×, and 1.85-1.90× with the
     * sums scaled once (BENCHMARKS.md, issue 15 follow-up runs 2 and 3).
     */
    @Override
    public void matvecFp16(short[] w, int cols, float[] x, float[] y, int rowFrom, int rowTo) {
        float[] buf = SCRATCH.get();
        int r = rowFrom;
        if (cols >= FP16_IN_REGISTERS) {
            for (; r + 3 < rowTo; r += 4) {
                if (!dot4Fp16(w, r * cols, cols, x, 0, y, r)) {
                    for (int k = r; k < r + 4; k++) {
                        y[k] = dotFp16Fp32(w, k * cols, x, 0, cols, buf);
                    }
                }
            }
            for (; r < rowTo; r++) {
                y[r] = dotFp16Fp32(w, r * cols, x, 0, cols, buf);
            }
            return;
        }
        // short rows (fewer than FP16_IN_REGISTERS columns, so at most CHUNK): convert as many whole rows as
        // the buffer holds in one loop, then run the four-row fp32 kernel over them
        int fill = Math.max(4, (4 * CHUNK / cols) & ~3);
        while (r < rowTo) {
            int rows = Math.min(fill, rowTo - r);
            ScalarKernels.toFp32Loop(w, r * cols, buf, 0, rows * cols);
            int k = 0;
            for (; k + 3 < rows; k += 4) {
                dot4Fp32(buf, k * cols, cols, cols, x, 0, y, r + k, false);
            }
            for (; k < rows; k++) {
                y[r + k] = dotFp32(buf, k * cols, x, 0, cols);
            }
            r += rows;
        }
    }

    /*
     * fp16 rows decoded in registers, inside the four-row FMA loop, so the loads of the halves overlap the
     * arithmetic (the buffered conversion reads one row piece after another and waits on each). Per FL
     * halves: widen to int lanes (vpmovsxwd, so bit 31 holds the sign), shift left by 13 and keep sign,
     * exponent and mantissa (0x8FFFE000): the bits of a float whose value is the half's times 2^-112,
     * exact for normal and subnormal halves alike; FMA into accumulators that hold the sum times 2^-112, and
     * multiply each row's sum by 2^112 once at the end (exact: a power of two) instead of every decoded
     * vector: one operation of seven fewer per FL halves. The scaled sums round like ordinary floats while
     * they are at least 2^-14 in magnitude (2^-126 scaled); below that they are float subnormals, so a step
     * can add up to 2^-38 (3.6e-12) of absolute error beyond the usual relative rounding, far below the
     * spacing of the fp16 weights themselves (2^-24 near zero). Overflow is unchanged: the scaled sums are
     * smaller, and the final scaling overflows exactly when the sum does. Infinity and NaN (half exponent
     * all ones) would come out as finite values of 2^16 and more, so instead of patching them lane by lane
     * (and, compare, masked or: three more operations per FL halves; 7.86 against 5.39 ms streaming in one run,
     * though later runs of this kernel gave 6.5-7.3 ms, so the saving is not firmly established) the
     * loop keeps the lane-wise max of the magnitude bits (and, max) and reports whether any reached 0x7c00;
     * the caller then computes those four rows again by the exact buffered path. Written inline (see the
     * class comment on helpers that return vectors).
     */
    private static final int HALF_KEEP = 0x8FFFE000;
    private static final float HALF_SCALE = 0x1p112f;
    private static final int HALF_EXP = 0x7c00;
    /** Row length from which fp16 rows are decoded in registers (measured at 384 and 8192 columns). */
    private static final int FP16_IN_REGISTERS = 256;

    /**
     * Four fp16 rows of w times x into y[yo..yo+3], halves decoded in registers (note above).
     *
     * @return false when a half of the four rows is infinite or NaN: y[yo..yo+3] are then wrong and the
     *     caller must compute them again
     */
    private static boolean dot4Fp16(short[] w, int o0, int cols, float[] x, int xo, float[] y, int yo) {
        int o1 = o0 + cols;
        int o2 = o1 + cols;
        int o3 = o2 + cols;
        IntVector e = IntVector.zero(I);
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
            IntVector v0 = (IntVector) ShortVector.fromArray(SF, w, o0 + i).convertShape(S2I, I, 0);
            IntVector v1 = (IntVector) ShortVector.fromArray(SF, w, o1 + i).convertShape(S2I, I, 0);
            IntVector v2 = (IntVector) ShortVector.fromArray(SF, w, o2 + i).convertShape(S2I, I, 0);
            IntVector v3 = (IntVector) ShortVector.fromArray(SF, w, o3 + i).convertShape(S2I, I, 0);
            a0 = v0.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xv, a0);
            e = e.lanewise(MAX, v0.lanewise(AND, 0x7fff));
            a1 = v1.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xv, a1);
            e = e.lanewise(MAX, v1.lanewise(AND, 0x7fff));
            a2 = v2.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xv, a2);
            e = e.lanewise(MAX, v2.lanewise(AND, 0x7fff));
            a3 = v3.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xv, a3);
            e = e.lanewise(MAX, v3.lanewise(AND, 0x7fff));
            IntVector u0 = (IntVector) ShortVector.fromArray(SF, w, o0 + i + FL).convertShape(S2I, I, 0);
            IntVector u1 = (IntVector) ShortVector.fromArray(SF, w, o1 + i + FL).convertShape(S2I, I, 0);
            IntVector u2 = (IntVector) ShortVector.fromArray(SF, w, o2 + i + FL).convertShape(S2I, I, 0);
            IntVector u3 = (IntVector) ShortVector.fromArray(SF, w, o3 + i + FL).convertShape(S2I, I, 0);
            b0 = u0.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xw, b0);
            e = e.lanewise(MAX, u0.lanewise(AND, 0x7fff));
            b1 = u1.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xw, b1);
            e = e.lanewise(MAX, u1.lanewise(AND, 0x7fff));
            b2 = u2.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xw, b2);
            e = e.lanewise(MAX, u2.lanewise(AND, 0x7fff));
            b3 = u3.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xw, b3);
            e = e.lanewise(MAX, u3.lanewise(AND, 0x7fff));
        }
        if (i + FL <= cols) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            IntVector v0 = (IntVector) ShortVector.fromArray(SF, w, o0 + i).convertShape(S2I, I, 0);
            IntVector v1 = (IntVector) ShortVector.fromArray(SF, w, o1 + i).convertShape(S2I, I, 0);
            IntVector v2 = (IntVector) ShortVector.fromArray(SF, w, o2 + i).convertShape(S2I, I, 0);
            IntVector v3 = (IntVector) ShortVector.fromArray(SF, w, o3 + i).convertShape(S2I, I, 0);
            a0 = v0.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xv, a0);
            e = e.lanewise(MAX, v0.lanewise(AND, 0x7fff));
            a1 = v1.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xv, a1);
            e = e.lanewise(MAX, v1.lanewise(AND, 0x7fff));
            a2 = v2.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xv, a2);
            e = e.lanewise(MAX, v2.lanewise(AND, 0x7fff));
            a3 = v3.lanewise(LSHL, 13).lanewise(AND, HALF_KEEP).reinterpretAsFloats().fma(xv, a3);
            e = e.lanewise(MAX, v3.lanewise(AND, 0x7fff));
            i += FL;
        }
        float s0 = a0.add(b0).reduceLanes(ADD) * HALF_SCALE;
        float s1 = a1.add(b1).reduceLanes(ADD) * HALF_SCALE;
        float s2 = a2.add(b2).reduceLanes(ADD) * HALF_SCALE;
        float s3 = a3.add(b3).reduceLanes(ADD) * HALF_SCALE;
        for (; i < cols; i++) {
            float xi = x[xo + i];
            s0 += Float.float16ToFloat(w[o0 + i]) * xi;
            s1 += Float.float16ToFloat(w[o1 + i]) * xi;
            s2 += Float.float16ToFloat(w[o2 + i]) * xi;
            s3 += Float.float16ToFloat(w[o3 + i]) * xi;
        }
        y[yo] = s0;
        y[yo + 1] = s1;
        y[yo + 2] = s2;
        y[yo + 3] = s3;
        return e.reduceLanes(MAX) < HALF_EXP;
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
            FloatVector b0 = FloatVector.zero(F);
            FloatVector b1 = FloatVector.zero(F);
            FloatVector b2 = FloatVector.zero(F);
            FloatVector b3 = FloatVector.zero(F);
            int i = 0;
            // two chunks per pass: eight independent FMA chains hide the FMA latency (10 % faster)
            for (; i + 2 * FL + SLACK <= cols; i += 2 * FL) {
                FloatVector xv = FloatVector.fromArray(F, x, i);
                FloatVector xw = FloatVector.fromArray(F, x, i + FL);
                a0 = ((FloatVector) ByteVector.fromArray(BQ, w, o0 + i).convertShape(B2F, F, 0)).fma(xv, a0);
                a1 = ((FloatVector) ByteVector.fromArray(BQ, w, o1 + i).convertShape(B2F, F, 0)).fma(xv, a1);
                a2 = ((FloatVector) ByteVector.fromArray(BQ, w, o2 + i).convertShape(B2F, F, 0)).fma(xv, a2);
                a3 = ((FloatVector) ByteVector.fromArray(BQ, w, o3 + i).convertShape(B2F, F, 0)).fma(xv, a3);
                b0 = ((FloatVector) ByteVector.fromArray(BQ, w, o0 + i + FL).convertShape(B2F, F, 0)).fma(xw, b0);
                b1 = ((FloatVector) ByteVector.fromArray(BQ, w, o1 + i + FL).convertShape(B2F, F, 0)).fma(xw, b1);
                b2 = ((FloatVector) ByteVector.fromArray(BQ, w, o2 + i + FL).convertShape(B2F, F, 0)).fma(xw, b2);
                b3 = ((FloatVector) ByteVector.fromArray(BQ, w, o3 + i + FL).convertShape(B2F, F, 0)).fma(xw, b3);
            }
            for (; i < cols; i += FL) {
                VectorMask<Byte> mb = BQ.indexInRange(i, cols);
                FloatVector xv = FloatVector.fromArray(F, x, i, F.indexInRange(i, cols));
                a0 = ((FloatVector) ByteVector.fromArray(BQ, w, o0 + i, mb).convertShape(B2F, F, 0)).fma(xv, a0);
                a1 = ((FloatVector) ByteVector.fromArray(BQ, w, o1 + i, mb).convertShape(B2F, F, 0)).fma(xv, a1);
                a2 = ((FloatVector) ByteVector.fromArray(BQ, w, o2 + i, mb).convertShape(B2F, F, 0)).fma(xv, a2);
                a3 = ((FloatVector) ByteVector.fromArray(BQ, w, o3 + i, mb).convertShape(B2F, F, 0)).fma(xv, a3);
            }
            a0 = a0.add(b0);
            a1 = a1.add(b1);
            a2 = a2.add(b2);
            a3 = a3.add(b3);
            y[r] = scales[r] * a0.reduceLanes(ADD);
            y[r + 1] = scales[r + 1] * a1.reduceLanes(ADD);
            y[r + 2] = scales[r + 2] * a2.reduceLanes(ADD);
            y[r + 3] = scales[r + 3] * a3.reduceLanes(ADD);
        }
        for (; r < rowTo; r++) {
            y[r] = scales[r] * dotInt8Fp32(w, r * cols, x, 0, cols);
        }
    }

    @Override
    public void matvecInt8(byte[] w, float[] scales, int cols, byte[] x, float xScale, int[] yInt, float[] y,
            int rowFrom, int rowTo) {
        int r = rowFrom;
        for (; r + 7 < rowTo; r += 8) {
            dot8Int8(w, r * cols, cols, x, 0, scales, r, xScale, yInt, y, r);
        }
        for (; r + 3 < rowTo; r += 4) {
            dot4Int8(w, r * cols, cols, x, 0, scales, r, xScale, yInt, y, r);
        }
        for (; r < rowTo; r++) {
            ScalarKernels.storeInt8(dotInt8(w, r * cols, x, 0, cols), yInt, y, r, scales, r, xScale);
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
                    ScalarKernels.storeInt8(dotInt8(a, i * k, bT, j * k, k), cInt, c, i * n + j, bScales, j, as);
                }
            }
        }
    }

    /**
     * Eight consecutive int8 rows of w times the int8 vector x, as {@link #dot4Int8} with twice the rows per
     * pass: each pair of x chunks widened once feeds eight rows, so the widening of x is shared by twice as
     * many products, and eight row streams are read at once. Streaming 8192×8192 on two threads this took
     * 3.02 ± 0.51 ms against the four-row kernel's 3.84 ± 0.74 ms in the same session (BENCHMARKS.md).
     */
    private static void dot8Int8(byte[] w, int o0, int cols, byte[] x, int xo, float[] scales, int so, float xScale,
            int[] yInt, float[] y, int yo) {
        ShortVector pairBias = ShortVector.broadcast(S, PAIR_BIAS);
        IntVector a0 = IntVector.zero(I);
        IntVector h0 = IntVector.zero(I);
        IntVector a1 = IntVector.zero(I);
        IntVector h1 = IntVector.zero(I);
        IntVector a2 = IntVector.zero(I);
        IntVector h2 = IntVector.zero(I);
        IntVector a3 = IntVector.zero(I);
        IntVector h3 = IntVector.zero(I);
        IntVector a4 = IntVector.zero(I);
        IntVector h4 = IntVector.zero(I);
        IntVector a5 = IntVector.zero(I);
        IntVector h5 = IntVector.zero(I);
        IntVector a6 = IntVector.zero(I);
        IntVector h6 = IntVector.zero(I);
        IntVector a7 = IntVector.zero(I);
        IntVector h7 = IntVector.zero(I);
        int i = 0;
        for (; i + 2 * BL <= cols; i += 2 * BL) {
            ShortVector xs = (ShortVector) ByteVector.fromArray(BH, x, xo + i).convertShape(B2S, S, 0);
            ShortVector xt = (ShortVector) ByteVector.fromArray(BH, x, xo + i + BL).convertShape(B2S, S, 0);
            int q0 = o0 + 0 * cols + i;
            IntVector p0 = ((ShortVector) ByteVector.fromArray(BH, w, q0).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, q0 + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            a0 = a0.add(p0);
            h0 = h0.add(p0.lanewise(LSHR, 16));
            int q1 = o0 + 1 * cols + i;
            IntVector p1 = ((ShortVector) ByteVector.fromArray(BH, w, q1).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, q1 + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            a1 = a1.add(p1);
            h1 = h1.add(p1.lanewise(LSHR, 16));
            int q2 = o0 + 2 * cols + i;
            IntVector p2 = ((ShortVector) ByteVector.fromArray(BH, w, q2).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, q2 + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            a2 = a2.add(p2);
            h2 = h2.add(p2.lanewise(LSHR, 16));
            int q3 = o0 + 3 * cols + i;
            IntVector p3 = ((ShortVector) ByteVector.fromArray(BH, w, q3).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, q3 + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            a3 = a3.add(p3);
            h3 = h3.add(p3.lanewise(LSHR, 16));
            int q4 = o0 + 4 * cols + i;
            IntVector p4 = ((ShortVector) ByteVector.fromArray(BH, w, q4).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, q4 + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            a4 = a4.add(p4);
            h4 = h4.add(p4.lanewise(LSHR, 16));
            int q5 = o0 + 5 * cols + i;
            IntVector p5 = ((ShortVector) ByteVector.fromArray(BH, w, q5).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, q5 + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            a5 = a5.add(p5);
            h5 = h5.add(p5.lanewise(LSHR, 16));
            int q6 = o0 + 6 * cols + i;
            IntVector p6 = ((ShortVector) ByteVector.fromArray(BH, w, q6).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, q6 + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            a6 = a6.add(p6);
            h6 = h6.add(p6.lanewise(LSHR, 16));
            int q7 = o0 + 7 * cols + i;
            IntVector p7 = ((ShortVector) ByteVector.fromArray(BH, w, q7).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, q7 + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            a7 = a7.add(p7);
            h7 = h7.add(p7.lanewise(LSHR, 16));
        }
        int bias = (PAIR_BIAS / 2) * i;
        if (i + BL <= cols) {
            ShortVector oneBias = ShortVector.broadcast(S, ONE_BIAS);
            ShortVector xs = (ShortVector) ByteVector.fromArray(BH, x, xo + i).convertShape(B2S, S, 0);
            IntVector p0 = ((ShortVector) ByteVector.fromArray(BH, w, o0 + 0 * cols + i).convertShape(B2S, S, 0))
                    .mul(xs).add(oneBias).reinterpretAsInts();
            a0 = a0.add(p0);
            h0 = h0.add(p0.lanewise(LSHR, 16));
            IntVector p1 = ((ShortVector) ByteVector.fromArray(BH, w, o0 + 1 * cols + i).convertShape(B2S, S, 0))
                    .mul(xs).add(oneBias).reinterpretAsInts();
            a1 = a1.add(p1);
            h1 = h1.add(p1.lanewise(LSHR, 16));
            IntVector p2 = ((ShortVector) ByteVector.fromArray(BH, w, o0 + 2 * cols + i).convertShape(B2S, S, 0))
                    .mul(xs).add(oneBias).reinterpretAsInts();
            a2 = a2.add(p2);
            h2 = h2.add(p2.lanewise(LSHR, 16));
            IntVector p3 = ((ShortVector) ByteVector.fromArray(BH, w, o0 + 3 * cols + i).convertShape(B2S, S, 0))
                    .mul(xs).add(oneBias).reinterpretAsInts();
            a3 = a3.add(p3);
            h3 = h3.add(p3.lanewise(LSHR, 16));
            IntVector p4 = ((ShortVector) ByteVector.fromArray(BH, w, o0 + 4 * cols + i).convertShape(B2S, S, 0))
                    .mul(xs).add(oneBias).reinterpretAsInts();
            a4 = a4.add(p4);
            h4 = h4.add(p4.lanewise(LSHR, 16));
            IntVector p5 = ((ShortVector) ByteVector.fromArray(BH, w, o0 + 5 * cols + i).convertShape(B2S, S, 0))
                    .mul(xs).add(oneBias).reinterpretAsInts();
            a5 = a5.add(p5);
            h5 = h5.add(p5.lanewise(LSHR, 16));
            IntVector p6 = ((ShortVector) ByteVector.fromArray(BH, w, o0 + 6 * cols + i).convertShape(B2S, S, 0))
                    .mul(xs).add(oneBias).reinterpretAsInts();
            a6 = a6.add(p6);
            h6 = h6.add(p6.lanewise(LSHR, 16));
            IntVector p7 = ((ShortVector) ByteVector.fromArray(BH, w, o0 + 7 * cols + i).convertShape(B2S, S, 0))
                    .mul(xs).add(oneBias).reinterpretAsInts();
            a7 = a7.add(p7);
            h7 = h7.add(p7.lanewise(LSHR, 16));
            i += BL;
            bias += ONE_BIAS * BL;
        }
        int s0 = a0.sub(h0.lanewise(LSHL, 16)).add(h0).reduceLanes(ADD) - bias;
        int s1 = a1.sub(h1.lanewise(LSHL, 16)).add(h1).reduceLanes(ADD) - bias;
        int s2 = a2.sub(h2.lanewise(LSHL, 16)).add(h2).reduceLanes(ADD) - bias;
        int s3 = a3.sub(h3.lanewise(LSHL, 16)).add(h3).reduceLanes(ADD) - bias;
        int s4 = a4.sub(h4.lanewise(LSHL, 16)).add(h4).reduceLanes(ADD) - bias;
        int s5 = a5.sub(h5.lanewise(LSHL, 16)).add(h5).reduceLanes(ADD) - bias;
        int s6 = a6.sub(h6.lanewise(LSHL, 16)).add(h6).reduceLanes(ADD) - bias;
        int s7 = a7.sub(h7.lanewise(LSHL, 16)).add(h7).reduceLanes(ADD) - bias;
        for (; i < cols; i++) {
            int xi = x[xo + i];
            s0 += w[o0 + 0 * cols + i] * xi;
            s1 += w[o0 + 1 * cols + i] * xi;
            s2 += w[o0 + 2 * cols + i] * xi;
            s3 += w[o0 + 3 * cols + i] * xi;
            s4 += w[o0 + 4 * cols + i] * xi;
            s5 += w[o0 + 5 * cols + i] * xi;
            s6 += w[o0 + 6 * cols + i] * xi;
            s7 += w[o0 + 7 * cols + i] * xi;
        }
        ScalarKernels.storeInt8(s0, yInt, y, yo + 0, scales, so + 0, xScale);
        ScalarKernels.storeInt8(s1, yInt, y, yo + 1, scales, so + 1, xScale);
        ScalarKernels.storeInt8(s2, yInt, y, yo + 2, scales, so + 2, xScale);
        ScalarKernels.storeInt8(s3, yInt, y, yo + 3, scales, so + 3, xScale);
        ScalarKernels.storeInt8(s4, yInt, y, yo + 4, scales, so + 4, xScale);
        ScalarKernels.storeInt8(s5, yInt, y, yo + 5, scales, so + 5, xScale);
        ScalarKernels.storeInt8(s6, yInt, y, yo + 6, scales, so + 6, xScale);
        ScalarKernels.storeInt8(s7, yInt, y, yo + 7, scales, so + 7, xScale);
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
        ShortVector pairBias = ShortVector.broadcast(S, PAIR_BIAS);
        IntVector a0 = IntVector.zero(I);
        IntVector a1 = IntVector.zero(I);
        IntVector a2 = IntVector.zero(I);
        IntVector a3 = IntVector.zero(I);
        IntVector h0 = IntVector.zero(I);
        IntVector h1 = IntVector.zero(I);
        IntVector h2 = IntVector.zero(I);
        IntVector h3 = IntVector.zero(I);
        int i = 0;
        // the biased pairs of dotInt8: two chunks of x widened once, each feeding four rows
        for (; i + 2 * BL <= cols; i += 2 * BL) {
            ShortVector xs = (ShortVector) ByteVector.fromArray(BH, x, xo + i).convertShape(B2S, S, 0);
            ShortVector xt = (ShortVector) ByteVector.fromArray(BH, x, xo + i + BL).convertShape(B2S, S, 0);
            IntVector p0 = ((ShortVector) ByteVector.fromArray(BH, w, o0 + i).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, o0 + i + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            IntVector p1 = ((ShortVector) ByteVector.fromArray(BH, w, o1 + i).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, o1 + i + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            IntVector p2 = ((ShortVector) ByteVector.fromArray(BH, w, o2 + i).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, o2 + i + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            IntVector p3 = ((ShortVector) ByteVector.fromArray(BH, w, o3 + i).convertShape(B2S, S, 0)).mul(xs)
                    .add(((ShortVector) ByteVector.fromArray(BH, w, o3 + i + BL).convertShape(B2S, S, 0)).mul(xt))
                    .add(pairBias).reinterpretAsInts();
            a0 = a0.add(p0);
            h0 = h0.add(p0.lanewise(LSHR, 16));
            a1 = a1.add(p1);
            h1 = h1.add(p1.lanewise(LSHR, 16));
            a2 = a2.add(p2);
            h2 = h2.add(p2.lanewise(LSHR, 16));
            a3 = a3.add(p3);
            h3 = h3.add(p3.lanewise(LSHR, 16));
        }
        int bias = (PAIR_BIAS / 2) * i;
        if (i + BL <= cols) {
            ShortVector oneBias = ShortVector.broadcast(S, ONE_BIAS);
            ShortVector xs = (ShortVector) ByteVector.fromArray(BH, x, xo + i).convertShape(B2S, S, 0);
            IntVector p0 = ((ShortVector) ByteVector.fromArray(BH, w, o0 + i).convertShape(B2S, S, 0)).mul(xs)
                    .add(oneBias).reinterpretAsInts();
            IntVector p1 = ((ShortVector) ByteVector.fromArray(BH, w, o1 + i).convertShape(B2S, S, 0)).mul(xs)
                    .add(oneBias).reinterpretAsInts();
            IntVector p2 = ((ShortVector) ByteVector.fromArray(BH, w, o2 + i).convertShape(B2S, S, 0)).mul(xs)
                    .add(oneBias).reinterpretAsInts();
            IntVector p3 = ((ShortVector) ByteVector.fromArray(BH, w, o3 + i).convertShape(B2S, S, 0)).mul(xs)
                    .add(oneBias).reinterpretAsInts();
            a0 = a0.add(p0);
            h0 = h0.add(p0.lanewise(LSHR, 16));
            a1 = a1.add(p1);
            h1 = h1.add(p1.lanewise(LSHR, 16));
            a2 = a2.add(p2);
            h2 = h2.add(p2.lanewise(LSHR, 16));
            a3 = a3.add(p3);
            h3 = h3.add(p3.lanewise(LSHR, 16));
            i += BL;
            bias += ONE_BIAS * BL;
        }
        // A − 65535·H = A − (H << 16) + H lane by lane, so each row takes one reduction, not two: in a
        // small layer the reductions cost more than the products
        int s0 = a0.sub(h0.lanewise(LSHL, 16)).add(h0).reduceLanes(ADD) - bias;
        int s1 = a1.sub(h1.lanewise(LSHL, 16)).add(h1).reduceLanes(ADD) - bias;
        int s2 = a2.sub(h2.lanewise(LSHL, 16)).add(h2).reduceLanes(ADD) - bias;
        int s3 = a3.sub(h3.lanewise(LSHL, 16)).add(h3).reduceLanes(ADD) - bias;
        for (; i < cols; i++) {
            int xi = x[xo + i];
            s0 += w[o0 + i] * xi;
            s1 += w[o1 + i] * xi;
            s2 += w[o2 + i] * xi;
            s3 += w[o3 + i] * xi;
        }
        ScalarKernels.storeInt8(s0, yInt, y, yo, scales, so, xScale);
        ScalarKernels.storeInt8(s1, yInt, y, yo + 1, scales, so + 1, xScale);
        ScalarKernels.storeInt8(s2, yInt, y, yo + 2, scales, so + 2, xScale);
        ScalarKernels.storeInt8(s3, yInt, y, yo + 3, scales, so + 3, xScale);
    }
}
