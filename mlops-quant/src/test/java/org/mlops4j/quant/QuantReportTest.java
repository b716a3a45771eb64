package org.mlops4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantReportTest {

    private static float[] gaussian(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void theReportMeasuresErrorsClippingAndBytesPerTensor() {
        float[] w1 = gaussian(1, 128 * 64);
        float[] w2 = gaussian(2, 10 * 128);
        float[] b2 = gaussian(3, 10);
        b2[0] = 1e6f; // beyond fp16: saturates and counts as clipped
        QuantReport report = QuantReport.builder()
                .int8("layer1.weight", w1, 128, 64, Int8Spec.perChannel())
                .int8("layer2.weight", w2, 10, 128, Int8Spec.q8_0())
                .fp16("layer2.bias", b2)
                .build();
        QuantReport.Tensor t1 = report.tensors().get(0);
        assertThat(t1.scales()).hasSize(128);
        assertThat(t1.zeroPoints()).containsOnly(0);
        assertThat(t1.clipped()).isZero();
        assertThat(t1.bytesBefore()).isEqualTo(4L * 128 * 64);
        assertThat(t1.bytesAfter()).isEqualTo(128L * 64 + 4 * 128);
        float maxScale = 0;
        for (float s : t1.scales()) {
            maxScale = Math.max(maxScale, s);
        }
        assertThat(t1.maxAbsError()).isPositive().isLessThanOrEqualTo(maxScale / 2 * 1.0001);
        assertThat(t1.mse()).isPositive().isLessThan(t1.maxAbsError() * t1.maxAbsError());

        QuantReport.Tensor t2 = report.tensors().get(1);
        assertThat(t2.scales()).hasSize(40);
        assertThat(t2.bytesAfter()).isEqualTo(10L * 128 + 40 * 2);

        QuantReport.Tensor bias = report.tensors().get(2);
        assertThat(bias.format()).isEqualTo("fp16");
        assertThat(bias.clipped()).isEqualTo(1);
        assertThat(bias.clippingRate()).isEqualTo(0.1);
        assertThat(bias.maxAbsError()).isEqualTo(1e6 - 65504);
        assertThat(bias.bytesAfter()).isEqualTo(20);

        assertThat(report.bytesBefore()).isEqualTo(4L * (128 * 64 + 10 * 128 + 10));
        assertThat(report.compression()).isBetween(3.5, 4.0);
        assertThat(report.toMarkdown()).contains("| layer1.weight | int8 symmetric per-channel min-max | 128×64 | 128 in [",
                "| layer2.bias | fp16 | 1×10 | - | 10.0000 % |", "| total |");
    }

    @Test
    void tensorEntriesAreValidatedAndCopied() {
        assertThatThrownBy(() -> new QuantReport.Tensor("t", "f", 1, 1, List.of(1f), List.of(), 0, 0, 0, 0, 4, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scales and zeroPoints must have the same size but had 1 and 0");
        assertThat(QuantReport.builder().build().compression()).isEqualTo(1.0);
    }

    @org.junit.jupiter.api.Test
    void printsShortRoundedLinesInsteadOfEveryScale() {
        float[] w = new float[64 * 32];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        QuantReport report = QuantReport.builder().int8("w", w, 64, 32, Int8Spec.perChannel()).build();

        org.assertj.core.api.Assertions.assertThat(report.toString())
                .startsWith("QuantReport[1 tensors, 8192 -> ")
                .contains("; w int8 symmetric per-channel", "64x32 scales 64 in [")
                .hasSizeLessThan(300);
    }
}
