package org.mlops4j.serving;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.tck.ChildJvm;
import org.mlops4j.core.registry.ModelRegistry;

import java.nio.charset.StandardCharsets;
import java.util.Map;

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
        String out = ChildJvm.runWithout(e -> e.contains("jetty"), WithoutJettyTest.class);

        assertThat(out).contains("IN-PROCESS 200")
                .containsPattern("REFUSED serving over HTTP needs Jetty, an optional dependency of mlops-serving: add"
                        + " org\\.eclipse\\.jetty:jetty-server:12\\.\\d+\\.\\d+ to your build")
                .doesNotContain("NoClassDefFoundError").doesNotContain("OTHER");
    }
}
