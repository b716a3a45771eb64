/**
 * Low precision that pays: int8 and fp16 formats, quantizers with calibration, SIMD kernels and a small
 * dense-layer inference engine.
 *
 * <ul>
 *   <li>{@link org.mlops4j.quant.Kernels}: dot products, matrix–vector and matrix–matrix products on
 *       int8 / fp16 / fp32 arrays, conversions and MLP helpers; a tuned scalar implementation and a Vector
 *       API one chosen at start-up (run with {@code --add-modules jdk.incubator.vector}).
 *   <li>{@link org.mlops4j.quant.Int8Spec} → {@link org.mlops4j.quant.QuantParams} →
 *       {@link org.mlops4j.quant.QuantizedTensor}: symmetric / asymmetric int8 per tensor, channel or
 *       block (Q8_0), calibrated by min–max, percentile or MSE; {@link org.mlops4j.quant.Fp16} and
 *       {@link org.mlops4j.quant.Bf16} conversions.
 *   <li>{@link org.mlops4j.quant.DenseNetwork}: stacks of dense layers with fp32, fp16 or int8 weights.
 *   <li>{@link org.mlops4j.quant.QuantReport}: errors, clipping and bytes saved per tensor.
 * </ul>
 * No {@code jdk.incubator.vector} or ND4J type appears in this package's API.
 */
package org.mlops4j.quant;
