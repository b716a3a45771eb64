/**
 * ND4J adapter for the dense engine: {@link org.mlops4j.quant.nd4j.Nd4jLayers} adds layers from
 * {@code INDArray}s in DL4J's {@code [inputs, outputs]} layout. The only package of mlops-quant that
 * names ND4J types; it needs ND4J on the class path (an optional dependency), the rest of the module does
 * not.
 */
package org.mlops4j.quant.nd4j;
