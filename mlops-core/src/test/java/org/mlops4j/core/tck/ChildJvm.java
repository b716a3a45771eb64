package org.mlops4j.core.tck;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Runs a test class's {@code main} in a child JVM whose class path is this one's minus some jars, for tests of
 * what mlops4j does when an optional dependency is absent.
 * {@snippet :
 * // in a test class with a main of its own: run it without Jetty, read what it printed
 * String out = ChildJvm.runWithout(entry -> entry.contains("jetty"), WithoutJettyTest.class);
 * }
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * @param leaveOut  which class-path entries to drop
     * @param mainClass the class whose {@code main} runs
     * @param args      its arguments
     * @return what it printed (stdout and stderr together)
     * @throws AssertionError when nothing was left out (the test would prove nothing) or it runs over 2 minutes
     */
    public static String runWithout(Predicate<String> leaveOut, Class<?> mainClass, String... args) throws Exception {
        List<String> all = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        String cp = all.stream().filter(leaveOut.negate()).collect(Collectors.joining(File.pathSeparator));
        if (all.stream().noneMatch(leaveOut)) {
            throw new AssertionError("no class-path entry matched: the child JVM would have every jar");
        }
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", mainClass.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM ran over 2 minutes; it printed: " + out);
        }
        return out;
    }
}
