package org.mlops4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The public facade: the documented example, numeric contract and argument checks, on both implementations. */
class KernelsTest {

    static Kernels[] both() {
        return new Kernels[] {Kernels.best(), Kernels.scalar()};
    }

    @ParameterizedTest
    @MethodSource("both")
    void theJavadocExampleComputesWhatItSays(Kernels k) {
        byte[] a = {1, -2, 3};
        byte[] b = {4, 5, -6};
        assertThat(k.dotInt8(a, b)).isEqualTo(-24);
        float[] w = {1, 2, 3, 4, 5, 6};
        float[] y = new float[2];
        k.matvec(w, 2, 3, new float[] {1, 1, 1}, y);
        assertThat(y).containsExactly(6f, 15f);
    }

    @ParameterizedTest
    @MethodSource("both")
    void matrixKernelsComputeTheTextbookProducts(Kernels k) {
        float[] a = {1, 2, 3, 4, 5, 6};          // 2 × 3
        float[] bT = {1, 0, 1, 0, 1, 0};         // 2 × 3 (B transposed)
        float[] c = new float[4];
        k.matmul(a, 2, 3, bT, 2, c);
        assertThat(c).containsExactly(4f, 2f, 10f, 5f);
        byte[] qa = {1, 2, 3, 4, 5, 6};
        byte[] qb = {1, 0, 1, 0, 1, 0};
        int[] ci = new int[4];
        k.matmulInt8(qa, 2, 3, qb, 2, ci);
        assertThat(ci).containsExactly(4, 2, 10, 5);
        float[] cs = new float[4];
        k.matmulInt8(qa, new float[] {1, 2}, 2, 3, qb, new float[] {0.5f, 0.25f}, 2, cs);
        assertThat(cs).containsExactly(2f, 0.5f, 10f, 2.5f);
        int[] yi = new int[2];
        k.matvecInt8(qa, 2, 3, new byte[] {1, 1, 1}, yi);
        assertThat(yi).containsExactly(6, 15);
        float[] y = new float[2];
        k.matvecInt8(qa, new float[] {0.5f, 2f}, 2, 3, new byte[] {1, 1, 1}, 0.5f, y);
        assertThat(y).containsExactly(1.5f, 15f);
        k.matvecInt8(qa, new float[] {0.5f, 2f}, 2, 3, new float[] {1, 1, 1}, y);
        assertThat(y).containsExactly(3f, 30f);
        short[] h = Fp16.encode(new float[] {1, 2, 3, 4, 5, 6});
        k.matvecFp16(h, 2, 3, new float[] {1, 1, 1}, y);
        assertThat(y).containsExactly(6f, 15f);
        assertThat(k.dotFp16(h, h)).isEqualTo(91f);
        assertThat(k.dotFp16Fp32(h, new float[] {1, 1, 1, 1, 1, 1})).isEqualTo(21f);
        assertThat(k.dotInt8Fp32(qa, new float[] {1, 1, 1, 1, 1, 0.5f})).isEqualTo(18f);
    }

    @ParameterizedTest
    @MethodSource("both")
    void quantizationRoundsHalfToEvenAndClamps(Kernels k) {
        float[] x = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 1000f, -1000f};
        byte[] q = new byte[x.length];
        k.quantize(x, q, 1f, 0);
        assertThat(q).containsExactly(0, 2, 2, 0, -2, 127, -128);
        k.quantizeSymmetric(x, q, 1f);
        assertThat(q).containsExactly(0, 2, 2, 0, -2, 127, -127);
        float[] back = new float[x.length];
        k.dequantize(new byte[] {-128, 0, 127, 10, 0, 0, 0}, back, 0.5f, 10);
        assertThat(back).containsExactly(-69f, -5f, 58.5f, 0f, -5f, -5f, -5f);
    }

    @ParameterizedTest
    @MethodSource("both")
    void helpersFollowTheirNaNAndEmptyRules(Kernels k) {
        assertThat(k.maxAbs(new float[] {1, -7, 3})).isEqualTo(7f);
        assertThat(k.maxAbs(new float[] {1, Float.NaN, 3})).isNaN();
        assertThat(k.maxAbs(new float[0])).isZero();
        assertThat(k.argmax(new float[] {1, 9, 9, 3})).isEqualTo(1);
        assertThat(k.argmax(new float[] {1, 9, Float.NaN, Float.NaN})).isEqualTo(2);
        assertThat(k.argmax(new float[0])).isEqualTo(-1);
        assertThat(k.argmax(new float[] {5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 1, 4)).isEqualTo(3);
        float[] r = {-1, 2, -0f, Float.NaN, Float.NEGATIVE_INFINITY};
        k.relu(r);
        assertThat(r[0]).isZero();
        assertThat(r[1]).isEqualTo(2f);
        assertThat(Float.floatToIntBits(r[2])).isEqualTo(Float.floatToIntBits(-0f));
        assertThat(r[3]).isNaN();
        assertThat(r[4]).isZero();
        short[] h = new short[3];
        k.toFp16(new float[] {1e9f, Float.NEGATIVE_INFINITY, Float.NaN}, h);
        float[] f = new float[3];
        k.toFp32(h, f);
        assertThat(f[0]).isEqualTo(Fp16.MAX);
        assertThat(f[1]).isEqualTo(-Fp16.MAX);
        assertThat(f[2]).isNaN();
    }

    @ParameterizedTest
    @MethodSource("both")
    void argumentsAreCheckedOnceWithMessagesNamingTheRule(Kernels k) {
        assertThatThrownBy(() -> k.dotInt8(new byte[3], new byte[4])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vectors must have the same length but were 3 and 4");
        assertThatThrownBy(() -> k.dotFp32(new float[3], 1, new float[3], 0, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> k.matvec(new float[5], 2, 3, new float[3], new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("w.length must be rows·cols = 2·3 = 6 but was 5");
        assertThatThrownBy(() -> k.matvec(new float[6], 2, 3, new float[2], new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("x.length must be 3 but was 2");
        assertThatThrownBy(() -> k.matvec(new float[6], 2, 3, new float[3], new float[2], 1, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> k.quantize(new float[1], new byte[1], 0f, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("scale must be finite and > 0 but was 0.0");
        assertThatThrownBy(() -> k.quantize(new float[1], new byte[1], Float.NaN, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("scale must be finite and > 0 but was NaN");
        assertThatThrownBy(() -> k.quantize(new float[1], new byte[1], 1f, 200))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("zeroPoint must be in [-128, 127] but was 200");
        assertThatThrownBy(() -> k.toFp16(new float[3], new short[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("dst.length must be >= 3 but was 2");
        assertThatThrownBy(() -> k.matmulInt8(new byte[6], new float[1], 2, 3, new byte[6], new float[2], 2, new float[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("aScales.length must be >= 2 but was 1");
    }

    @ParameterizedTest
    @MethodSource("both")
    void rowRangesLeaveOtherRowsUntouched(Kernels k) {
        float[] w = new float[4 * 8];
        java.util.Arrays.fill(w, 1f);
        float[] x = new float[8];
        java.util.Arrays.fill(x, 1f);
        float[] y = {-1, -1, -1, -1};
        k.matvec(w, 4, 8, x, y, 1, 3);
        assertThat(y).containsExactly(-1f, 8f, 8f, -1f);
    }

    @ParameterizedTest
    @MethodSource("both")
    void standardizeGivesTheBitsOfTheScalarExpressionAtEveryWidthAndOffset(Kernels k) {
        float[] z = new float[2];
        k.standardize(new double[] {3, 10}, 0, 1, new float[] {1, 4}, new float[] {2, 3}, z, 0);
        assertThat(z).containsExactly(1f, 2f);
        java.util.Random rnd = new java.util.Random(14);
        for (int w : new int[] {1, 3, 7, 8, 9, 16, 17, 33, 64, 65}) {
            int rows = 3;
            float[] mean = new float[w];
            float[] scale = new float[w];
            for (int c = 0; c < w; c++) {
                mean[c] = (float) rnd.nextGaussian() * 10;
                scale[c] = 0.1f + rnd.nextFloat() * 7;
            }
            double[] src = new double[2 + rows * w];
            for (int i = 0; i < src.length; i++) {
                src[i] = rnd.nextGaussian() * 1e3;
            }
            src[2] = Double.NaN;
            src[src.length - 1] = Double.POSITIVE_INFINITY;
            float[] dst = new float[1 + rows * w];
            dst[0] = 42f;
            k.standardize(src, 2, rows, mean, scale, dst, 1);
            assertThat(dst[0]).isEqualTo(42f);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < w; c++) {
                    float want = ((float) src[2 + r * w + c] - mean[c]) / scale[c];
                    assertThat(Float.floatToRawIntBits(dst[1 + r * w + c])).as("w=%d r=%d c=%d", w, r, c)
                            .isEqualTo(Float.floatToRawIntBits(want));
                }
            }
        }
        assertThatThrownBy(() -> k.standardize(new double[4], 0, 2, new float[2], new float[3], new float[4], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same length");
        assertThatThrownBy(() -> k.standardize(new double[3], 0, 2, new float[2], new float[2], new float[4], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> k.standardize(new double[4], 0, 2, new float[2], new float[2], new float[3], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
