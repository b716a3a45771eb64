package org.mlops4j.core.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * The streams under a {@link Csv} read that enforce its {@link Csv.Limits} while the file is read, before
 * the CSV parser or a {@code readLine} can buffer an endless line or field: bytes after decompression, the
 * decompression ratio, and (in a small quote-aware lexer in front of the parser) record length, field
 * length and fields per record. Each limit crossed is an {@link InvalidDataException} naming the file,
 * the line, the limit and the option that raises it.
 */
final class CsvGuard {
    /** The ratio guard waits until this many bytes are out, so small files may compress as well as they like. */
    static final long RATIO_GRACE_BYTES = 1L << 20;

    private CsvGuard() {
    }

    private static long raise(int limit) {
        return Math.min(limit * 10L, Integer.MAX_VALUE);
    }

    static InvalidDataException crossed(String src, Long line, String what, String option) {
        return new InvalidDataException(src + (line == null ? "" : " line " + line) + ": " + what
                + "; if the file is what you meant to read, raise the limit with Csv.limits(Csv.Limits.DEFAULTS." + option + ")",
                src, line, null, null, null);
    }

    /** Counts bytes; the raw file's counter feeds the ratio check of the decompressed one. */
    static final class Counting extends FilterInputStream {
        private final String src;
        private final long maxBytes;
        private final Counting compressed;
        private final double maxRatio;
        private long count;

        /**
         * @param in         the stream
         * @param src        the file, for messages
         * @param maxBytes   most bytes (Long.MAX_VALUE for the raw file)
         * @param compressed the raw file's counter when this stream is decompressed, else null
         * @param maxRatio   most decompressed bytes per compressed byte
         */
        Counting(InputStream in, String src, long maxBytes, Counting compressed, double maxRatio) {
            super(in);
            this.src = src;
            this.maxBytes = maxBytes;
            this.compressed = compressed;
            this.maxRatio = maxRatio;
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            add(s);
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void add(long n) {
            count += n;
            if (count > maxBytes) {
                throw crossed(src, null, (compressed != null ? "decompressed, it is larger than " : "it is larger than ")
                        + maxBytes + " bytes (Csv.Limits.maxBytes)", "maxBytes(" + Math.multiplyExact(Math.max(1, maxBytes), 2) + "L)");
            }
            if (compressed != null && count > RATIO_GRACE_BYTES && count > maxRatio * Math.max(1, compressed.count())) {
                throw crossed(src, null, "it decompresses more than " + (long) maxRatio + " times (" + compressed.count()
                        + " compressed bytes have become " + count + "), which is what a gzip bomb does, not a CSV file"
                        + " (Csv.Limits.maxCompressionRatio)", "maxCompressionRatio(" + (long) maxRatio * 10 + ")");
            }
        }
    }

    /**
     * Watches the characters on their way to the parser: record and field lengths and fields per record,
     * following RFC 4180 quoting (a quote toggles the quoted state, so a doubled quote toggles it twice);
     * the lines skipped before the header are physical lines, counted but not lexed.
     */
    static final class Lexer extends Reader {
        private final Reader in;
        private final String src;
        private final Csv.Limits limits;
        private final char separator;
        private long skipLines;
        private boolean quoted;
        private long line = 1;
        private long recordLine = 1;
        private long recordChars;
        private long fieldChars;
        private long fields = 1;

        Lexer(Reader in, String src, Csv.Limits limits, char separator, int skipLines) {
            this.in = in;
            this.src = src;
            this.limits = limits;
            this.separator = separator;
            this.skipLines = skipLines;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            for (int i = off; i < off + n; i++) {
                see(buf[i]);
            }
            return n;
        }

        private void see(char ch) {
            if (ch == '\n') {
                line++;
            }
            if (skipLines > 0) {
                if (ch == '\n') {
                    skipLines--;
                    recordChars = 0;
                    recordLine = line;
                } else if (++recordChars > limits.maxLineChars()) {
                    throw lineTooLong();
                }
                return;
            }
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && (ch == '\n' || ch == '\r')) {
                recordChars = 0;
                fieldChars = 0;
                fields = 1;
                recordLine = line;
                return;
            } else if (!quoted && ch == separator) {
                fieldChars = 0;
                if (++fields > limits.maxColumns()) {
                    throw crossed(src, recordLine, "a record has more than " + limits.maxColumns() + " fields (Csv.Limits.maxColumns)",
                            "maxColumns(" + raise(limits.maxColumns()) + ")");
                }
                if (++recordChars > limits.maxLineChars()) {
                    throw lineTooLong();
                }
                return;
            }
            if (++recordChars > limits.maxLineChars()) {
                throw lineTooLong();
            }
            if (++fieldChars > limits.maxFieldChars()) {
                throw crossed(src, recordLine, "a field is longer than " + limits.maxFieldChars() + " characters"
                        + (quoted ? " (is a quote left open?)" : "") + " (Csv.Limits.maxFieldChars)",
                        "maxFieldChars(" + raise(limits.maxFieldChars()) + ")");
            }
        }

        private InvalidDataException lineTooLong() {
            return crossed(src, recordLine, "a line is longer than " + limits.maxLineChars() + " characters"
                    + (quoted ? " (is a quote left open?)" : "") + " (Csv.Limits.maxLineChars)",
                    "maxLineChars(" + raise(limits.maxLineChars()) + ")");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
