package org.mlops4j.core.data;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The identity of a data set's content plus the facts of its loading.
 *
 * <p>{@link #id()} is the SHA-256 (hex) of a canonical encoding of the schema (names and types, in
 * order) and of every value (numbers as IEEE-754 bits with {@code -0.0} folded into {@code 0.0},
 * categories as UTF-8, missing values as a marker), row by row. It therefore does not depend on the
 * file's path or name, its line endings, its quoting, or how a number was spelled ({@code 1}, {@code 1.0},
 * {@code 1e0}); changing one cell, one column name or the row order gives another id. The other
 * components say where and when this copy was loaded and do not take part in the identity:
 * compare {@code id()}s, or use {@link #sameContentAs}.
 * {@snippet :
 * DatasetVersion v = Csv.file("prices.csv").skipLines(1).load().version();
 * v.id();       // "3f9a...": 64 hex digits
 * v.shortId();  // "3f9a0c12d4e5"
 * }
 *
 * @param id       SHA-256 of schema + content, 64 lowercase hex digits
 * @param uri      where the data was read from: {@code file:///…}, or {@code memory:<name>} for data built in memory
 * @param rows     number of rows
 * @param columns  number of columns
 * @param bytes    size of the source file in bytes, or of the canonical encoding for data built in memory
 * @param loadedAt when the data was loaded
 * @param sources  the versions of the data sets this one was joined from ({@link Dataset#join}), else empty
 */
public record DatasetVersion(String id, String uri, long rows, int columns, long bytes, Instant loadedAt,
                             List<DatasetVersion> sources) {

    /** Validates the components. */
    public DatasetVersion {
        sources = sources == null ? List.of() : List.copyOf(sources);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(loadedAt, "loadedAt");
        if (!id.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("dataset version id must be 64 lowercase hex digits but was '" + id + "'");
        }
    }

    /** @return the first 12 hex digits of the id, enough to tell versions apart in a listing */
    public String shortId() {
        return id.substring(0, 12);
    }

    /**
     * @param other another version
     * @return whether both describe the same schema and content
     */
    public boolean sameContentAs(DatasetVersion other) {
        return other != null && id.equals(other.id);
    }

    @Override
    public String toString() {
        return "DatasetVersion[sha256:" + shortId() + ", " + org.mlops4j.core.internal.Names.count(rows, "row") + " x " + org.mlops4j.core.internal.Names.count(columns, "column") + ", " + bytes
                + " bytes, uri=" + uri + ", loadedAt=" + loadedAt
                + (sources.isEmpty() ? "" : ", from " + sources.stream().map(v -> v.uri() + "@" + v.shortId()).toList()) + "]";
    }
}
