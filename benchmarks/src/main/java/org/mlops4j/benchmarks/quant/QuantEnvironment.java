package org.mlops4j.benchmarks.quant;

import jdk.incubator.vector.FloatVector;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.Version;
import org.mlops4j.quant.Kernels;

/**
 * Prints what the quant benchmarks run on, for the record beside their figures: our kernels and their
 * width, the JDK's preferred vector size, and the Lucene version (Lucene logs its own vector provider and
 * {@code preferredBitSize} on first use, which this triggers). Run by {@code benchmarks/run-quant.sh} with
 * the same JVM flags as the benchmark forks.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar org.mlops4j.benchmarks.quant.QuantEnvironment}
 */
public final class QuantEnvironment {

    private QuantEnvironment() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
        System.out.println("mlops4j kernels: " + Kernels.best().name());
        System.out.println("JDK preferred float vector: " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits");
        System.out.println("lucene-core: " + Version.LATEST);
        // first use: Lucene logs (through JUL, to stderr) its provider and preferredBitSize
        System.out.println("lucene int8 dot check: " + VectorUtil.dotProduct(new byte[] {1, 2}, new byte[] {3, 4}));
    }
}
