package org.mlops4j.quant;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.tck.JavadocSnippets;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every javadoc example of mlops-quant compiles against its API. */
class JavadocSnippetsTest {
    private static final String IMPORTS = """
            import org.mlops4j.quant.*;
            import org.mlops4j.quant.nd4j.*;
            import org.mlops4j.quant.internal.*;
            import org.nd4j.linalg.api.buffer.DataType;
            import org.nd4j.linalg.api.ndarray.INDArray;
            import org.nd4j.linalg.factory.Nd4j;
            import java.util.*;
            """;
    private static final String PRELUDE = """
            protected float[] weights;
            protected float[] w1;
            protected float[] w2;
            protected float[] b1;
            protected float[] b2;
            protected int rows;
            protected int cols;
            protected float[] x;
            protected float[] y;
            protected float[] bias;
            protected byte[] a;
            protected byte[] b;
            protected DenseNetwork network;
            protected float[] features;
            protected Random random = new Random(42);
            """;

    @Test
    void everyJavadocExampleCompiles() {
        assertThat(JavadocSnippets.find(Path.of("src/main/java"))).as("examples found").hasSizeGreaterThan(8);
        assertThat(JavadocSnippets.compileAll(Path.of("src/main/java"), PRELUDE, IMPORTS)).isEmpty();
    }
}
