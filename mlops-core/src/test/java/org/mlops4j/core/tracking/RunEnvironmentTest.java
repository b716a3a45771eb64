package org.mlops4j.core.tracking;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RunEnvironmentTest {
    @TempDir
    Path dir;

    private static final String SHA = "3e1f0c9a5b7d2e4f6a8c0b1d3e5f7a9c2b4d6e8f";

    @Test
    void readsTheCommitOfALooseBranchRefFromASubdirectory() throws IOException {
        Path git = Files.createDirectories(dir.resolve("repo/.git/refs/heads"));
        Files.writeString(dir.resolve("repo/.git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(git.resolve("main"), SHA + "\n");
        Path sub = Files.createDirectories(dir.resolve("repo/app/src"));

        RunEnvironment env = RunEnvironment.capture(sub);

        assertThat(env.gitCommit()).isEqualTo(SHA);
        assertThat(env.gitBranch()).isEqualTo("main");
        assertThat(env.asTags()).containsEntry("mlops.git.commit", SHA).containsEntry("mlops.git.branch", "main");
    }

    @Test
    void readsPackedRefsDetachedHeadsAndWorktrees() throws IOException {
        Path packed = Files.createDirectories(dir.resolve("packed/.git"));
        Files.writeString(packed.resolve("HEAD"), "ref: refs/heads/release\n");
        Files.writeString(packed.resolve("packed-refs"), "# pack-refs with: peeled\n" + SHA + " refs/heads/release\n");
        assertThat(RunEnvironment.capture(dir.resolve("packed")).gitCommit()).isEqualTo(SHA);

        Path detached = Files.createDirectories(dir.resolve("detached/.git"));
        Files.writeString(detached.resolve("HEAD"), SHA + "\n");
        RunEnvironment d = RunEnvironment.capture(dir.resolve("detached"));
        assertThat(d.gitCommit()).isEqualTo(SHA);
        assertThat(d.gitBranch()).isNull();

        Path worktreeGitDir = Files.createDirectories(dir.resolve("packed/.git/worktrees/wt"));
        Files.writeString(worktreeGitDir.resolve("HEAD"), "ref: refs/heads/release\n");
        Files.writeString(worktreeGitDir.resolve("commondir"), "../..\n");
        Path wt = Files.createDirectories(dir.resolve("wt"));
        Files.writeString(wt.resolve(".git"), "gitdir: " + worktreeGitDir + "\n");
        assertThat(RunEnvironment.capture(wt).gitCommit()).isEqualTo(SHA);
    }

    @Test
    void outsideAGitWorkTreeThereIsNoCommitAndNoTag() {
        RunEnvironment env = RunEnvironment.capture(Path.of("/"));

        assertThat(env.gitCommit()).isNull();
        assertThat(env.asTags()).doesNotContainKey("mlops.git.commit")
                .containsKeys("mlops.env.java", "mlops.env.os", "mlops.version", "mlops.tribuo.version");
        assertThat(env.tribuoVersion()).isEqualTo("4.3.2");
        assertThat(env.mlops4jVersion()).isNotBlank();
    }
}
