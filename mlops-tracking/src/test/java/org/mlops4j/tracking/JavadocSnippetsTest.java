package org.mlops4j.tracking;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.tck.CoreSnippets;
import org.mlops4j.core.tck.JavadocSnippets;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every javadoc example of mlops-tracking compiles against its API. */
class JavadocSnippetsTest {
    private static final String IMPORTS = CoreSnippets.IMPORTS + """
            import org.mlops4j.tracking.*;
            import org.mlops4j.tracking.jdbc.*;
            import org.mlops4j.tracking.mlflow.*;
            import org.mlops4j.tracking.server.*;
            import org.mlops4j.tracking.spi.*;
            import org.mlops4j.tracking.internal.*;
            import com.fasterxml.jackson.databind.node.ObjectNode;
            import java.net.URI;
            """;
    private static final String PRELUDE = CoreSnippets.PRELUDE + """
            /** A store an application writes. */
            protected static final class MyStore {
                static TrackingStore open(URI uri) {
                    return new InMemoryTrackingStore();
                }
            }
            """;

    @Test
    void everyJavadocExampleCompiles() {
        assertThat(JavadocSnippets.find(Path.of("src/main/java"))).as("examples found").hasSizeGreaterThan(10);
        assertThat(JavadocSnippets.compileAll(Path.of("src/main/java"), PRELUDE, IMPORTS)).isEmpty();
    }
}
