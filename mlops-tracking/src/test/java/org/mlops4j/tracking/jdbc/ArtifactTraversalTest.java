package org.mlops4j.tracking.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingException;
import org.mlops4j.tracking.tck.TraversalCorpus;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The traversal corpus against the SQLite store's artifacts: every path is refused or stored as a name of
 * the run; no file appears outside the artifact store and no read returns a file outside it. Symbolic
 * links planted inside the blob store are refused.
 */
class ArtifactTraversalTest {
    @TempDir
    Path dir;

    @Test
    void noCorpusPathEscapesTheRun() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("escape.txt"), "SECRET");
        Path storeDir = dir.resolve("store");
        int rejected = 0;
        int stored = 0;
        int escapes = 0;
        try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(storeDir.resolve("mlops.db"))).build();
             ActiveRun run = tracker.startRun("traversal")) {
            Set<Path> before = new HashSet<>(TraversalCorpus.files(dir));
            for (String path : TraversalCorpus.paths()) {
                try {
                    run.logText(path, "pwned");
                    stored++;
                } catch (IllegalArgumentException e) {
                    rejected++;
                    assertThat(e.getMessage()).as("message names the path").contains("artifact path");
                    continue;
                }
                try (InputStream in = tracker.openArtifact(run.id(), path)) {
                    String read = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    if (!read.equals("pwned")) {
                        escapes++;
                    }
                }
            }
            for (Path f : TraversalCorpus.files(dir)) {
                if (!before.contains(f) && !f.startsWith(storeDir)) {
                    escapes++;
                }
            }
            assertThat(Files.readString(outside.resolve("escape.txt"))).isEqualTo("SECRET");
            assertThat(TraversalCorpus.files(outside)).containsExactly(outside.resolve("escape.txt"));
            assertThat(tracker.run(run.id()).orElseThrow().artifacts()).extracting(ArtifactInfo::path).allSatisfy(p -> {
                assertThat(p).doesNotStartWith("/").doesNotContain("\\").doesNotContain("\u0000");
                assertThat(p.split("/")).doesNotContain("..", ".", "");
            });
        }
        assertThat(escapes).isZero();
        assertThat(rejected + stored).isEqualTo(TraversalCorpus.paths().size());
        System.out.printf(Locale.ROOT, "RELIABILITY traversal (Java API): %d paths, %d refused, %d stored as literal names, %d escapes%n",
                TraversalCorpus.paths().size(), rejected, stored, escapes);
    }

    @Test
    void symbolicLinksInsideTheBlobStoreAreRefused() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "SECRET");
        Path storeDir = dir.resolve("store");
        try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(storeDir.resolve("mlops.db"))).build();
             ActiveRun run = tracker.startRun("links")) {
            ArtifactInfo a = run.logText("model.txt", "weights");
            Path blob = storeDir.resolve("artifacts/sha256").resolve(a.sha256().substring(0, 2)).resolve(a.sha256().substring(2));
            Files.delete(blob);
            Files.createSymbolicLink(blob, outside.resolve("secret.txt"));
            assertThatThrownBy(() -> tracker.openArtifact(run.id(), "model.txt").readAllBytes()).isInstanceOf(TrackingException.class);

            // A shard directory replaced by a link to the outside is refused for reads and for writes.
            String other = "other content";
            String sha = sha256(other);
            Path shard = storeDir.resolve("artifacts/sha256").resolve(sha.substring(0, 2));
            if (!Files.exists(shard)) {
                Files.createSymbolicLink(shard, outside);
                assertThatThrownBy(() -> run.logText("other.txt", other)).isInstanceOf(TrackingException.class).hasMessageContaining("symbolic link");
                assertThat(TraversalCorpus.files(outside)).containsExactly(outside.resolve("secret.txt"));
            }
        }
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("SECRET");
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
