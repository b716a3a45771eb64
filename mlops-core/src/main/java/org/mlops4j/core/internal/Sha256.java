package org.mlops4j.core.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one SHA-256 helper of mlops4j: bundle files, artifacts, dataset versions and token checks all
 * hash through it, so every checksum is written the same way (64 lowercase hex digits). Internal: not
 * an API.
 *
 * <pre>{@code
 * String sum = Sha256.hex(Files.readAllBytes(path));   // "9f86d081…", 64 hex digits
 * MessageDigest d = Sha256.digest();
 * d.update(part1);
 * d.update(part2);
 * String both = Sha256.hex(d);
 * }</pre>
 */
public final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    /** @return a fresh SHA-256 digest (SHA-256 is required of every Java platform) */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /**
     * @param bytes content
     * @return its SHA-256 as 64 lowercase hex digits
     */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(digest().digest(bytes));
    }

    /**
     * @param digest a digest that has seen all the content; it is reset
     * @return its SHA-256 as 64 lowercase hex digits
     */
    public static String hex(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }

    /**
     * @param bytes content
     * @return its raw 32-byte SHA-256
     */
    public static byte[] of(byte[] bytes) {
        return digest().digest(bytes);
    }
}
