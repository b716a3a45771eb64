package org.mlops4j.serving;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.tck.CoreSnippets;
import org.mlops4j.core.tck.JavadocSnippets;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every javadoc example of mlops-serving compiles against its API. */
class JavadocSnippetsTest {
    private static final String IMPORTS = CoreSnippets.IMPORTS + """
            import org.mlops4j.serving.*;
            import org.mlops4j.serving.drift.*;
            import org.mlops4j.serving.http.*;
            import org.mlops4j.serving.metrics.*;
            import org.mlops4j.serving.protocol.*;
            import org.mlops4j.serving.routing.*;
            import com.fasterxml.jackson.databind.JsonNode;
            import com.fasterxml.jackson.databind.node.ObjectNode;
            """;
    private static final String PRELUDE = CoreSnippets.PRELUDE + """
            protected InputLayout layout;
            protected Batch rows;
            protected RequestJson json;
            protected byte[] body;
            protected DriftMonitor monitor;
            protected DriftReport drift;
            protected ServingCore core;
            protected ServingRequest request;
            protected ModelRouter router;
            protected VersionLoader loader;
            protected double[] scores;
            protected org.slf4j.Logger log;
            """;

    @Test
    void theReadmeServingExampleCompiles() {
        var examples = JavadocSnippets.fromMarkdown(Path.of("../README.md"), "java").stream().filter(s -> s.code().contains("ServingCore")).toList();
        assertThat(examples).as("the README's serving example").hasSize(1);
        assertThat(JavadocSnippets.compile(examples, PRELUDE, IMPORTS)).isEmpty();
    }

    @Test
    void everyJavadocExampleCompiles() {
        assertThat(JavadocSnippets.find(Path.of("src/main/java"))).as("examples found").hasSizeGreaterThan(20);
        assertThat(JavadocSnippets.compileAll(Path.of("src/main/java"), PRELUDE, IMPORTS)).isEmpty();
    }
}
