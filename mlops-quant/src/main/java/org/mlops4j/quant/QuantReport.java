package org.mlops4j.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What quantising a set of tensors costs and saves: per tensor the format, scales and zero points (one per
 * tensor, channel or block), the share of values clipped, the mean squared and maximum absolute error of
 * the round trip, and the bytes before (fp32) and after.
 * {@snippet :
 * QuantReport report = QuantReport.builder()
 *         .int8("layer1.weight", w1, 128, 64, Int8Spec.perChannel())
 *         .int8("layer2.weight", w2, 10, 128, Int8Spec.q8_0())
 *         .fp16("layer2.bias", b2)
 *         .build();
 * System.out.println(report.toMarkdown());
 * double ratio = report.compression();    // bytes before / bytes after, about 4 for int8
 * }
 * Immutable and thread-safe.
 *
 * @param tensors one entry per tensor, in the order added
 */
public record QuantReport(List<Tensor> tensors) {

    /** Copies the list. */
    public QuantReport {
        tensors = List.copyOf(tensors);
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return Σ bytes before */
    public long bytesBefore() {
        return tensors.stream().mapToLong(Tensor::bytesBefore).sum();
    }

    /** @return Σ bytes after */
    public long bytesAfter() {
        return tensors.stream().mapToLong(Tensor::bytesAfter).sum();
    }

    /** @return bytesBefore / bytesAfter (1 for an empty report) */
    public double compression() {
        long after = bytesAfter();
        return after == 0 ? 1.0 : (double) bytesBefore() / after;
    }

    /** @return the totals and one rounded line per tensor, for a terminal or JShell (the scales summarised) */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "QuantReport[%d tensors, %d -> %d bytes (%.2fx)",
                tensors.size(), bytesBefore(), bytesAfter(), compression()));
        for (Tensor t : tensors) {
            sb.append("; ").append(t);
        }
        return sb.append(']').toString();
    }

    /** @return a Markdown table, one row per tensor plus a total */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| tensor | format | shape | scales | clipped | MSE | max abs err | bytes before | bytes after |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Tensor t : tensors) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d×%d | %s | %.4f %% | %.3e | %.3e | %d | %d |%n",
                    t.name(), t.format(), t.rows(), t.cols(), t.scaleSummary(), 100 * t.clippingRate(), t.mse(),
                    t.maxAbsError(), t.bytesBefore(), t.bytesAfter()));
        }
        sb.append(String.format(Locale.ROOT, "| total | | | | | | | %d | %d (%.2f×) |%n", bytesBefore(), bytesAfter(),
                compression()));
        return sb.toString();
    }

    /**
     * One tensor's figures.
     *
     * @param name         tensor name
     * @param format       e.g. {@code int8 symmetric per-channel min-max} or {@code fp16}
     * @param rows         rows
     * @param cols         columns
     * @param scales       one per group (empty for fp16)
     * @param zeroPoints   one per group (empty for fp16)
     * @param clipped      values outside their group's clipping range (or beyond ±65504 for fp16)
     * @param clippingRate clipped / values
     * @param mse          mean squared round-trip error
     * @param maxAbsError  largest absolute round-trip error
     * @param bytesBefore  4 bytes per value
     * @param bytesAfter   stored size in the new format
     */
    public record Tensor(String name, String format, int rows, int cols, List<Float> scales, List<Integer> zeroPoints,
            long clipped, double clippingRate, double mse, double maxAbsError, long bytesBefore, long bytesAfter) {

        /** Copies the lists and checks the counts. */
        public Tensor {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(format, "format");
            scales = List.copyOf(scales);
            zeroPoints = List.copyOf(zeroPoints);
            if (scales.size() != zeroPoints.size()) {
                throw new IllegalArgumentException("scales and zeroPoints must have the same size but had "
                        + scales.size() + " and " + zeroPoints.size());
            }
            if (clipped < 0 || bytesBefore < 0 || bytesAfter < 0) {
                throw new IllegalArgumentException("counts must be >= 0 but were clipped=" + clipped + ", bytesBefore="
                        + bytesBefore + ", bytesAfter=" + bytesAfter);
            }
        }

        /** @return the figures rounded and the scales summarised, for a terminal or JShell */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s %dx%d scales %s clipped %.4f%% mse %.3e max %.3e", name, format, rows, cols,
                    scaleSummary(), 100 * clippingRate(), mse(), maxAbsError());
        }

        String scaleSummary() {
            if (scales.isEmpty()) {
                return "-";
            }
            if (scales.size() == 1) {
                return String.format(Locale.ROOT, "%.3e", scales.get(0));
            }
            double min = Double.MAX_VALUE;
            double max = 0;
            for (float s : scales) {
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
            return String.format(Locale.ROOT, "%d in [%.2e, %.2e]", scales.size(), min, max);
        }
    }

    /** Collects tensors; single use, not thread-safe. */
    public static final class Builder {
        private final List<Tensor> tensors = new ArrayList<>();

        private Builder() {
        }

        /**
         * Quantises a tensor with the spec and measures the round trip.
         *
         * @param name   tensor name
         * @param values row-major, finite
         * @param rows   rows
         * @param cols   columns
         * @param spec   int8 scheme
         * @return this builder
         */
        public Builder int8(String name, float[] values, int rows, int cols, Int8Spec spec) {
            return add(name, values, spec.quantize(values, rows, cols));
        }

        /**
         * Measures an already quantised tensor against its original.
         *
         * @param name      tensor name
         * @param original  the fp32 values q was made from
         * @param quantized the quantised tensor
         * @return this builder
         */
        public Builder add(String name, float[] original, QuantizedTensor quantized) {
            QuantParams p = quantized.params();
            Kernels.matrix("original", original.length, p.rows(), p.cols());
            float[] back = quantized.dequantize();
            long clipped = 0;
            List<Float> scales = new ArrayList<>(p.groups());
            List<Integer> zeros = new ArrayList<>(p.groups());
            for (int g = 0; g < p.groups(); g++) {
                scales.add(p.scale(g));
                zeros.add(p.zeroPoint(g));
                // a value is clipped when it lies more than half a step beyond the representable range
                float half = p.scale(g) / 2;
                float lo = p.clipLow(g) - half;
                float hi = p.clipHigh(g) + half;
                for (int i = p.groupStart(g); i < p.groupEnd(g); i++) {
                    if (original[i] < lo || original[i] > hi) {
                        clipped++;
                    }
                }
            }
            tensors.add(measure(name, p.spec().describe(), p.rows(), p.cols(), original, back, scales, zeros, clipped,
                    quantized.sizeInBytes()));
            return this;
        }

        /**
         * Converts a tensor to (saturating) fp16 and measures the round trip.
         *
         * @param name   tensor name
         * @param values fp32 values
         * @return this builder
         */
        public Builder fp16(String name, float[] values) {
            float[] back = Fp16.decode(Fp16.encode(values));
            long clipped = 0;
            for (float v : values) {
                if (Math.abs(v) > Fp16.MAX) {
                    clipped++;
                }
            }
            tensors.add(measure(name, "fp16", 1, values.length, values, back, List.of(), List.of(), clipped,
                    2L * values.length));
            return this;
        }

        /**
         * Records a tensor kept in fp32 (no error, no saving), so a report covers every tensor of a model.
         *
         * @param name   tensor name
         * @param values values
         * @param rows   rows
         * @param cols   columns
         * @return this builder
         */
        public Builder fp32(String name, float[] values, int rows, int cols) {
            Kernels.matrix("values", values.length, rows, cols);
            tensors.add(measure(name, "fp32", rows, cols, values, values, List.of(), List.of(), 0, 4L * values.length));
            return this;
        }

        /** @return the report */
        public QuantReport build() {
            return new QuantReport(tensors);
        }

        private static Tensor measure(String name, String format, int rows, int cols, float[] original, float[] back,
                List<Float> scales, List<Integer> zeros, long clipped, long bytesAfter) {
            double sq = 0;
            double max = 0;
            for (int i = 0; i < original.length; i++) {
                double d = Math.abs((double) back[i] - original[i]);
                sq += d * d;
                max = Math.max(max, d);
            }
            int n = original.length;
            return new Tensor(name, format, rows, cols, scales, zeros, clipped, n == 0 ? 0 : (double) clipped / n,
                    n == 0 ? 0 : sq / n, max, 4L * n, bytesAfter);
        }
    }
}
