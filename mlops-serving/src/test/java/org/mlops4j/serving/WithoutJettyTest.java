package org.mlops4j.serving;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.registry.ModelRegistry;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jetty is an optional dependency of mlops-serving: without it, {@link ModelServer#start(ServingCore, String, int)}
 * names the artifact to add, and the core still answers in-process. Runs in a child JVM with the test class path
 * minus Jetty's jars.
 */
class WithoutJettyTest {

    /** The child JVM's main. */
    public static void main(String[] args) {
        ServingCore core = ServingCore.builder(HousePrices.registry(ModelRegistry.inMemory())).model("house-prices@champion").build();
        ServingResponse ready = core.handle(ServingRequest.of("GET", "/v2/models/house-prices/ready", Map.of(), new byte[0]));
        System.out.println("IN-PROCESS " + ready.status());
        try (ModelServer s = ModelServer.start(core, "127.0.0.1", 0)) {
            System.out.println("STARTED " + s.uri());
        } catch (IllegalStateException e) {
            System.out.println("REFUSED " + e.getMessage());
        } catch (Throwable t) {
            System.out.println("OTHER " + t);
        }
    }

    @Test
    void withoutJettyTheServerNamesTheArtifactAndTheCoreStillAnswersInProcess() throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("jetty"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(cp).isNotEqualTo(System.getProperty("java.class.path"));
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-cp", cp, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                WithoutJettyTest.class.getName())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(out).contains("IN-PROCESS 200")
                .containsPattern("REFUSED serving over HTTP needs Jetty, an optional dependency of mlops-serving: add"
                        + " org\\.eclipse\\.jetty:jetty-server:12\\.\\d+\\.\\d+ to your build")
                .doesNotContain("NoClassDefFoundError").doesNotContain("OTHER");
    }
}
