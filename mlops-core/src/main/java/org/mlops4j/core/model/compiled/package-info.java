/**
 * Compiled models: trained trees, forests and linear models turned into a few flat primitive arrays that
 * predict exactly what the trainer's model predicts, in microseconds and without allocating
 * ({@link org.mlops4j.core.model.compiled.TreeEnsemble}, {@link org.mlops4j.core.model.compiled.LinearModel}),
 * stored as mlops4j's own checked payload by the {@code compiled} flavor
 * ({@link org.mlops4j.core.model.compiled.CompiledFlavor}).
 */
package org.mlops4j.core.model.compiled;
