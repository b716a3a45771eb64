package org.mlops4j.core.model;

/**
 * How much a bundle may hold before loading refuses it, checked before anything is read into memory: the
 * number of files (or zip entries), the bytes of one file and of all files, the bytes of
 * {@code manifest.json}, how far a compressed payload (a zip entry, the gzip of {@code model.tribuo.gz})
 * may expand, and how much it may expand relative to its compressed size. A bundle over a limit is a
 * {@link BundleIntegrityException} naming the file, its size and the limit; nothing is written.
 * {@snippet :
 * ModelBundle big = ModelBundle.load(Path.of("models/forest-1000.zip"),
 *         BundleLimits.defaults().withMaxFileBytes(2L << 30).withMaxTotalBytes(3L << 30).withMaxExpandedBytes(4L << 30));
 * }
 *
 * @param maxFiles          files (zip entries) a bundle may have
 * @param maxFileBytes      bytes of one file, as stored (decompressed for a zip entry)
 * @param maxTotalBytes     bytes of all files together
 * @param maxManifestBytes  bytes of {@code manifest.json}
 * @param maxExpandedBytes  bytes a compressed payload may expand to
 * @param maxExpansionRatio how many times its compressed size a payload larger than 1 MiB may expand to
 */
public record BundleLimits(int maxFiles, long maxFileBytes, long maxTotalBytes, int maxManifestBytes, long maxExpandedBytes,
                           int maxExpansionRatio) {
    private static final BundleLimits DEFAULTS = new BundleLimits(256, 512L << 20, 1L << 30, 4 << 20, 512L << 20, 100);
    /** Below this many bytes a payload may expand by any ratio (small files of zeros compress very well). */
    public static final long RATIO_FLOOR = 1L << 20;

    /** Checks every limit is positive. */
    public BundleLimits {
        if (maxFiles < 1 || maxFileBytes < 1 || maxTotalBytes < 1 || maxManifestBytes < 1 || maxExpandedBytes < 1 || maxExpansionRatio < 1) {
            throw new IllegalArgumentException("every bundle limit must be positive but got " + maxFiles + " files, " + maxFileBytes
                    + " bytes per file, " + maxTotalBytes + " bytes in all, " + maxManifestBytes + " manifest bytes, " + maxExpandedBytes
                    + " expanded bytes, ratio " + maxExpansionRatio);
        }
        if (maxFileBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxFileBytes must be below 2 GiB (a file is held in one array) but was " + maxFileBytes);
        }
    }

    /**
     * @return 256 files, 512 MiB per file, 1 GiB in all, a 4 MiB manifest, payloads expanding to at most 512 MiB
     *         and at most 100 times their compressed size (a 100-tree forest is about 10 MiB, compressed 8 times)
     */
    public static BundleLimits defaults() {
        return DEFAULTS;
    }

    /**
     * @param bytes bytes of one file
     * @return these limits with that one changed
     */
    public BundleLimits withMaxFileBytes(long bytes) {
        return new BundleLimits(maxFiles, bytes, maxTotalBytes, maxManifestBytes, maxExpandedBytes, maxExpansionRatio);
    }

    /**
     * @param bytes bytes of all files
     * @return these limits with that one changed
     */
    public BundleLimits withMaxTotalBytes(long bytes) {
        return new BundleLimits(maxFiles, maxFileBytes, bytes, maxManifestBytes, maxExpandedBytes, maxExpansionRatio);
    }

    /**
     * @param files files or zip entries
     * @return these limits with that one changed
     */
    public BundleLimits withMaxFiles(int files) {
        return new BundleLimits(files, maxFileBytes, maxTotalBytes, maxManifestBytes, maxExpandedBytes, maxExpansionRatio);
    }

    /**
     * @param bytes bytes a compressed payload may expand to
     * @return these limits with that one changed
     */
    public BundleLimits withMaxExpandedBytes(long bytes) {
        return new BundleLimits(maxFiles, maxFileBytes, maxTotalBytes, maxManifestBytes, bytes, maxExpansionRatio);
    }

    /**
     * @param ratio expanded over compressed size
     * @return these limits with that one changed
     */
    public BundleLimits withMaxExpansionRatio(int ratio) {
        return new BundleLimits(maxFiles, maxFileBytes, maxTotalBytes, maxManifestBytes, maxExpandedBytes, ratio);
    }

    /**
     * Checks an expansion while it happens.
     *
     * @param expanded   bytes produced so far
     * @param compressed bytes of the compressed input
     * @param what       the file, for the message
     * @throws BundleIntegrityException when it expanded past a limit
     */
    public void checkExpansion(long expanded, long compressed, String what) {
        if (expanded > maxExpandedBytes) {
            throw new BundleIntegrityException(what + " expands past " + maxExpandedBytes + " bytes (BundleLimits.maxExpandedBytes);"
                    + " refusing it as a possible compression bomb");
        }
        if (expanded > RATIO_FLOOR && expanded > (long) maxExpansionRatio * Math.max(1, compressed)) {
            throw new BundleIntegrityException(what + " expands more than " + maxExpansionRatio + " times its " + compressed
                    + " compressed bytes (BundleLimits.maxExpansionRatio); refusing it as a possible compression bomb");
        }
    }
}
