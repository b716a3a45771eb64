/**
 * Low-precision formats (int8 symmetric/asymmetric, per tensor, per channel and per block; fp16),
 * quantizers with calibration, and matrix/vector kernels with a tuned scalar implementation and a
 * Vector API implementation chosen at start-up.
 *
 * <p>This module is reserved: its implementation arrives with the quantization issue.
 */
package org.mlops4j.quant;
