package org.mlops4j.quant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel on both implementations, at the width this JVM runs (the build runs this class once per width
 * the machine supports: the widest by default, then forced to 256 and 128 bits), over lengths that exercise the vector tails (0…70 and around
 * powers of two), offsets, and matrix shapes around the 4-row and 16-column blocking. Integer results
 * must be identical; float sums may differ by rounding order only.
 */
class KernelParityTest {

    private static final KernelSupport SCALAR = new ScalarKernels();
    private static final KernelSupport SIMD = new PanamaKernels();

    static IntStream lengths() {
        return IntStream.concat(IntStream.rangeClosed(0, 70),
                IntStream.of(127, 128, 129, 255, 256, 257, 511, 1000, 1023, 1024, 1025, 4099));
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static float[] floats(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }

    private static short[] halves(Random r, int n) {
        short[] h = new short[n];
        for (int i = 0; i < n; i++) {
            h[i] = Float.floatToFloat16((float) r.nextGaussian() * 4);
        }
        return h;
    }

    /** Rounding-order tolerance for a float sum of n products whose magnitudes add up to mag. */
    private static float tol(int n, double mag) {
        return (float) (1e-6 * (n + 8) * mag + 1e-30);
    }

    /** The width this JVM's kernels must run at: the platform's, or the narrower one the build forces. */
    static int expectedBits() {
        int platform = Math.min(512, Integer.highestOneBit(PanamaKernels.preferredBits()));
        int forced = KernelLookup.forcedBits(System.getProperty(KernelLookup.PROPERTY, ""));
        return forced == 0 ? platform : Math.min(forced, platform);
    }

    @Test
    void theSimdImplementationIsTheOneChosenWhenTheModuleIsPresentAtTheExpectedWidth() {
        assertThat(org.mlops4j.quant.Kernels.best().isVectorized()).isTrue();
        assertThat(SIMD.bits()).isEqualTo(expectedBits());
        assertThat(org.mlops4j.quant.Kernels.best().name()).isEqualTo("panama-" + expectedBits());
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void dotProductsAgree(int n) {
        Random r = new Random(n);
        int off = n % 3;
        byte[] a = bytes(r, n + off);
        byte[] b = bytes(r, n + 2 * off);
        assertThat(SIMD.dotInt8(a, off, b, 2 * off, n)).isEqualTo(SCALAR.dotInt8(a, off, b, 2 * off, n));

        float[] x = floats(r, n + off);
        float[] y = floats(r, n + off);
        double mag = 0;
        for (int i = 0; i < n; i++) {
            mag += Math.abs(x[off + i] * y[off + i]);
        }
        assertThat(SIMD.dotFp32(x, off, y, off, n)).isCloseTo(SCALAR.dotFp32(x, off, y, off, n), within(tol(n, mag)));

        short[] h = halves(r, n + off);
        short[] g = halves(r, n + off);
        double magH = 0;
        double magHx = 0;
        double magBx = 0;
        for (int i = 0; i < n; i++) {
            magH += Math.abs(Float.float16ToFloat(h[off + i]) * Float.float16ToFloat(g[off + i]));
            magHx += Math.abs(Float.float16ToFloat(h[off + i]) * y[off + i]);
            magBx += Math.abs(a[off + i] * y[off + i]);
        }
        assertThat(SIMD.dotFp16(h, off, g, off, n)).isCloseTo(SCALAR.dotFp16(h, off, g, off, n), within(tol(n, magH)));
        assertThat(SIMD.dotFp16Fp32(h, off, y, off, n))
                .isCloseTo(SCALAR.dotFp16Fp32(h, off, y, off, n), within(tol(n, magHx)));
        assertThat(SIMD.dotInt8Fp32(a, off, y, off, n))
                .isCloseTo(SCALAR.dotInt8Fp32(a, off, y, off, n), within(tol(n, magBx)));
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void elementwiseKernelsAgreeExactly(int n) {
        Random r = new Random(1000 + n);
        int off = n % 5;
        float[] x = floats(r, n + off);
        for (int i = 0; i < x.length; i += 7) {
            x[i] *= 1e5f; // some values beyond the int8 range and beyond fp16
        }
        if (x.length > 3) {
            x[1] = Float.NaN;
            x[2] = Float.POSITIVE_INFINITY;
            x[3] = Float.NEGATIVE_INFINITY;
        }
        byte[] q1 = new byte[n + off];
        byte[] q2 = new byte[n + off];
        SIMD.quantize(x, off, q1, off, n, 37.5f, -3, -128, 127);
        SCALAR.quantize(x, off, q2, off, n, 37.5f, -3, -128, 127);
        assertThat(q1).isEqualTo(q2);
        SIMD.quantize(x, off, q1, off, n, 11f, 0, -127, 127);
        SCALAR.quantize(x, off, q2, off, n, 11f, 0, -127, 127);
        assertThat(q1).isEqualTo(q2);

        float[] d1 = new float[n + off];
        float[] d2 = new float[n + off];
        SIMD.dequantize(q1, off, d1, off, n, 0.031f, 5);
        SCALAR.dequantize(q1, off, d2, off, n, 0.031f, 5);
        assertThat(d1).isEqualTo(d2);

        short[] h1 = new short[n + off];
        short[] h2 = new short[n + off];
        SIMD.toFp16(x, off, h1, off, n);
        SCALAR.toFp16(x, off, h2, off, n);
        assertThat(h1).isEqualTo(h2);
        SIMD.toFp32(h1, off, d1, off, n);
        SCALAR.toFp32(h1, off, d2, off, n);
        assertThat(d1).usingElementComparator(KernelParityTest::sameBits).isEqualTo(d2);

        assertThat(Float.floatToIntBits(SIMD.maxAbs(x, off, n))).isEqualTo(Float.floatToIntBits(SCALAR.maxAbs(x, off, n)));
        float[] clean = floats(r, n + off);
        assertThat(SIMD.maxAbs(clean, off, n)).isEqualTo(SCALAR.maxAbs(clean, off, n));
        assertThat(SIMD.argmax(x, off, n)).isEqualTo(SCALAR.argmax(x, off, n));
        assertThat(SIMD.argmax(clean, off, n)).isEqualTo(SCALAR.argmax(clean, off, n));

        float[] r1 = x.clone();
        float[] r2 = x.clone();
        SIMD.relu(r1, off, n);
        SCALAR.relu(r2, off, n);
        assertThat(r1).usingElementComparator(KernelParityTest::sameBits).isEqualTo(r2);
    }

    private static int sameBits(float a, float b) {
        return Integer.compare(Float.floatToIntBits(a), Float.floatToIntBits(b));
    }

    @Test
    void fp16DecodingInRegistersMatchesTheJdkForEveryBitPattern() {
        short[] h = new short[8];
        float[] oneHot = new float[8];
        for (int bits = 0; bits < 65536; bits++) {
            int lane = bits & 7;
            h[lane] = (short) bits;
            oneHot[lane] = 1f;
            float decoded = SIMD.dotFp16Fp32(h, 0, oneHot, 0, 8);
            float expected = Float.float16ToFloat((short) bits);
            if (Float.isNaN(expected)) {
                assertThat(decoded).as("half 0x%04x", bits).isNaN();
            } else {
                assertThat(decoded).as("half 0x%04x", bits).isEqualTo(expected);
            }
            h[lane] = 0;
            oneHot[lane] = 0f;
        }
    }

    @Test
    void fp16RowsDecodedInRegistersMatchTheJdkForEveryBitPattern() {
        // rows of 256 halves take the in-register decoder; each call puts four patterns in one column of four
        // rows and multiplies by the one-hot x of that column, so y holds the four decoded halves; infinities
        // and NaN take the decoder's fallback to the buffered path
        int cols = 256;
        short[] w = new short[4 * cols];
        float[] x = new float[cols];
        float[] y = new float[4];
        for (int base = 0; base < 65536; base += 4) {
            int col = (base >> 2) % cols;
            for (int r = 0; r < 4; r++) {
                w[r * cols + col] = (short) (base + r);
            }
            x[col] = 1f;
            SIMD.matvecFp16(w, cols, x, y, 0, 4);
            for (int r = 0; r < 4; r++) {
                float expected = Float.float16ToFloat((short) (base + r));
                if (Float.isNaN(expected)) {
                    assertThat(y[r]).as("half 0x%04x", base + r).isNaN();
                } else {
                    assertThat(y[r]).as("half 0x%04x", base + r).isEqualTo(expected);
                }
                w[r * cols + col] = 0;
            }
            x[col] = 0f;
        }
    }

    @ParameterizedTest
    @MethodSource("longRowShapes")
    void fp16MatrixVectorProductsWithLongRowsAgree(int[] shape) {
        int rows = shape[0];
        int cols = shape[1];
        Random r = new Random(17L * rows + cols);
        short[] w = halves(r, rows * cols);
        float[] x = floats(r, cols);
        float[] y1 = new float[rows];
        float[] y2 = new float[rows];
        SIMD.matvecFp16(w, cols, x, y1, 0, rows);
        SCALAR.matvecFp16(w, cols, x, y2, 0, rows);
        assertClose(y1, y2, cols * 16);
        // an infinity in row 1 and a NaN in row 6: those rows (and only those) follow the scalar result
        w[cols + cols / 2] = Float.floatToFloat16(Float.POSITIVE_INFINITY);
        if (rows > 6) {
            w[6 * cols + cols - 1] = (short) 0x7e01;
        }
        SIMD.matvecFp16(w, cols, x, y1, 0, rows);
        SCALAR.matvecFp16(w, cols, x, y2, 0, rows);
        for (int i = 0; i < rows; i++) {
            if (Float.isNaN(y2[i])) {
                assertThat(y1[i]).as("row %d", i).isNaN();
            } else if (Float.isInfinite(y2[i])) {
                assertThat(y1[i]).as("row %d", i).isEqualTo(y2[i]);
            } else {
                assertThat(y1[i]).as("row %d", i).isCloseTo(y2[i], within(1e-5f * (cols * 16 + 8)));
            }
        }
        assertThat(Float.isInfinite(y1[1]) || Float.isNaN(y1[1])).as("row 1 holds an infinite weight").isTrue();
    }

    static int[][] longRowShapes() {
        // around the in-register threshold (256) and the old chunk (512), odd tails at every width
        return new int[][] {{4, 255}, {4, 256}, {5, 257}, {7, 300}, {8, 511}, {9, 513}, {3, 1000}, {13, 1031}};
    }

    static int[][] shapes() {
        // 8-row, 4-row and single-row passes of the int8 kernel
        return grid(new int[] {1, 3, 4, 5, 7, 8, 13, 17}, new int[] {1, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 100});
    }

    /** Every (rows, columns) pair of the two lists. */
    private static int[][] grid(int[] rows, int[] cols) {
        int[][] s = new int[rows.length * cols.length][];
        int i = 0;
        for (int r : rows) {
            for (int c : cols) {
                s[i++] = new int[] {r, c};
            }
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matrixVectorProductsAgree(int[] shape) {
        int rows = shape[0];
        int cols = shape[1];
        Random r = new Random(31L * rows + cols);
        float[] w = floats(r, rows * cols);
        float[] x = floats(r, cols);
        float[] y1 = new float[rows + 2];
        float[] y2 = new float[rows + 2];
        int from = rows > 2 ? 1 : 0;
        SIMD.matvecFp32(w, cols, x, y1, from, rows);
        SCALAR.matvecFp32(w, cols, x, y2, from, rows);
        assertClose(y1, y2, cols);
        if (from == 1) {
            assertThat(y1[0]).as("rows outside the range stay untouched").isZero();
        }

        short[] wh = halves(r, rows * cols);
        SIMD.matvecFp16(wh, cols, x, y1, 0, rows);
        SCALAR.matvecFp16(wh, cols, x, y2, 0, rows);
        assertClose(y1, y2, cols * 16);

        byte[] wq = bytes(r, rows * cols);
        float[] scales = floats(r, rows);
        SIMD.matvecInt8Fp32(wq, scales, cols, x, y1, 0, rows);
        SCALAR.matvecInt8Fp32(wq, scales, cols, x, y2, 0, rows);
        assertClose(y1, y2, cols * 400);

        byte[] xq = bytes(r, cols);
        int[] i1 = new int[rows];
        int[] i2 = new int[rows];
        SIMD.matvecInt8(wq, null, cols, xq, 0f, i1, null, 0, rows);
        SCALAR.matvecInt8(wq, null, cols, xq, 0f, i2, null, 0, rows);
        assertThat(i1).isEqualTo(i2);
        SIMD.matvecInt8(wq, scales, cols, xq, 0.013f, null, y1, 0, rows);
        SCALAR.matvecInt8(wq, scales, cols, xq, 0.013f, null, y2, 0, rows);
        assertThat(y1).isEqualTo(y2);
    }

    static int[][] fp32MatvecShapes() {
        // columns around one, two and four vectors at every width and a long odd row; row counts and ranges
        // that leave an odd last row
        return grid(new int[] {1, 2, 3, 5, 9}, new int[] {1, 7, 15, 16, 17, 31, 63, 64, 65, 129, 1023});
    }

    @ParameterizedTest
    @MethodSource("fp32MatvecShapes")
    void fp32MatrixVectorRowsAgreeWithTheScalarKernelOverTailsAndRowRanges(int[] shape) {
        int rows = shape[0];
        int cols = shape[1];
        Random r = new Random(977L * rows + cols);
        float[] w = floats(r, rows * cols);
        float[] x = floats(r, cols);
        float[] scalar = new float[rows];
        SCALAR.matvecFp32(w, cols, x, scalar, 0, rows);
        for (int from = 0; from < Math.min(rows, 2); from++) {
            float[] y = new float[rows];
            SIMD.matvecFp32(w, cols, x, y, from, rows);
            for (int i = 0; i < rows; i++) {
                if (i < from) {
                    assertThat(y[i]).as("row %d outside the range", i).isZero();
                    continue;
                }
                double mag = 0;
                for (int c = 0; c < cols; c++) {
                    mag += Math.abs(w[i * cols + c] * x[c]);
                }
                assertThat(y[i]).as("row %d of %d×%d from %d", i, rows, cols, from)
                        .isCloseTo(scalar[i], within(tol(cols, mag)));
            }
        }
    }

    static int[][] inputMajorShapes() {
        // outputs around every vector length (4, 8, 16 floats) and the four-vector blocks; inputs odd and even
        int[] outs = {1, 3, 4, 5, 8, 10, 13, 16, 17, 31, 33, 48, 63, 64, 65, 100, 128, 129};
        int[] ins = {1, 2, 3, 7, 16, 17, 64, 65, 128};
        int[][] s = new int[outs.length * ins.length][];
        int i = 0;
        for (int o : outs) {
            for (int c : ins) {
                s[i++] = new int[] {o, c};
            }
        }
        return s;
    }

    /** wT[j·ld + r] = w[r·in + j], zero padding, as DenseNetwork packs it (bytes with the trailing slack). */
    private static float[] inputMajor(float[] w, int out, int in, int ld) {
        float[] t = new float[in * ld];
        for (int r = 0; r < out; r++) {
            for (int j = 0; j < in; j++) {
                t[j * ld + r] = w[r * in + j];
            }
        }
        return t;
    }

    private static byte[] inputMajor(byte[] w, int out, int in, int ld) {
        byte[] t = new byte[in * ld + KernelSupport.INPUT_MAJOR_ALIGN];
        for (int r = 0; r < out; r++) {
            for (int j = 0; j < in; j++) {
                t[j * ld + r] = w[r * in + j];
            }
        }
        return t;
    }

    @ParameterizedTest
    @MethodSource("inputMajorShapes")
    void inputMajorMatrixVectorProductsAgreeWithTheRowMajorOnes(int[] shape) {
        int out = shape[0];
        int in = shape[1];
        int ld = KernelSupport.inputMajorStride(out);
        assertThat(ld % 16).isZero();
        Random r = new Random(53L * out + in);
        float[] w = floats(r, out * in);
        float[] t = inputMajor(w, out, in, ld);
        int xOff = in % 3;
        float[] x = floats(r, in + xOff);
        float[] xRow = java.util.Arrays.copyOfRange(x, xOff, xOff + in);
        int yOff = out % 2 + 1;
        float[] y1 = new float[out + yOff + 1];
        float[] y2 = new float[out + yOff + 1];
        float[] yRow = new float[out];
        java.util.Arrays.fill(y1, 7f);
        java.util.Arrays.fill(y2, 7f);
        SIMD.matvecFp32T(t, ld, in, out, x, xOff, y1, yOff);
        SCALAR.matvecFp32T(t, ld, in, out, x, xOff, y2, yOff);
        SCALAR.matvecFp32(w, in, xRow, yRow, 0, out);
        assertClose(y1, y2, in);
        for (int i = 0; i < out; i++) {
            assertThat(y2[yOff + i]).as("scalar input-major vs row-major, output %d", i)
                    .isCloseTo(yRow[i], within(1e-5f * (in + 8)));
        }
        assertThat(y1[yOff - 1]).as("before the outputs").isEqualTo(7f);
        assertThat(y1[yOff + out]).as("after the outputs").isEqualTo(7f);

        byte[] wq = bytes(r, out * in);
        byte[] tq = inputMajor(wq, out, in, ld);
        float[] scales = floats(r, out);
        SIMD.matvecInt8Fp32T(tq, ld, in, out, scales, x, xOff, y1, yOff);
        SCALAR.matvecInt8Fp32T(tq, ld, in, out, scales, x, xOff, y2, yOff);
        assertClose(y1, y2, in * 400);
        SCALAR.matvecInt8Fp32(wq, scales, in, xRow, yRow, 0, out);
        for (int i = 0; i < out; i++) {
            assertThat(y1[yOff + i]).isCloseTo(yRow[i], within(1e-5f * 400 * (in + 8)));
        }
        assertThat(y1[yOff + out]).isEqualTo(7f);

        byte[] xq = bytes(r, in + xOff);
        byte[] xqRow = java.util.Arrays.copyOfRange(xq, xOff, xOff + in);
        SIMD.matvecInt8T(tq, ld, in, out, scales, xq, xOff, 0.013f, y1, yOff);
        SCALAR.matvecInt8T(tq, ld, in, out, scales, xq, xOff, 0.013f, y2, yOff);
        SCALAR.matvecInt8(wq, scales, in, xqRow, 0.013f, null, yRow, 0, out);
        assertThat(y1).as("int8 × int8 is exact: the same bits as the scalar kernels").isEqualTo(y2);
        assertThat(java.util.Arrays.copyOfRange(y1, yOff, yOff + out)).isEqualTo(yRow);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void inputMajorInt8IsExactAtTheEndsOfTheRange(int in) {
        int out = 37;
        int ld = KernelSupport.inputMajorStride(out);
        byte[] w = new byte[out * in];
        byte[] x = new byte[in];
        java.util.Arrays.fill(w, (byte) -128);
        java.util.Arrays.fill(x, (byte) -128);
        for (int i = 0; i < w.length; i += 3) {
            w[i] = 127;
        }
        float[] ones = new float[out];
        java.util.Arrays.fill(ones, 1f);
        float[] y1 = new float[out];
        float[] y2 = new float[out];
        SIMD.matvecInt8T(inputMajor(w, out, in, ld), ld, in, out, ones, x, 0, 1f, y1, 0);
        SCALAR.matvecInt8(w, ones, in, x, 1f, null, y2, 0, out);
        assertThat(y1).isEqualTo(y2);
    }

    static int[][] wideShapes() {
        return new int[][] {{5, 511}, {5, 513}, {8, 1024}, {7, 1300}, {4, 2049}};
    }

    @ParameterizedTest
    @MethodSource("wideShapes")
    void matrixVectorProductsAgreeOnRowsLongerThanTheConversionChunk(int[] shape) {
        matrixVectorProductsAgree(shape);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matrixProductsAgree(int[] shape) {
        for (int n : new int[] {1, 4, 6, 9}) {
            assertMatrixProductsAgree(new Random(7L * shape[0] + 13L * shape[1] + n), shape[0], shape[1], n);
        }
    }

    @Test
    void largeMatricesSpanSeveralCacheBlocks() {
        assertMatrixProductsAgree(new Random(99), 3, 4096, 70);
    }

    private static void assertMatrixProductsAgree(Random r, int m, int k, int n) {
        float[] a = floats(r, m * k);
        float[] b = floats(r, n * k);
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        SIMD.matmulFp32(a, m, b, n, k, c1);
        SCALAR.matmulFp32(a, m, b, n, k, c2);
        assertClose(c1, c2, k);

        byte[] qa = bytes(r, m * k);
        byte[] qb = bytes(r, n * k);
        int[] i1 = new int[m * n];
        int[] i2 = new int[m * n];
        SIMD.matmulInt8(qa, null, m, qb, null, n, k, i1, null);
        SCALAR.matmulInt8(qa, null, m, qb, null, n, k, i2, null);
        assertThat(i1).isEqualTo(i2);
        float[] as = floats(r, m);
        float[] bs = floats(r, n);
        SIMD.matmulInt8(qa, as, m, qb, bs, n, k, null, c1);
        SCALAR.matmulInt8(qa, as, m, qb, bs, n, k, null, c2);
        assertThat(c1).isEqualTo(c2);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void int8KernelsAreExactAtTheEndsOfTheRange(int n) {
        // −128·−128 twice is the largest pair sum the biased 16-bit fields hold, −128·127 twice the smallest
        for (byte[] pattern : new byte[][] {{-128, -128}, {-128, 127}, {127, -128, -128}}) {
            byte[] w = new byte[4 * n];
            byte[] x = new byte[n];
            for (int i = 0; i < w.length; i++) {
                w[i] = (byte) (i % 2 == 0 ? -128 : pattern[i % pattern.length]);
            }
            for (int i = 0; i < n; i++) {
                x[i] = pattern[(i + 1) % pattern.length];
            }
            assertThat(SIMD.dotInt8(w, 0, x, 0, n)).isEqualTo(SCALAR.dotInt8(w, 0, x, 0, n));
            int[] y1 = new int[4];
            int[] y2 = new int[4];
            SIMD.matvecInt8(w, null, n, x, 0f, y1, null, 0, 4);
            SCALAR.matvecInt8(w, null, n, x, 0f, y2, null, 0, 4);
            assertThat(y1).isEqualTo(y2);
        }
    }

    @Test
    void int8DotWrapsLikeJavaIntBeyondTheExactRange() {
        int n = 140_000; // 140 000 · 16 384 > 2^31
        byte[] a = new byte[n];
        java.util.Arrays.fill(a, (byte) -128);
        assertThat(SIMD.dotInt8(a, 0, a, 0, n)).isEqualTo(SCALAR.dotInt8(a, 0, a, 0, n)).isEqualTo(n * 16384);
    }

    private static void assertClose(float[] a, float[] b, int terms) {
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("index %d", i).isCloseTo(b[i], within(1e-5f * (terms + 8)));
        }
    }
}
