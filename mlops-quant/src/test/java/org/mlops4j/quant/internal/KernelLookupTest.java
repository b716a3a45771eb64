package org.mlops4j.quant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How the kernels' width follows from the platform's preferred vector size and the system property. */
class KernelLookupTest {

    @Test
    void thePlatformsPreferredSizeIsRoundedDownToASupportedWidth() {
        assertThat(KernelLookup.chooseBits(512, 0)).isEqualTo(512);
        assertThat(KernelLookup.chooseBits(2048, 0)).as("SVE 2048: capped").isEqualTo(512);
        assertThat(KernelLookup.chooseBits(384, 0)).as("SVE 384").isEqualTo(256);
        assertThat(KernelLookup.chooseBits(256, 0)).isEqualTo(256);
        assertThat(KernelLookup.chooseBits(128, 0)).as("NEON").isEqualTo(128);
        assertThatThrownBy(() -> KernelLookup.chooseBits(64, 0)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("the preferred vector size is 64 bits but the SIMD kernels need at least 128");
    }

    @Test
    void thePropertyForcesANarrowerWidthButNeverAWiderOne() {
        assertThat(KernelLookup.chooseBits(512, 256)).isEqualTo(256);
        assertThat(KernelLookup.chooseBits(512, 128)).isEqualTo(128);
        assertThat(KernelLookup.chooseBits(256, 512)).isEqualTo(256);
        assertThat(KernelLookup.chooseBits(128, 256)).isEqualTo(128);
    }

    @Test
    void onlyTheKernelNamesAreAcceptedAsWidths() {
        assertThat(KernelLookup.forcedBits("panama-512")).isEqualTo(512);
        assertThat(KernelLookup.forcedBits("panama-256")).isEqualTo(256);
        assertThat(KernelLookup.forcedBits("panama-128")).isEqualTo(128);
        assertThat(KernelLookup.forcedBits("")).isZero();
        assertThat(KernelLookup.forcedBits("scalar")).isZero();
        assertThat(KernelLookup.forcedBits("panama-64")).isZero();
        assertThat(KernelLookup.forcedBits("256")).isZero();
    }
}
