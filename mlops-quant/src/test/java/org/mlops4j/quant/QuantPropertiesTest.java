package org.mlops4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/**
 * Properties of the int8 and fp16 formats on edge values: zeros, constants, subnormals, values beyond the
 * fp16 range, non-finite values, and the round-trip bound |dequant(quant(x)) − x| ≤ scale/2 inside the
 * clipping range. Seeds are fixed; the tries come from {@code jqwik.tries.default} (200, or 20 000 with
 * {@code -Psoak}).
 */
class QuantPropertiesTest {

    /** A tensor with its shape. */
    record Tensor(float[] values, int rows, int cols) {
    }

    @Provide
    Arbitrary<Int8Spec> specs() {
        Arbitrary<Int8Spec> base = Arbitraries.of(Int8Spec.perTensor(), Int8Spec.perChannel(), Int8Spec.q8_0(),
                Int8Spec.perBlock(5));
        return Combinators.combine(base, Arbitraries.of(true, false)).as((s, sym) -> sym ? s : s.asymmetric());
    }

    @Provide
    Arbitrary<Tensor> tensors() {
        // sign · mantissa · 2^exponent from the subnormal range (2^-149) up to ~1e30, plus signed zeros
        Arbitrary<Float> scaled = Combinators.combine(Arbitraries.floats().between(-2f, 2f).ofScale(6),
                Arbitraries.integers().between(-149, 100)).as((m, e) -> Math.scalb(m, e));
        Arbitrary<Float> magnitudes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.floats().between(-1f, 1f).ofScale(7)),
                net.jqwik.api.Tuple.of(6, scaled),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0f, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL)));
        return Arbitraries.integers().between(1, 6).flatMap(rows -> Arbitraries.integers().between(1, 70)
                .flatMap(cols -> magnitudes.array(float[].class).ofSize(rows * cols)
                        .map(v -> new Tensor(v, rows, cols))));
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

    @Property(seed = "20261126")
    void minMaxRoundTripIsWithinHalfAStepEverywhere(@ForAll("tensors") Tensor t, @ForAll("specs") Int8Spec spec) {
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

    @Property(seed = "4242")
    void clippedCalibrationsKeepTheBoundInsideTheirRangeAndSaturateOutside(@ForAll("tensors") Tensor t,
            @ForAll @FloatRange(min = 90f, max = 100f) float percentile, @ForAll boolean mse) {
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

    @Property(seed = "7")
    void constantAndAllZeroTensorsGetAPositiveScaleAndNoNaN(@ForAll @IntRange(min = 1, max = 200) int n,
            @ForAll float value, @ForAll("specs") Int8Spec spec, @ForAll boolean zero) {
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

    @Property(seed = "99")
    void nonFiniteValuesAreRejectedByIndex(@ForAll("tensors") Tensor t, @ForAll @IntRange(min = 0, max = 1000) int at,
            @ForAll("nonFinite") float bad) {
        int index = at % t.values().length;
        float[] values = t.values().clone();
        values[index] = bad;
        assertThatThrownBy(() -> Int8Spec.perChannel().fit(values, t.rows(), t.cols()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("values[" + index + "] is " + bad);
    }

    @Provide
    Arbitrary<Float> nonFinite() {
        return Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }

    @Property(seed = "11")
    void kernelQuantizationSaturatesInfinitiesAndMapsNaNToTheZeroPoint(@ForAll @IntRange(min = -128, max = 127) int zp,
            @ForAll @FloatRange(min = 1e-6f, max = 1e6f) @Scale(7) float scale) {
        float[] x = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, -Float.MAX_VALUE};
        for (Kernels k : new Kernels[] {Kernels.best(), Kernels.scalar()}) {
            byte[] q = new byte[x.length];
            k.quantize(x, q, scale, zp);
            assertThat(q).containsExactly((byte) 127, (byte) -128, (byte) zp, (byte) 127, (byte) -128);
            k.quantizeSymmetric(x, q, scale);
            assertThat(q).containsExactly((byte) 127, (byte) -127, (byte) 0, (byte) 127, (byte) -127);
        }
    }

    @Property(seed = "5")
    void fp16RoundTripIsWithinHalfAnUlpAndSaturatesBeyondItsRange(@ForAll float x) {
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

    @Property(seed = "6")
    void bf16RoundTripKeepsEightSignificantBits(@ForAll float x) {
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

    @Property(seed = "8")
    void subnormalTensorsQuantizeWithoutDividingByZero(@ForAll @IntRange(min = 1, max = 64) int n,
            @ForAll @IntRange(min = 1, max = 0x7fffff) int mantissa, @ForAll("specs") Int8Spec spec) {
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
