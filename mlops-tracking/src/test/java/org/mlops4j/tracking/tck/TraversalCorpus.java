package org.mlops4j.tracking.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Artifact paths that try to leave a run's folder: parent segments, absolute and UNC paths, drive letters,
 * backslashes, percent-encoded and double-encoded traversal, overlong UTF-8, NUL and control characters,
 * Unicode look-alikes, empty and dot segments, over-long paths. Used against the Java API and over HTTP.
 */
public final class TraversalCorpus {
    private TraversalCorpus() {
    }

    /** @return the corpus */
    public static List<String> paths() {
        List<String> p = new ArrayList<>(List.of(
                "../escape.txt", "..", ".", "./escape.txt", "a/../../escape.txt", "a/./b.txt", "a/..", "a/../escape.txt",
                "../../../../../../../../tmp/escape.txt", "/etc/passwd", "/escape.txt", "//server/share/escape.txt",
                "\\\\server\\share\\escape.txt", "..\\escape.txt", "a\\..\\..\\escape.txt", "C:\\Windows\\escape.txt",
                "C:/Windows/escape.txt", "c:escape.txt", "file:///etc/passwd", "%2e%2e/escape.txt", "%2e%2e%2fescape.txt",
                "..%2fescape.txt", "..%5cescape.txt", "%252e%252e%252fescape.txt", "..%c0%afescape.txt", "..%255cescape.txt",
                "a\u0000b.txt", "escape.txt\u0000.png", "a/\u0000/b.txt", "\u0000", "..\u0000/escape.txt", "\tescape/../x",
                "a\nb.txt", "a\rb.txt", "a\u007fb.txt", "a//b.txt", "a/", "/", "", "a/b/", "//", "a/.../../../escape.txt",
                "...//escape.txt", "....//....//escape.txt", "..;/escape.txt", "a/..;/..;/escape.txt",
                "\uff0e\uff0e/escape.txt", "\u2024\u2024/escape.txt", "\u202e../escape.txt", "a/\u2215..\u2215escape.txt",
                "~/escape.txt", "~root/escape.txt", "$HOME/escape.txt", "a:b.txt", ".\\escape.txt", "a/.\\../escape.txt"));
        p.add("a/" + "../".repeat(60) + "escape.txt");
        p.add("x".repeat(1001));
        p.add(("d/").repeat(400) + "f.txt");
        return p;
    }

    /**
     * @param root a directory
     * @return every regular file and link below it
     */
    public static Set<Path> files(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(f -> !Files.isDirectory(f) || Files.isSymbolicLink(f)).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
