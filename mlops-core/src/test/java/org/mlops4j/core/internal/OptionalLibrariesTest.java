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
    void theReadmesOptionalExtrasAreAtTheVersionsTheBuildUses() throws Exception {
        String pom = Files.readString(Path.of("../pom.xml"));
        String readme = Files.readString(Path.of("../README.md"));
        String[][] extras = {{"org.jfree:jfreechart", "jfreechart.version"}, {"org.jfree:org.jfree.svg", "jfreesvg.version"},
                {"me.tongfei:progressbar", "progressbar.version"}, {"org.postgresql:postgresql", "postgresql.version"},
                {"org.eclipse.jetty:jetty-server", "jetty.version"}};
        for (String[] e : extras) {
            Matcher v = Pattern.compile("<" + Pattern.quote(e[1]) + ">([^<]+)</").matcher(pom);
            assertThat(v.find()).as(e[1]).isTrue();
            assertThat(readme).as("README, Optional extras").contains("`" + e[0] + ":" + v.group(1) + "`");
        }
    }

    @Test
    void presentIsTrueOnlyWhenEveryClassLoads() {
        assertThat(OptionalLibraries.present("java.lang.String", "org.mlops4j.core.Pipeline")).isTrue();
        assertThat(OptionalLibraries.present("java.lang.String", "org.example.NoSuchThing")).isFalse();
        assertThat(OptionalLibraries.jfreeChart()).as("a test dependency of mlops-core").isTrue();
    }
}
