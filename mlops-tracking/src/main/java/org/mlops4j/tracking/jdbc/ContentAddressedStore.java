package org.mlops4j.tracking.jdbc;

import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.tracking.TrackingException;
import org.mlops4j.core.tracking.TrackingNotFoundException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Blobs named by the SHA-256 of their content: {@code <root>/sha256/ab/cdef...}. The file name is derived
 * from the digest only, never from a user-supplied path, so an artifact path cannot reach the file system
 * at all; the run-relative path lives in the database. Writes stream through a digest into a temporary file
 * in the same directory tree, are forced to disk, then renamed atomically (identical content is stored
 * once). Reads refuse symbolic links anywhere below the root. Thread- and process-safe.
 */
final class ContentAddressedStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private final Path root;
    private final Path blobs;
    private final Path tmp;

    /**
     * @param root directory to hold the blobs (created when missing)
     */
    public ContentAddressedStore(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
            this.blobs = directory(this.root.resolve("sha256"));
            this.tmp = directory(this.root.resolve("tmp"));
            removeStaleUploads(tmp);
        } catch (IOException e) {
            throw new TrackingException("cannot create the artifact store at " + root + ": " + e.getMessage(), e);
        }
    }

    private static Path directory(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link; the artifact store refuses links");
        }
        return Files.createDirectories(dir);
    }

    /** Deletes upload files left by a crash more than a day ago (younger ones may be uploads in progress elsewhere). */
    private static void removeStaleUploads(Path tmp) throws IOException {
        java.nio.file.attribute.FileTime dayAgo = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L);
        try (java.nio.file.DirectoryStream<Path> parts = Files.newDirectoryStream(tmp, "upload-*.part")) {
            for (Path p : parts) {
                if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).compareTo(dayAgo) < 0) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** @return the root directory */
    public Path root() {
        return root;
    }

    /**
     * A stored blob.
     *
     * @param sha256 digest, 64 lowercase hex digits
     * @param size   bytes
     */
    public record Blob(String sha256, long size) {
    }

    /**
     * @param content read to the end, not closed
     * @return the digest and size of what was stored
     */
    public Blob put(InputStream content) {
        Path part = null;
        try {
            part = Files.createTempFile(tmp, "upload-", ".part");
            MessageDigest digest = Sha256.digest();
            long size;
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                 OutputStream out = new DigestOutputStream(Channels.newOutputStream(ch), digest)) {
                size = content.transferTo(out);
                out.flush();
                ch.force(true);
            }
            String sha = Sha256.hex(digest);
            Path target = path(sha);
            Path shard = directory(target.getParent());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(part); // same content already stored
            } else {
                try {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException raced) {
                    Files.deleteIfExists(part);
                }
                forceDirectory(shard);
            }
            part = null;
            return new Blob(sha, size);
        } catch (IOException e) {
            throw new TrackingException("storing an artifact under " + root + " failed: " + e.getMessage(), e);
        } finally {
            if (part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true); // makes the rename durable
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can sync a directory; the blob itself is synced
        }
    }

    /**
     * @param sha256 digest of a stored blob
     * @return its content
     * @throws TrackingNotFoundException when no such blob exists
     */
    public InputStream open(String sha256) {
        Path p = path(sha256);
        try {
            if (Files.isSymbolicLink(p.getParent())) {
                throw new TrackingException("artifact blob directory " + p.getParent() + " is a symbolic link; refused");
            }
            return Channels.newInputStream(Files.newByteChannel(p, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TrackingNotFoundException("artifact blob " + sha256 + " is missing from " + blobs, e);
        } catch (IOException e) {
            throw new TrackingException("reading artifact blob " + sha256 + " failed: " + e.getMessage(), e);
        }
    }

    private Path path(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("a blob name must be 64 lowercase hex digits but was '" + sha256 + "'");
        }
        Path p = blobs.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
        if (!p.normalize().startsWith(blobs)) { // cannot happen for hex names; kept as the invariant
            throw new IllegalStateException("blob path " + p + " escapes " + blobs);
        }
        return p;
    }
}
