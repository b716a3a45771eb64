package org.mlops4j.quant;

import java.util.List;
import java.util.Objects;

/**
 * What int8 quantisation to apply (the unfitted spec): symmetric or asymmetric (with a zero point), the
 * {@link Granularity} of the scales, the block size for {@link Granularity#PER_BLOCK}, and the
 * {@link Calibration} of the clipping range. {@link #fit} turns it into {@link QuantParams} for a tensor
 * or a calibration set.
 *
 * <p>Symmetric schemes use levels [−127, 127] with zero point 0 and {@code scale = t / 127} for the
 * clipping threshold t; asymmetric ones use [−128, 127] over a range widened to contain 0, with
 * {@code scale = (hi − lo) / 255}. Per-block scales are stored as fp16 (rounded up, so the block's range
 * stays covered), as in llama.cpp's Q8_0. A group whose values are all 0 gets scale 1; a scale never
 * drops below {@link Float#MIN_NORMAL}, so subnormal inputs quantise without dividing by zero.
 * Calibration rejects NaN and ±Infinity.
 * {@snippet :
 * float[] w = {0.5f, -1.0f, 0.25f, 2.0f, -0.5f, 1.0f};          // 2 × 3 weights
 * QuantizedTensor q = Int8Spec.perChannel().quantize(w, 2, 3);
 * float[] back = q.dequantize();                                  // within scale/2 of w
 * QuantParams acts = Int8Spec.perTensor().asymmetric()
 *         .withCalibration(Calibration.percentile(99.9))
 *         .fit(List.of(new float[] {0.1f, 3.2f}, new float[] {0.0f, 2.9f}));
 * }
 * Immutable and thread-safe.
 *
 * @param symmetric   zero point 0 and levels [−127, 127] when true
 * @param granularity how many scales
 * @param blockSize   values per block for {@link Granularity#PER_BLOCK} (≥ 1), 0 otherwise
 * @param calibration how the clipping range is chosen
 */
public record Int8Spec(boolean symmetric, Granularity granularity, int blockSize, Calibration calibration) {

    /** Block size of llama.cpp's Q8_0. */
    public static final int Q8_0_BLOCK = 32;

    /** Validates the combination. */
    public Int8Spec {
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(calibration, "calibration");
        if (granularity == Granularity.PER_BLOCK && blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be >= 1 for PER_BLOCK but was " + blockSize);
        }
        if (granularity != Granularity.PER_BLOCK && blockSize != 0) {
            throw new IllegalArgumentException("blockSize must be 0 for " + granularity + " but was " + blockSize);
        }
    }

    /** @return symmetric, one scale per tensor, min–max */
    public static Int8Spec perTensor() {
        return new Int8Spec(true, Granularity.PER_TENSOR, 0, Calibration.minMax());
    }

    /** @return symmetric, one scale per output channel (row), min–max */
    public static Int8Spec perChannel() {
        return new Int8Spec(true, Granularity.PER_CHANNEL, 0, Calibration.minMax());
    }

    /**
     * @param blockSize values per block within a row, ≥ 1
     * @return symmetric, one fp16 scale per block, min–max
     */
    public static Int8Spec perBlock(int blockSize) {
        return new Int8Spec(true, Granularity.PER_BLOCK, blockSize, Calibration.minMax());
    }

    /** @return llama.cpp's Q8_0: symmetric, blocks of 32 with an fp16 scale, min–max */
    public static Int8Spec q8_0() {
        return perBlock(Q8_0_BLOCK);
    }

    /** @return the same spec with a zero point (levels [−128, 127]) */
    public Int8Spec asymmetric() {
        return new Int8Spec(false, granularity, blockSize, calibration);
    }

    /**
     * @param calibration how to choose the clipping range
     * @return the same spec with that calibration
     */
    public Int8Spec withCalibration(Calibration calibration) {
        return new Int8Spec(symmetric, granularity, blockSize, calibration);
    }

    /**
     * Fits scales (and zero points) to a tensor, typically weights.
     *
     * @param values row-major, rows × cols, finite
     * @param rows   rows (output channels), ≥ 1
     * @param cols   columns, ≥ 1
     * @return the fitted parameters for that shape
     * @throws IllegalArgumentException for a wrong length or a NaN/infinite value (named by index)
     */
    public QuantParams fit(float[] values, int rows, int cols) {
        return QuantParams.fit(this, values, rows, cols);
    }

    /**
     * Fits one scale (and zero point) to a calibration set of activation samples, e.g. the inputs a layer
     * saw on a few hundred representative rows. Only {@link Granularity#PER_TENSOR}.
     *
     * @param samples non-empty list of finite samples (any lengths)
     * @return per-tensor parameters that quantise any array
     */
    public QuantParams fit(List<float[]> samples) {
        if (granularity != Granularity.PER_TENSOR) {
            throw new IllegalArgumentException("calibration sets fit PER_TENSOR specs only but this spec is "
                    + granularity);
        }
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("the calibration set must not be empty");
        }
        long total = 0;
        for (float[] s : samples) {
            total += s.length;
        }
        if (total == 0 || total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the calibration set must hold between 1 and 2^31 - 9 values but held "
                    + total);
        }
        float[] all = new float[(int) total];
        int at = 0;
        for (float[] s : samples) {
            System.arraycopy(s, 0, all, at, s.length);
            at += s.length;
        }
        return QuantParams.fit(this, all, 1, all.length);
    }

    /**
     * Fits and quantises in one step.
     *
     * @param values row-major, rows × cols, finite
     * @param rows   rows
     * @param cols   columns
     * @return the quantised tensor
     */
    public QuantizedTensor quantize(float[] values, int rows, int cols) {
        return fit(values, rows, cols).quantize(values);
    }

    /** @return a short description such as {@code int8 symmetric per-channel min-max} */
    public String describe() {
        String g = switch (granularity) {
            case PER_TENSOR -> "per-tensor";
            case PER_CHANNEL -> "per-channel";
            case PER_BLOCK -> "per-block(" + blockSize + ", fp16 scale)";
        };
        String c = switch (calibration) {
            case Calibration.MinMax m -> "min-max";
            case Calibration.Percentile p -> "p" + p.percentile();
            case Calibration.MseOptimal m -> "mse(" + m.candidates() + ")";
        };
        return "int8 " + (symmetric ? "symmetric" : "asymmetric") + " " + g + " " + c;
    }
}
