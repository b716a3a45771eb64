package org.mlops4j.core;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.tck.CoreSnippets;
import org.mlops4j.core.tck.JavadocSnippets;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every javadoc example of mlops-core compiles against its API. */
class JavadocSnippetsTest {

    @Test
    void everyJavadocExampleCompiles() {
        assertThat(JavadocSnippets.find(Path.of("src/main/java"))).as("examples found").hasSizeGreaterThan(90);
        assertThat(JavadocSnippets.compileAll(Path.of("src/main/java"), CoreSnippets.PRELUDE, CoreSnippets.IMPORTS)).isEmpty();
    }
}
