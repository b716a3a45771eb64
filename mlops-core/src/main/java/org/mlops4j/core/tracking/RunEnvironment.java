package org.mlops4j.core.tracking;

import org.mlops4j.core.internal.BuildInfo;
import org.mlops4j.core.internal.tribuo.TribuoFits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run ran: JVM, operating system, mlops4j and Tribuo versions, and the git commit of the host
 * project when the working directory is inside a git work tree (read from {@code .git} directly; no
 * {@code git} process is started).
 * {@snippet :
 * RunEnvironment env = RunEnvironment.capture(Path.of(""));
 * env.gitCommit(); // "3e1f0c9..." or null outside a git work tree
 * }
 *
 * @param javaVersion    {@code java.version}
 * @param javaVendor     {@code java.vendor}
 * @param os             {@code os.name os.version (os.arch)}
 * @param processors     available processors
 * @param mlops4jVersion this library's version
 * @param tribuoVersion  Tribuo's version
 * @param gitCommit      HEAD commit of the enclosing git work tree, or null
 * @param gitBranch      checked-out branch, or null (detached or no git)
 */
public record RunEnvironment(String javaVersion, String javaVendor, String os, int processors, String mlops4jVersion,
                             String tribuoVersion, String gitCommit, String gitBranch) {

    /**
     * @param workingDirectory where to start looking for {@code .git}
     * @return the environment of this JVM
     */
    public static RunEnvironment capture(Path workingDirectory) {
        String[] git = GitHead.find(workingDirectory);
        return new RunEnvironment(System.getProperty("java.version"), System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")",
                Runtime.getRuntime().availableProcessors(), libraryVersion(), TribuoFits.TRIBUO_VERSION, git[0], git[1]);
    }

    /** @return this library's version, from the jar's build properties */
    public static String libraryVersion() {
        String v = BuildInfo.property("version");
        return v == null ? "unknown" : v;
    }

    /** @return the values as run tags ({@code mlops.env.*}, {@code mlops.git.*}); absent values are left out */
    public Map<String, String> asTags() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mlops.env.java", javaVersion + " (" + javaVendor + ")");
        m.put("mlops.env.os", os);
        m.put("mlops.env.processors", Integer.toString(processors));
        m.put("mlops.version", mlops4jVersion);
        m.put("mlops.tribuo.version", tribuoVersion);
        if (gitCommit != null) {
            m.put("mlops.git.commit", gitCommit);
        }
        if (gitBranch != null) {
            m.put("mlops.git.branch", gitBranch);
        }
        return m;
    }

    /** Reads HEAD of the nearest enclosing git work tree without running git. */
    static final class GitHead {
        private GitHead() {
        }

        /** @return {commit, branch}, each possibly null */
        static String[] find(Path start) {
            try {
                Path dir = start.toAbsolutePath().normalize();
                while (dir != null) {
                    Path dotGit = dir.resolve(".git");
                    if (Files.isDirectory(dotGit)) {
                        return head(dotGit);
                    }
                    if (Files.isRegularFile(dotGit)) { // worktree or submodule: "gitdir: <path>"
                        String line = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
                        if (line.startsWith("gitdir:")) {
                            return head(dir.resolve(line.substring(7).strip()).normalize());
                        }
                    }
                    dir = dir.getParent();
                }
            } catch (IOException | RuntimeException e) {
                // No commit is better than a failed run: the environment is informative only.
            }
            return new String[] {null, null};
        }

        private static String[] head(Path gitDir) throws IOException {
            String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).strip();
            if (!head.startsWith("ref:")) {
                return new String[] {head.matches("[0-9a-f]{40,64}") ? head : null, null};
            }
            String ref = head.substring(4).strip();
            String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
            Path common = gitDir;
            Path commonFile = gitDir.resolve("commondir");
            if (Files.isRegularFile(commonFile)) {
                common = gitDir.resolve(Files.readString(commonFile, StandardCharsets.UTF_8).strip()).normalize();
            }
            for (Path base : List.of(gitDir, common)) {
                Path loose = base.resolve(ref);
                if (Files.isRegularFile(loose)) {
                    return new String[] {Files.readString(loose, StandardCharsets.UTF_8).strip(), branch};
                }
                Path packed = base.resolve("packed-refs");
                if (Files.isRegularFile(packed)) {
                    for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                        if (line.endsWith(" " + ref) && !line.startsWith("#")) {
                            return new String[] {line.substring(0, line.indexOf(' ')), branch};
                        }
                    }
                }
            }
            return new String[] {null, branch}; // a branch without commits yet
        }
    }
}
