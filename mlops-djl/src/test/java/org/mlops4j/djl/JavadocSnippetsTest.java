package org.mlops4j.djl;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.tck.CoreSnippets;
import org.mlops4j.core.tck.JavadocSnippets;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every javadoc example of mlops-djl compiles against its API. */
class JavadocSnippetsTest {
    static final String IMPORTS = CoreSnippets.IMPORTS + """
            import org.mlops4j.djl.*;
            import org.mlops4j.quant.*;
            """;
    static final String PRELUDE = CoreSnippets.PRELUDE + """
            protected MlpModel mlpModel;
            protected OnnxModel onnxModel;
            protected QuantizedDenseModel int8Model;
            protected Dataset digits;
            protected List<String> pixelColumns;
            protected int[] sampleRows;
            protected Csv csv;
            """;

    @Test
    void everyJavadocExampleCompiles() {
        assertThat(JavadocSnippets.find(Path.of("src/main/java"))).as("examples found").hasSizeGreaterThan(10);
        assertThat(JavadocSnippets.compileAll(Path.of("src/main/java"), PRELUDE, IMPORTS)).isEmpty();
    }
}
