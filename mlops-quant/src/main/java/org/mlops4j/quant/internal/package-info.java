/**
 * Internal: kernel implementations (scalar and Vector API) and the start-up lookup that chooses one.
 * Not part of the public API; may change without notice. Use {@link org.mlops4j.quant.Kernels}.
 */
package org.mlops4j.quant.internal;
