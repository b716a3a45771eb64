package org.mlops4j.core.tracking;

import java.util.Objects;

/**
 * A file stored with a run.
 * {@snippet :
 * ArtifactInfo a = run.logArtifact("model/manifest.json", bytes);
 * a.path(); a.size(); a.sha256();
 * }
 *
 * @param path   run-relative path, normalized ({@code model/manifest.json})
 * @param size   bytes
 * @param sha256 SHA-256 of the content, 64 lowercase hex digits; null only when the store cannot tell (an MLflow
 *               server lists sizes, not digests)
 */
public record ArtifactInfo(String path, long size, String sha256) {

    /** Validates. */
    public ArtifactInfo {
        Objects.requireNonNull(path, "path");
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits but was '" + sha256 + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0 but was " + size);
        }
    }
}
