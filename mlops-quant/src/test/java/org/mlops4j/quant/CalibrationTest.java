package org.mlops4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Calibration choices, granularities and the Javadoc examples of the quantizer types. */
class CalibrationTest {

    /** Laplace-distributed values with a few large outliers: where clipping pays. */
    private static float[] heavyTailed(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble() - 0.5;
            v[i] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        for (int i = 0; i < n; i += 4999) {
            v[i] = (i % 2 == 0 ? 60f : -60f);
        }
        return v;
    }

    private static double mse(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - (double) b[i]) * (a[i] - b[i]);
        }
        return s / a.length;
    }

    @Test
    void percentileAndMseClippingBeatMinMaxOnHeavyTails() {
        float[] v = heavyTailed(1, 20_000);
        double minMax = mse(v, Int8Spec.perTensor().quantize(v, 1, v.length).dequantize());
        QuantizedTensor p = Int8Spec.perTensor().withCalibration(Calibration.percentile(99.9)).quantize(v, 1, v.length);
        QuantizedTensor m = Int8Spec.perTensor().withCalibration(Calibration.mseOptimal()).quantize(v, 1, v.length);
        assertThat(p.params().scale(0)).isLessThan(Int8Spec.perTensor().fit(v, 1, v.length).scale(0));
        assertThat(mse(v, m.dequantize())).isLessThan(minMax);
        assertThat(mse(v, m.dequantize())).isLessThanOrEqualTo(mse(v, p.dequantize()) * 1.05);
        QuantReport report = QuantReport.builder().add("p", v, p).build();
        assertThat(report.tensors().get(0).clippingRate()).isBetween(0.0005, 0.003);
    }

    @Test
    void asymmetricSchemesPlaceTheZeroPointSoThatTheRangeIsUsed() {
        float[] v = {0f, 2.5f, 5f, 10f};
        QuantParams p = Int8Spec.perTensor().asymmetric().fit(v, 1, 4);
        assertThat(p.zeroPoint(0)).isEqualTo(-128);
        assertThat(p.scale(0)).isEqualTo(10f / 255f);
        assertThat(p.clipLow(0)).isZero();
        assertThat(p.clipHigh(0)).isCloseTo(10f, org.assertj.core.data.Offset.offset(1e-5f));
        float[] back = p.quantize(v).dequantize();
        for (int i = 0; i < v.length; i++) {
            assertThat(back[i]).isCloseTo(v[i], org.assertj.core.data.Offset.offset(p.scale(0) * 0.5001f));
        }
        QuantParams neg = Int8Spec.perTensor().asymmetric().fit(new float[] {-3f, 1f}, 1, 2);
        assertThat(neg.zeroPoint(0)).isBetween(-128, 127);
        assertThat(neg.clipLow(0)).isLessThanOrEqualTo(-3f + neg.scale(0) / 2);
    }

    @Test
    void perChannelAndPerBlockGroupsAreContiguousRuns() {
        float[] w = new float[3 * 70];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i / 70 + 1) * (float) Math.sin(i);
        }
        QuantParams channel = Int8Spec.perChannel().fit(w, 3, 70);
        assertThat(channel.groups()).isEqualTo(3);
        assertThat(channel.scale(2)).isGreaterThan(channel.scale(0) * 2);
        QuantParams q8 = Int8Spec.q8_0().fit(w, 3, 70);
        assertThat(q8.groups()).isEqualTo(9);
        assertThat(q8.groupStart(4)).isEqualTo(70 + 32);
        assertThat(q8.groupEnd(5)).isEqualTo(140);
        for (int g = 0; g < q8.groups(); g++) {
            assertThat(Fp16.decode(Fp16.encode(q8.scale(g)))).as("fp16 scale").isEqualTo(q8.scale(g));
        }
        QuantizedTensor t = Int8Spec.q8_0().quantize(new float[64], 2, 32);
        assertThat(t.sizeInBytes()).isEqualTo(2 * 34);
        assertThat(Int8Spec.perChannel().quantize(new float[64], 2, 32).sizeInBytes()).isEqualTo(64 + 8);
        assertThat(Int8Spec.perTensor().asymmetric().quantize(new float[64], 2, 32).sizeInBytes()).isEqualTo(64 + 5);
    }

    @Test
    void activationsCalibrateOnADatasetAndThenQuantizeAnyLength() {
        QuantParams acts = Int8Spec.perTensor().asymmetric().withCalibration(Calibration.percentile(99.9))
                .fit(List.of(new float[] {0.1f, 3.2f}, new float[] {0.0f, 2.9f}));
        QuantizedTensor q = acts.quantize(new float[] {0.5f, 1f, 1.5f});
        assertThat(q.rows()).isEqualTo(1);
        assertThat(q.cols()).isEqualTo(3);
        assertThat(q.dequantize()[1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(acts.scale(0)));
        assertThatThrownBy(() -> Int8Spec.perChannel().fit(List.of(new float[1])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("calibration sets fit PER_TENSOR specs only but this spec is PER_CHANNEL");
        assertThatThrownBy(() -> Int8Spec.perTensor().fit(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void specsRejectConflictingOptionsAndDescribeThemselves() {
        assertThatThrownBy(() -> new Int8Spec(true, Granularity.PER_BLOCK, 0, Calibration.minMax()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("blockSize must be >= 1 for PER_BLOCK but was 0");
        assertThatThrownBy(() -> new Int8Spec(true, Granularity.PER_TENSOR, 32, Calibration.minMax()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("blockSize must be 0 for PER_TENSOR but was 32");
        assertThatThrownBy(() -> Calibration.percentile(40)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("percentile must be in (50, 100] but was 40.0");
        assertThatThrownBy(() -> new Calibration.MseOptimal(1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Int8Spec.q8_0().describe()).isEqualTo("int8 symmetric per-block(32, fp16 scale) min-max");
        assertThat(Int8Spec.perChannel().asymmetric().withCalibration(Calibration.mseOptimal()).describe())
                .isEqualTo("int8 asymmetric per-channel mse(100)");
        assertThatThrownBy(() -> Int8Spec.perChannel().fit(new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("values.length must be rows·cols = 2·3 = 6 but was 5");
    }

    @Test
    void theJavadocExampleOfInt8SpecWorks() {
        float[] w = {0.5f, -1.0f, 0.25f, 2.0f, -0.5f, 1.0f};
        QuantizedTensor q = Int8Spec.perChannel().quantize(w, 2, 3);
        float[] back = q.dequantize();
        for (int i = 0; i < w.length; i++) {
            assertThat(back[i]).isCloseTo(w[i], org.assertj.core.data.Offset.offset(q.params().scale(i / 3) / 2));
        }
        assertThat(q.levels()).containsExactly(64, -127, 32, 127, -32, 64);
    }

    @Test
    void bf16AndFp16ExamplesHold() {
        assertThat(Bf16.decode(Bf16.encode(new float[] {3.14159f}))).containsExactly(3.140625f);
        float[] back = Fp16.decode(Fp16.encode(new float[] {1.5f, 1e6f, Float.NaN}));
        assertThat(back[0]).isEqualTo(1.5f);
        assertThat(back[1]).isEqualTo(65504f);
        assertThat(back[2]).isNaN();
        assertThat(Bf16.decode(Bf16.encode(Float.POSITIVE_INFINITY))).isInfinite();
    }
}
