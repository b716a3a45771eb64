package org.mlops4j.core.internal;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class OptionalLibrariesTest {

    @Test
    void theJettyArtifactNamedInErrorsIsTheOneTheBuildUses() throws Exception {
        Matcher m = Pattern.compile("<jetty.version>([^<]+)</jetty.version>").matcher(Files.readString(Path.of("../pom.xml")));
        assertThat(m.find()).isTrue();

        assertThat(OptionalLibraries.jettyArtifact()).isEqualTo("org.eclipse.jetty:jetty-server:" + m.group(1));
    }

    @Test
    void presentIsTrueOnlyWhenEveryClassLoads() {
        assertThat(OptionalLibraries.present("java.lang.String", "org.mlops4j.core.Pipeline")).isTrue();
        assertThat(OptionalLibraries.present("java.lang.String", "org.example.NoSuchThing")).isFalse();
        assertThat(OptionalLibraries.jfreeChart()).as("a test dependency of mlops-core").isTrue();
    }
}
