package org.mlops4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * Properties of the int8 and fp16 formats on edge values: zeros, constants, subnormals, values beyond the
 * fp16 range, non-finite values, and the round-trip bound |dequant(quant(x)) − x| ≤ scale/2 inside the
 * clipping range.
 *
 * <p>Each property draws its inputs from a seeded generator: the edge values first, then random ones.
 * The number of tries comes from {@code mlops.quant.tries} (200, or 20 000 with {@code -Psoak}); a failure
 * names the property's seed and the try, so it reproduces exactly.
 */
class QuantPropertiesTest {

    private static final int TRIES = Integer.getInteger("mlops.quant.tries", 200);

    /** A tensor with its shape. */
    record Tensor(float[] values, int rows, int cols) {
    }

    /** Runs {@code property} on {@link #TRIES} draws of a generator seeded with {@code seed}. */
    private static void forAll(long seed, Consumer<Draw> property) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int t = 0; t < TRIES; t++) {
            Draw draw = new Draw(rnd.split(), t);
            try {
                property.accept(draw);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property failed at try " + t + " (seed " + seed + "): " + e.getMessage(), e);
            }
        }
    }

    /** The values of one try: edge cases on the first tries, random values after. */
    static final class Draw {
        /** Floats where formats tend to break: signed zeros, the ends of the float and fp16 ranges, specials. */
        private static final float[] EDGE_FLOATS = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
            -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Fp16.MAX, -Fp16.MAX, 65519.99f, 65520f, 0x1p-14f, 0x1p-24f, 0x1p-25f, 0x1.ffcp-15f};
        private static final Int8Spec[] BASE_SPECS = {Int8Spec.perTensor(), Int8Spec.perChannel(), Int8Spec.q8_0(),
            Int8Spec.perBlock(5)};

        private final SplittableRandom rnd;
        private final int index;

        Draw(SplittableRandom rnd, int index) {
            this.rnd = rnd;
            this.index = index;
        }

        /** Any float: an edge value on the first tries, then every bit pattern equally likely (NaNs too). */
        float anyFloat() {
            return index < EDGE_FLOATS.length ? EDGE_FLOATS[index] : Float.intBitsToFloat(rnd.nextInt());
        }

        int intBetween(int min, int max) {
            if (index == 0) {
                return min;
            }
            if (index == 1) {
                return max;
            }
            return min + rnd.nextInt(max - min + 1);
        }

        float floatBetween(float min, float max) {
            return index == 0 ? min : index == 1 ? max : min + (max - min) * (float) rnd.nextDouble();
        }

        boolean bool() {
            return rnd.nextBoolean();
        }

        Int8Spec spec() {
            Int8Spec s = BASE_SPECS[rnd.nextInt(BASE_SPECS.length)];
            return rnd.nextBoolean() ? s : s.asymmetric();
        }

        float nonFinite() {
            return new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}[rnd.nextInt(3)];
        }

        /** A 1-6 × 1-70 tensor of values from ±2^-149 (subnormal) to ~1e30, with signed zeros among them. */
        Tensor tensor() {
            int rows = 1 + rnd.nextInt(6);
            int cols = 1 + rnd.nextInt(70);
            float[] v = new float[rows * cols];
            for (int i = 0; i < v.length; i++) {
                int kind = rnd.nextInt(13);
                if (kind < 6) {
                    v[i] = (float) (rnd.nextDouble() * 2 - 1);
                } else if (kind < 12) {
                    v[i] = Math.scalb((float) (rnd.nextDouble() * 4 - 2), rnd.nextInt(-149, 101));
                } else {
                    v[i] = new float[] {0f, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL}[rnd.nextInt(4)];
                }
            }
            return new Tensor(v, rows, cols);
        }
    }

    private static void assertWithinHalfStep(QuantParams p, float[] values, float[] back) {
        for (int g = 0; g < p.groups(); g++) {
            float scale = p.scale(g);
            assertThat(scale).isPositive().isFinite();
            for (int i = p.groupStart(g); i < p.groupEnd(g); i++) {
                float x = values[i];
                if (x < p.clipLow(g) || x > p.clipHigh(g)) {
                    continue;
                }
                // scale/2 plus the float rounding of x·(1/scale) and of (q − zp)·scale
                double bound = scale * (0.5 + 1e-5) + Math.ulp(Math.abs(x));
                assertThat(Math.abs((double) back[i] - x)).as("value %s in group %d (scale %s)", x, g, scale)
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void minMaxRoundTripIsWithinHalfAStepEverywhere() {
        forAll(20261126L, d -> minMaxRoundTrip(d.tensor(), d.spec()));
    }

    private static void minMaxRoundTrip(Tensor t, Int8Spec spec) {
        QuantizedTensor q = spec.quantize(t.values(), t.rows(), t.cols());
        float[] back = q.dequantize();
        QuantParams p = q.params();
        for (int g = 0; g < p.groups(); g++) {
            if (p.scale(g) == Fp16.MAX && spec.granularity() == Granularity.PER_BLOCK) {
                continue; // documented: an fp16 block scale saturates, so blocks beyond ±65504·127 clip
            }
            for (int i = p.groupStart(g); i < p.groupEnd(g); i++) {
                assertThat(t.values()[i]).as("min-max never clips").isBetween(p.clipLow(g) - p.scale(g) / 2,
                        p.clipHigh(g) + p.scale(g) / 2);
            }
        }
        assertWithinHalfStep(p, t.values(), back);
    }

    @Test
    void clippedCalibrationsKeepTheBoundInsideTheirRangeAndSaturateOutside() {
        forAll(4242L, d -> clippedCalibration(d.tensor(), d.floatBetween(90f, 100f), d.bool()));
    }

    private static void clippedCalibration(Tensor t, float percentile, boolean mse) {
        Int8Spec spec = Int8Spec.perChannel().withCalibration(mse ? Calibration.mseOptimal() : Calibration.percentile(percentile));
        QuantizedTensor q = spec.quantize(t.values(), t.rows(), t.cols());
        float[] back = q.dequantize();
        QuantParams p = q.params();
        assertWithinHalfStep(p, t.values(), back);
        for (int g = 0; g < p.groups(); g++) {
            for (int i = p.groupStart(g); i < p.groupEnd(g); i++) {
                assertThat(back[i]).isBetween(p.clipLow(g), p.clipHigh(g));
            }
        }
    }

    @Test
    void constantAndAllZeroTensorsGetAPositiveScaleAndNoNaN() {
        forAll(7L, d -> constantTensor(d.intBetween(1, 200), d.anyFloat(), d.spec(), d.bool()));
    }

    private static void constantTensor(int n, float value, Int8Spec spec, boolean zero) {
        float c = zero || !Float.isFinite(value) ? 0f : value;
        float[] values = new float[n];
        java.util.Arrays.fill(values, c);
        QuantizedTensor q = spec.quantize(values, 1, n);
        float[] back = q.dequantize();
        for (int g = 0; g < q.params().groups(); g++) {
            assertThat(q.params().scale(g)).isPositive().isFinite();
        }
        for (float b : back) {
            assertThat(b).isNotNaN();
            if (c == 0f) {
                assertThat(b).isZero();
            }
        }
        assertWithinHalfStep(q.params(), values, back);
    }

    @Test
    void nonFiniteValuesAreRejectedByIndex() {
        forAll(99L, d -> nonFiniteRejected(d.tensor(), d.intBetween(0, 1000), d.nonFinite()));
    }

    private static void nonFiniteRejected(Tensor t, int at, float bad) {
        int index = at % t.values().length;
        float[] values = t.values().clone();
        values[index] = bad;
        assertThatThrownBy(() -> Int8Spec.perChannel().fit(values, t.rows(), t.cols()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("values[" + index + "] is " + bad);
    }

    @Test
    void kernelQuantizationSaturatesInfinitiesAndMapsNaNToTheZeroPoint() {
        forAll(11L, d -> nonFiniteKernelInputs(d.intBetween(-128, 127), d.floatBetween(1e-6f, 1e6f)));
    }

    private static void nonFiniteKernelInputs(int zp, float scale) {
        float[] x = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, -Float.MAX_VALUE};
        for (Kernels k : new Kernels[] {Kernels.best(), Kernels.scalar()}) {
            byte[] q = new byte[x.length];
            k.quantize(x, q, scale, zp);
            assertThat(q).containsExactly((byte) 127, (byte) -128, (byte) zp, (byte) 127, (byte) -128);
            k.quantizeSymmetric(x, q, scale);
            assertThat(q).containsExactly((byte) 127, (byte) -127, (byte) 0, (byte) 127, (byte) -127);
        }
    }

    @Test
    void fp16RoundTripIsWithinHalfAnUlpAndSaturatesBeyondItsRange() {
        forAll(5L, d -> fp16RoundTrip(d.anyFloat()));
    }

    private static void fp16RoundTrip(float x) {
        float back = Fp16.decode(Fp16.encode(x));
        float[] arrayBack = Fp16.decode(Fp16.encode(new float[] {x}));
        assertThat(Float.floatToIntBits(arrayBack[0])).isEqualTo(Float.floatToIntBits(back));
        if (Float.isNaN(x)) {
            assertThat(back).isNaN();
        } else if (Math.abs(x) >= Fp16.MAX) {
            assertThat(back).isEqualTo(Math.copySign(Fp16.MAX, x));
        } else if (Math.abs(x) >= 0x1p-14f) {
            // normal range: 11 significant bits → relative error ≤ 2^-11
            assertThat((double) Math.abs(back - x)).isLessThanOrEqualTo(Math.abs(x) * 0x1p-11);
        } else {
            // subnormal range: fixed spacing 2^-24 → absolute error ≤ 2^-25
            assertThat((double) Math.abs(back - x)).isLessThanOrEqualTo(0x1p-25);
            assertThat(Math.copySign(1f, back)).isEqualTo(Math.copySign(1f, x));
        }
    }

    @Test
    void bf16RoundTripKeepsEightSignificantBits() {
        forAll(6L, d -> bf16RoundTrip(d.anyFloat()));
    }

    private static void bf16RoundTrip(float x) {
        float back = Bf16.decode(Bf16.encode(x));
        if (Float.isNaN(x)) {
            assertThat(back).isNaN();
        } else if (Float.isInfinite(back)) {
            assertThat(Math.abs(x)).isGreaterThan(0x1.fep127f);
        } else if (Math.abs(x) >= Float.MIN_NORMAL) {
            assertThat((double) Math.abs(back - x)).isLessThanOrEqualTo(Math.abs(x) * 0x1p-8);
        } else {
            assertThat((double) Math.abs(back - x)).isLessThanOrEqualTo(0x1p-134);
        }
    }

    @Test
    void subnormalTensorsQuantizeWithoutDividingByZero() {
        forAll(8L, d -> subnormalTensor(d.intBetween(1, 64), d.intBetween(1, 0x7fffff), d.spec()));
    }

    private static void subnormalTensor(int n, int mantissa, Int8Spec spec) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = Float.intBitsToFloat((mantissa + i * 7919) & 0x7fffff) * (i % 2 == 0 ? 1 : -1);
        }
        QuantizedTensor q = spec.quantize(v, 1, n);
        float[] back = q.dequantize();
        assertThat(q.params().scale(0)).isGreaterThanOrEqualTo(spec.granularity() == Granularity.PER_BLOCK
                ? Fp16.MIN_SUBNORMAL : Float.MIN_NORMAL);
        for (float b : back) {
            assertThat(b).isFinite();
        }
        assertWithinHalfStep(q.params(), v, back);
    }
}
