package org.mlops4j.core.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * An exact binary copy of a data set, so a run can be reproduced after its source file changed or went away.
 * {@link #write} keeps every value bit for bit (numbers as their IEEE-754 bits, categories as UTF-8, missing
 * values as a marker) with the column names, types, source line numbers and the {@link DatasetVersion#id()};
 * {@link #read} rebuilds a data set with the same version id, or refuses bytes that are not a snapshot, are cut
 * short, or no longer hash to the recorded version. Pipelines with {@code Outputs.snapshotData()} keep one
 * snapshot per data version in the tracking store's content-addressed artifacts (experiment
 * {@code snapshots:data}).
 *
 * <p>Format (gzip of, big-endian): the ASCII magic {@code mlops4j-snapshot-v1}, the version id, the source
 * and URI (int32 length + UTF-8 each), the column count, per column name and a type byte ({@code N}/{@code C}),
 * the row count, a flag and the line numbers (int64 each) when the rows came from a file, then column by
 * column: numeric {@code 0x00} for missing else {@code 0x01} + int64 bits; categorical {@code 0x00} for missing
 * else {@code 0x01} + int32 length + UTF-8.
 * {@snippet :
 * byte[] snapshot = DataSnapshot.write(data);
 * Dataset again = DataSnapshot.read(snapshot, "snapshot of prices.csv");
 * again.version().id().equals(data.version().id());   // true
 * }
 */
public final class DataSnapshot {
    private static final byte[] MAGIC = "mlops4j-snapshot-v1".getBytes(StandardCharsets.US_ASCII);
    /** Refuses absurd sizes read from a damaged file before allocating. */
    private static final int MAX_COLUMNS = 1 << 20;

    private DataSnapshot() {
    }

    /**
     * @param data a data set
     * @return its snapshot (gzip), a few times smaller than its CSV for typical data
     */
    public static byte[] write(Dataset data) {
        Objects.requireNonNull(data, "data");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes, 1 << 16))) {
            out.write(MAGIC);
            writeString(out, data.version().id());
            writeString(out, data.source());
            writeString(out, data.uri());
            List<Column> cols = data.columns();
            out.writeInt(cols.size());
            for (Column c : cols) {
                writeString(out, c.name());
                out.writeByte(c.type() == ColumnType.NUMERIC ? 'N' : 'C');
            }
            int rows = data.rowCount();
            out.writeInt(rows);
            boolean fromFile = data.hasLines();
            out.writeBoolean(fromFile);
            if (fromFile) {
                for (int r = 0; r < rows; r++) {
                    out.writeLong(data.lineOf(r));
                }
            }
            for (Column c : cols) {
                if (c instanceof NumericColumn n) {
                    for (int r = 0; r < rows; r++) {
                        double v = n.get(r);
                        if (Double.isNaN(v)) {
                            out.writeByte(0);
                        } else {
                            out.writeByte(1);
                            out.writeLong(Double.doubleToRawLongBits(v));
                        }
                    }
                } else {
                    CategoricalColumn cat = (CategoricalColumn) c;
                    for (int r = 0; r < rows; r++) {
                        String s = cat.get(r);
                        if (s == null) {
                            out.writeByte(0);
                        } else {
                            out.writeByte(1);
                            writeString(out, s);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param snapshot what {@link #write} wrote
     * @param where    names the snapshot in messages ({@code "run 3f2a… artifact dataset/snapshot.bin.gz"})
     * @return the data set, with the version id it had
     * @throws InvalidDataException when the bytes are not a snapshot, are truncated, or do not hash to the
     *                              version they record
     */
    public static Dataset read(byte[] snapshot, String where) {
        Objects.requireNonNull(snapshot, "snapshot");
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(snapshot), 1 << 16))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw bad(where, "it does not start with '" + new String(MAGIC, StandardCharsets.US_ASCII) + "'");
            }
            String id = readString(in, where);
            String source = readString(in, where);
            String uri = readString(in, where);
            int ncols = in.readInt();
            if (ncols < 1 || ncols > MAX_COLUMNS) {
                throw bad(where, "it records " + ncols + " columns");
            }
            String[] names = new String[ncols];
            byte[] types = new byte[ncols];
            for (int c = 0; c < ncols; c++) {
                names[c] = readString(in, where);
                types[c] = in.readByte();
                if (types[c] != 'N' && types[c] != 'C') {
                    throw bad(where, "column '" + names[c] + "' has type byte " + types[c] + "; expected 'N' or 'C'");
                }
            }
            int rows = in.readInt();
            if (rows < 0) {
                throw bad(where, "it records " + rows + " rows");
            }
            long[] lines = null;
            if (in.readBoolean()) {
                lines = new long[rows];
                for (int r = 0; r < rows; r++) {
                    lines[r] = in.readLong();
                }
            }
            List<Column> cols = new ArrayList<>(ncols);
            for (int c = 0; c < ncols; c++) {
                if (types[c] == 'N') {
                    double[] v = new double[rows];
                    for (int r = 0; r < rows; r++) {
                        v[r] = in.readByte() == 0 ? Double.NaN : Double.longBitsToDouble(in.readLong());
                    }
                    cols.add(new NumericColumn(names[c], v));
                } else {
                    String[] v = new String[rows];
                    for (int r = 0; r < rows; r++) {
                        v[r] = in.readByte() == 0 ? null : readString(in, where);
                    }
                    cols.add(new CategoricalColumn(names[c], v));
                }
            }
            if (in.read() != -1) {
                throw bad(where, "it has bytes after its last value");
            }
            Dataset d = new Dataset(source, uri, cols, lines, -1, Instant.EPOCH);
            if (!d.version().id().equals(id)) {
                throw bad(where, "its values hash to version " + d.version().shortId() + " but it records version "
                        + (id.length() > 12 ? id.substring(0, 12) : id) + "; it was modified");
            }
            return d;
        } catch (EOFException e) {
            throw new InvalidDataException(where + " is not a complete data snapshot: it ends early (truncated?)", where, null, null, null, e);
        } catch (ZipException e) {
            throw new InvalidDataException(where + " is not a data snapshot: not gzip data (" + e.getMessage() + ")", where, null, null, null, e);
        } catch (IOException e) {
            throw new InvalidDataException(where + " cannot be read as a data snapshot: " + e.getMessage(), where, null, null, null, e);
        } catch (IllegalArgumentException e) {
            throw new InvalidDataException(where + " is not a valid data snapshot: " + e.getMessage(), where, null, null, null, e);
        }
    }

    private static InvalidDataException bad(String where, String why) {
        return new InvalidDataException(where + " is not a valid data snapshot: " + why, where, null, null, null, null);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in, String where) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 26)) {
            throw bad(where, "a text field records length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
