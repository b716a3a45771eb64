package org.mlops4j.quant;

/**
 * How many int8 scales a tensor gets. Every group is a contiguous run of the row-major tensor, so each
 * is quantised with one kernel call.
 * {@snippet :
 * Int8Spec.perTensor();   // one scale for the whole tensor
 * Int8Spec.perChannel();  // one scale per output channel (row of a [outputs][inputs] weight matrix)
 * Int8Spec.q8_0();        // one fp16 scale per block of 32 values of a row, as llama.cpp's Q8_0
 * }
 */
public enum Granularity {
    /** One scale (and zero point) for the whole tensor. */
    PER_TENSOR,
    /** One per row: a weight matrix {@code [outputs][inputs]} gets one scale per output channel. */
    PER_CHANNEL,
    /** One per block of {@code blockSize} consecutive values within a row; the scale is stored as fp16. */
    PER_BLOCK
}
