package org.mlops4j.samples;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.tck.CoreSnippets;
import org.mlops4j.core.tck.JavadocSnippets;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java examples compile against the API, with the imports a user writes (the quantization
 * example is compiled and run by mlops-quant's ReadmeExampleTest, the serving one by mlops-serving's JavadocSnippetsTest).
 */
class ReadmeExamplesTest {
    private static final String IMPORTS = CoreSnippets.IMPORTS + """
            import org.mlops4j.tracking.*;
            import org.mlops4j.djl.*;
            import java.io.*;
            """;
    private static final String PRELUDE = CoreSnippets.PRELUDE + """
            protected double loss;
            protected String[] pixelColumnsAndDigit;
            protected List<String> pixelColumns;
            protected Dataset digitsSample;
            protected byte[] card(Map<String, Double> metrics) {
                return metrics.toString().getBytes();
            }
            """;

    @Test
    void everyJavaExampleOfTheReadmeCompiles() {
        List<JavadocSnippets.Snippet> examples = JavadocSnippets.fromMarkdown(SampleProcess.dir().resolve("../README.md"), "java")
                .stream().filter(s -> !s.code().contains("org.mlops4j.quant") && !s.code().contains("DenseNetwork")
                        && !s.code().contains("ServingCore")).toList(); // serving's example: mlops-serving's JavadocSnippetsTest

        assertThat(examples).as("Java examples in the README").hasSizeGreaterThanOrEqualTo(4);
        assertThat(JavadocSnippets.compile(examples, PRELUDE, IMPORTS)).isEmpty();
    }
}
