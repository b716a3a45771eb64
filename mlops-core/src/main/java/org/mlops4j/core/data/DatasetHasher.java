package org.mlops4j.core.data;

import org.mlops4j.core.internal.Sha256;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;

/**
 * Computes {@link DatasetVersion#id()}: SHA-256 over a canonical, row-major encoding.
 *
 * <p>Encoding (version 1; changing it changes every id, so it is frozen and covered by a golden test):
 * the ASCII magic {@code mlops4j-dataset-v1}, the column count (int32), then per column its name
 * (int32 length + UTF-8) and a type byte ({@code N}/{@code C}); the row count (int64); then per row and
 * column: numeric: {@code 0x00} for missing, else {@code 0x01} + the IEEE-754 bits (int64) with
 * {@code -0.0} folded into {@code 0.0}; categorical: {@code 0x00} for missing, else {@code 0x01} + int32
 * length + UTF-8. Big-endian throughout. Lengths make the encoding unambiguous.
 */
final class DatasetHasher {
    private static final byte[] MAGIC = "mlops4j-dataset-v1".getBytes(StandardCharsets.US_ASCII);

    private DatasetHasher() {
    }

    static DatasetVersion version(Dataset d, long sourceBytes, Instant createdAt, List<DatasetVersion> sources) {
        Sink sink = new Sink();
        List<Column> cols = d.columns();
        sink.put(MAGIC);
        sink.putInt(cols.size());
        for (Column c : cols) {
            sink.putString(c.name());
            sink.putByte(c.type() == ColumnType.NUMERIC ? (byte) 'N' : (byte) 'C');
        }
        int rows = d.rowCount();
        sink.putLong(rows);
        Object[] arrays = new Object[cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            arrays[c] = cols.get(c) instanceof NumericColumn n ? n.values() : ((CategoricalColumn) cols.get(c)).values();
        }
        for (int r = 0; r < rows; r++) {
            for (Object a : arrays) {
                if (a instanceof double[] v) {
                    double x = v[r];
                    if (Double.isNaN(x)) {
                        sink.putByte((byte) 0);
                    } else {
                        sink.putByte((byte) 1);
                        sink.putLong(Double.doubleToLongBits(x == 0.0 ? 0.0 : x));
                    }
                } else {
                    String s = ((String[]) a)[r];
                    if (s == null) {
                        sink.putByte((byte) 0);
                    } else {
                        sink.putByte((byte) 1);
                        sink.putString(s);
                    }
                }
            }
        }
        String id = sink.finish();
        long bytes = sourceBytes >= 0 ? sourceBytes : sink.total;
        return new DatasetVersion(id, d.uri(), rows, cols.size(), bytes, createdAt, sources);
    }

    /** Buffers writes into a MessageDigest; counts the canonical size. */
    private static final class Sink {
        private final MessageDigest digest;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long total;

        Sink() {
            digest = Sha256.digest();
        }

        private void ensure(int n) {
            if (buf.remaining() < n) {
                drain();
            }
        }

        private void drain() {
            buf.flip();
            total += buf.remaining();
            digest.update(buf);
            buf.clear();
        }

        void putByte(byte b) {
            ensure(1);
            buf.put(b);
        }

        void putInt(int v) {
            ensure(4);
            buf.putInt(v);
        }

        void putLong(long v) {
            ensure(8);
            buf.putLong(v);
        }

        void put(byte[] bytes) {
            int off = 0;
            while (off < bytes.length) {
                ensure(1);
                int n = Math.min(buf.remaining(), bytes.length - off);
                buf.put(bytes, off, n);
                off += n;
            }
        }

        void putString(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            putInt(b.length);
            put(b);
        }

        String finish() {
            drain();
            return Sha256.hex(digest);
        }
    }
}
