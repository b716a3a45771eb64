package org.mlops4j.samples;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a JDK tool (java, jshell) in a fresh process in the samples folder, as a user would. */
final class SampleProcess {
    private SampleProcess() {
    }

    /** @return the samples module's runtime class path (classes + target/classpath.txt) */
    static String classpath() throws IOException {
        return System.getProperty("mlops.samples.classes") + File.pathSeparator
                + Files.readString(Path.of(System.getProperty("mlops.samples.classpath"))).strip();
    }

    /** @return the samples folder */
    static Path dir() {
        return Path.of(System.getProperty("mlops.samples.dir", "."));
    }

    /**
     * Runs {@code $JAVA_HOME/bin/<tool> args...} to the end (at most five minutes).
     *
     * @param mergeStderr whether standard error is part of the output (else discarded)
     * @return what it printed
     */
    static String run(String tool, boolean mergeStderr, String... args) throws IOException, InterruptedException {
        return run(dir(), tool, mergeStderr, args);
    }

    /**
     * Runs {@code $JAVA_HOME/bin/<tool> args...} in a given working directory.
     *
     * @param workingDir  where it runs (its ./mlruns lives there)
     * @param mergeStderr whether standard error is part of the output (else discarded)
     * @return what it printed
     */
    static String run(Path workingDir, String tool, boolean mergeStderr, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile());
        if (mergeStderr) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process process = pb.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("%s did not end within five minutes:%n%s", tool, output).isTrue();
        assertThat(process.exitValue()).as("%s exit status; output:%n%s", tool, output).isZero();
        return output;
    }
}
