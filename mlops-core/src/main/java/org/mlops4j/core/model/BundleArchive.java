package org.mlops4j.core.model;

import org.mlops4j.core.internal.Names;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Reads bundle directories and zips into memory within {@link BundleLimits}, and writes zips. Nothing is
 * ever extracted to disk: a bundle is verified in memory, then saved by {@link ModelBundle#save}.
 *
 * <p>A directory: {@code manifest.json} is read first (a regular file, not a link, within the manifest
 * limit); then only the files it lists, each checked to be a regular file whose size is the declared
 * one before a byte is read; unlisted files are never opened. A zip: its central directory is parsed
 * here (not by {@code java.util.zip.ZipFile}, which hides links and duplicate names) and refused before
 * any entry is inflated when an entry is absolute, escapes with {@code ..}, sits in a folder, is a link
 * or a directory, is named twice, is encrypted, uses another method than stored or deflate, is zip64,
 * overlaps another, or when the entries, their declared sizes or their compression ratio pass a limit.
 * Each entry is then inflated into an array of exactly its declared size, and its CRC-32 checked.
 */
final class BundleArchive {
    /** Registry metadata an export zip carries beside the bundle (see {@code ModelRegistry.exportVersion}). */
    static final String EXPORT_FILE = "registry.json";
    private static final int EOCD_SIG = 0x06054b50;
    private static final int CEN_SIG = 0x02014b50;
    private static final int LOC_SIG = 0x04034b50;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFDIR = 0040000;
    /** 1980-01-01, the earliest time a zip records: written zips are byte-identical for identical bundles. */
    private static final FileTime ZIP_EPOCH = FileTime.from(Instant.parse("1980-01-01T00:00:00Z").plusSeconds(86400));

    private BundleArchive() {
    }

    /** @return whether the file starts like a zip */
    static boolean looksLikeZip(Path file) {
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // read up to 4 bytes
            }
            return b.position() == 4 && (b.getInt(0) == LOC_SIG || b.getInt(0) == EOCD_SIG);
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- directories

    static Map<String, byte[]> readDirectory(Path dir, BundleLimits limits) {
        String where = "bundle " + dir;
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] manifestBytes = readListed(dir, ModelBundle.MANIFEST, -1, limits.maxManifestBytes(), where);
        files.put(ModelBundle.MANIFEST, manifestBytes);
        BundleManifest manifest = ManifestCheck.read(manifestBytes, dir.toString());
        if (manifest.files().size() + 1 > limits.maxFiles()) {
            throw new BundleIntegrityException(where + ": the manifest lists " + manifest.files().size() + " files; at most "
                    + (limits.maxFiles() - 1) + " are read (BundleLimits.maxFiles)");
        }
        long total = manifestBytes.length;
        for (BundleManifest.BundleFile f : manifest.files()) {
            if (f.size() > limits.maxFileBytes()) {
                throw new BundleIntegrityException(where + ": the manifest records " + f.size() + " bytes for " + f.path() + "; at most "
                        + limits.maxFileBytes() + " are read per file (BundleLimits.maxFileBytes)");
            }
            total += f.size();
            if (total > limits.maxTotalBytes()) {
                throw new BundleIntegrityException(where + ": the manifest records more than " + limits.maxTotalBytes()
                        + " bytes in all (BundleLimits.maxTotalBytes); refusing to read it");
            }
        }
        for (BundleManifest.BundleFile f : manifest.files()) {
            files.put(f.path(), readListed(dir, f.path(), f.size(), limits.maxFileBytes(), where));
        }
        Path sig = dir.resolve(BundleSignature.FILE);
        if (Files.exists(sig, LinkOption.NOFOLLOW_LINKS)) {
            files.put(BundleSignature.FILE, readListed(dir, BundleSignature.FILE, -1, 16 << 10, where));
        }
        return files;
    }

    /** Reads one file: a regular file (not a link), of exactly {@code expected} bytes when that is known. */
    private static byte[] readListed(Path dir, String name, long expected, long max, String where) {
        Path p = dir.resolve(name);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            if (name.equals(ModelBundle.MANIFEST)) {
                throw new BundleIntegrityException(Files.isDirectory(dir) ? where + " has no " + ModelBundle.MANIFEST
                        + "; expected a directory written by ModelBundle.save" : where + " does not exist", e);
            }
            throw new BundleIntegrityException(where + ": file " + name + " is listed in the manifest but missing", e);
        } catch (IOException e) {
            throw new BundleIntegrityException("cannot read " + where + ": " + e.getMessage(), e);
        }
        if (a.isSymbolicLink()) {
            throw new BundleIntegrityException(where + ": " + name + " is a symbolic link; a bundle holds regular files only, refusing it");
        }
        if (!a.isRegularFile()) {
            throw new BundleIntegrityException(where + ": " + name + " is not a regular file");
        }
        if (expected >= 0 && a.size() != expected) {
            throw new BundleIntegrityException(where + ": file " + name + " has " + a.size() + " bytes but the manifest records " + expected
                    + "; the bundle was modified or truncated, refusing to load it");
        }
        if (a.size() > max) {
            throw new BundleIntegrityException(where + ": " + name + " has " + a.size() + " bytes; at most " + max + " are read");
        }
        try (SeekableByteChannel ch = Files.newByteChannel(p, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            byte[] out = new byte[(int) a.size()];
            ByteBuffer b = ByteBuffer.wrap(out);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new BundleIntegrityException(where + ": file " + name + " shrank while it was read; refusing it");
                }
            }
            if (ch.read(ByteBuffer.allocate(1)) > 0) {
                throw new BundleIntegrityException(where + ": file " + name + " grew while it was read; refusing it");
            }
            return out;
        } catch (IOException e) {
            throw new BundleIntegrityException("cannot read " + where + ": " + name + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- zips

    private record Entry(String name, int method, int flags, long crc, long compressedSize, long size, long localOffset,
                         int madeBy, long externalAttributes) {
    }

    /**
     * @param zip    a zip file
     * @param limits what it may hold
     * @param extra  names the zip may hold beside the manifest, its listed files and {@code signature.json}
     * @return every entry's content by name
     */
    static Map<String, byte[]> readZip(Path zip, BundleLimits limits, Set<String> extra) {
        String where = "bundle " + zip;
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            List<Entry> entries = centralDirectory(ch, fileSize, limits, where);
            Map<String, Entry> byName = new LinkedHashMap<>();
            Set<String> folded = new HashSet<>();
            long total = 0;
            for (Entry e : entries) {
                checkEntry(e, limits, where);
                if (!folded.add(e.name().toLowerCase(Locale.ROOT))) {
                    throw new BundleIntegrityException(where + ": entry " + Names.quote(e.name()) + " appears twice in the zip; refusing it");
                }
                byName.put(e.name(), e);
                total += e.size();
                if (total > limits.maxTotalBytes()) {
                    throw new BundleIntegrityException(where + ": its entries expand to more than " + limits.maxTotalBytes()
                            + " bytes (BundleLimits.maxTotalBytes); refusing it");
                }
            }
            checkNoOverlap(entries, where);
            Entry m = byName.get(ModelBundle.MANIFEST);
            if (m == null) {
                throw new BundleIntegrityException(where + " has no " + ModelBundle.MANIFEST + " entry; expected a zip written by"
                        + " ModelBundle.saveZip or ModelRegistry.exportVersion");
            }
            if (m.size() > limits.maxManifestBytes()) {
                throw new BundleIntegrityException(where + ": " + ModelBundle.MANIFEST + " has " + m.size() + " bytes; at most "
                        + limits.maxManifestBytes() + " are read");
            }
            byte[] manifestBytes = inflate(ch, fileSize, m, limits, where);
            BundleManifest manifest = ManifestCheck.read(manifestBytes, zip.toString());
            Set<String> allowed = new HashSet<>(extra);
            allowed.add(ModelBundle.MANIFEST);
            allowed.add(BundleSignature.FILE);
            Map<String, Long> declared = new LinkedHashMap<>();
            for (BundleManifest.BundleFile f : manifest.files()) {
                declared.put(f.path(), f.size());
            }
            for (Entry e : entries) {
                if (!allowed.contains(e.name()) && !declared.containsKey(e.name())) {
                    throw new BundleIntegrityException(where + ": entry " + Names.quote(e.name()) + " is not listed in its manifest;"
                            + " refusing a zip with unlisted entries");
                }
                Long size = declared.get(e.name());
                if (size != null && size != e.size()) {
                    throw new BundleIntegrityException(where + ": entry " + e.name() + " has " + e.size() + " bytes but the manifest records "
                            + size + "; the bundle was modified or truncated, refusing to load it");
                }
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(ModelBundle.MANIFEST, manifestBytes);
            for (BundleManifest.BundleFile f : manifest.files()) {
                Entry e = byName.get(f.path());
                if (e == null) {
                    throw new BundleIntegrityException(where + ": file " + f.path() + " is listed in the manifest but missing");
                }
                files.put(f.path(), inflate(ch, fileSize, e, limits, where));
            }
            for (String name : allowed) {
                Entry e = byName.get(name);
                if (e != null && !files.containsKey(name)) {
                    if (e.size() > 1 << 20) {
                        throw new BundleIntegrityException(where + ": " + name + " has " + e.size() + " bytes; at most 1 MiB is read");
                    }
                    files.put(name, inflate(ch, fileSize, e, limits, where));
                }
            }
            return files;
        } catch (NoSuchFileException e) {
            throw new BundleIntegrityException(where + " does not exist", e);
        } catch (IOException e) {
            throw new BundleIntegrityException("cannot read " + where + ": " + e.getMessage(), e);
        }
    }

    private static List<Entry> centralDirectory(FileChannel ch, long fileSize, BundleLimits limits, String where) throws IOException {
        if (fileSize < 22) {
            throw new BundleIntegrityException(where + " is not a zip (" + fileSize + " bytes, truncated?)");
        }
        int tail = (int) Math.min(fileSize, 22 + 65535);
        ByteBuffer t = read(ch, fileSize - tail, tail);
        int eocd = -1;
        for (int i = tail - 22; i >= 0; i--) {
            if (t.getInt(i) == EOCD_SIG && i + 22 + Short.toUnsignedInt(t.getShort(i + 20)) == tail) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new BundleIntegrityException(where + " has no zip end record; it is not a zip or it was truncated");
        }
        int disk = Short.toUnsignedInt(t.getShort(eocd + 4));
        int cdDisk = Short.toUnsignedInt(t.getShort(eocd + 6));
        int onDisk = Short.toUnsignedInt(t.getShort(eocd + 8));
        int count = Short.toUnsignedInt(t.getShort(eocd + 10));
        long cdSize = Integer.toUnsignedLong(t.getInt(eocd + 12));
        long cdOffset = Integer.toUnsignedLong(t.getInt(eocd + 16));
        if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            throw new BundleIntegrityException(where + " is a zip64 archive; bundle zips are plain zips below 4 GiB");
        }
        if (disk != 0 || cdDisk != 0 || onDisk != count) {
            throw new BundleIntegrityException(where + " is a multi-part zip; bundle zips are one file");
        }
        if (count > limits.maxFiles()) {
            throw new BundleIntegrityException(where + " has " + count + " entries; at most " + limits.maxFiles()
                    + " are read (BundleLimits.maxFiles)");
        }
        long eocdAt = fileSize - tail + eocd;
        if (cdOffset + cdSize > eocdAt) {
            throw new BundleIntegrityException(where + ": its central directory lies outside the file; it was truncated or damaged");
        }
        ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
        List<Entry> entries = new ArrayList<>();
        int p = 0;
        for (int i = 0; i < count; i++) {
            if (p + 46 > cdSize || cd.getInt(p) != CEN_SIG) {
                throw new BundleIntegrityException(where + ": its central directory is damaged at entry " + (i + 1));
            }
            int madeBy = Short.toUnsignedInt(cd.getShort(p + 4));
            int flags = Short.toUnsignedInt(cd.getShort(p + 8));
            int method = Short.toUnsignedInt(cd.getShort(p + 10));
            long crc = Integer.toUnsignedLong(cd.getInt(p + 16));
            long csize = Integer.toUnsignedLong(cd.getInt(p + 20));
            long usize = Integer.toUnsignedLong(cd.getInt(p + 24));
            int nameLen = Short.toUnsignedInt(cd.getShort(p + 28));
            int extraLen = Short.toUnsignedInt(cd.getShort(p + 30));
            int commentLen = Short.toUnsignedInt(cd.getShort(p + 32));
            long ext = Integer.toUnsignedLong(cd.getInt(p + 38));
            long local = Integer.toUnsignedLong(cd.getInt(p + 42));
            if (p + 46 + nameLen + extraLen + commentLen > cdSize) {
                throw new BundleIntegrityException(where + ": its central directory is damaged at entry " + (i + 1));
            }
            byte[] nameBytes = new byte[nameLen];
            cd.get(p + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            if (csize == 0xFFFFFFFFL || usize == 0xFFFFFFFFL || local == 0xFFFFFFFFL) {
                throw new BundleIntegrityException(where + ": entry " + Names.quote(name) + " is zip64; bundle zips are plain zips below 4 GiB");
            }
            entries.add(new Entry(name, method, flags, crc, csize, usize, local, madeBy, ext));
            p += 46 + nameLen + extraLen + commentLen;
        }
        return entries;
    }

    private static void checkEntry(Entry e, BundleLimits limits, String where) {
        String at = where + ": entry " + Names.quote(e.name());
        int unixMode = (int) (e.externalAttributes() >>> 16) & 0xFFFF;
        boolean unix = (e.madeBy() >>> 8) == 3 || (e.madeBy() >>> 8) == 19;
        if (unix && (unixMode & S_IFMT) == S_IFLNK) {
            throw new BundleIntegrityException(at + " is a symbolic link; a bundle holds regular files only, refusing the zip");
        }
        if (e.name().endsWith("/") || (unix && (unixMode & S_IFMT) == S_IFDIR) || (e.externalAttributes() & 0x10) != 0) {
            throw new BundleIntegrityException(at + " is a directory; a bundle zip holds its files at the top level only");
        }
        if (unix && (unixMode & S_IFMT) != 0 && (unixMode & S_IFMT) != S_IFREG) {
            throw new BundleIntegrityException(at + " is not a regular file (unix mode " + Integer.toOctalString(unixMode) + ")");
        }
        String why = ManifestCheck.fileNameProblem(e.name());
        if (why != null) {
            throw new BundleIntegrityException(at + " " + why + "; bundle zips hold plain file names only, refusing the zip");
        }
        if ((e.flags() & 1) != 0) {
            throw new BundleIntegrityException(at + " is encrypted; bundle zips are not");
        }
        if (e.method() != ZipEntry.STORED && e.method() != ZipEntry.DEFLATED) {
            throw new BundleIntegrityException(at + " uses compression method " + e.method() + "; bundle zips use stored (0) or deflate (8)");
        }
        if (e.method() == ZipEntry.STORED && e.compressedSize() != e.size()) {
            throw new BundleIntegrityException(at + " is stored but records " + e.compressedSize() + " compressed and " + e.size()
                    + " expanded bytes");
        }
        if (e.size() > limits.maxFileBytes()) {
            throw new BundleIntegrityException(at + " expands to " + e.size() + " bytes; at most " + limits.maxFileBytes()
                    + " are read per file (BundleLimits.maxFileBytes)");
        }
        limits.checkExpansion(e.size(), e.compressedSize(), at);
    }

    private static void checkNoOverlap(List<Entry> entries, String where) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::localOffset));
        for (int i = 1; i < sorted.size(); i++) {
            Entry a = sorted.get(i - 1);
            Entry b = sorted.get(i);
            if (a.localOffset() + 30 + a.compressedSize() > b.localOffset()) {
                throw new BundleIntegrityException(where + ": entries " + Names.quote(a.name()) + " and " + Names.quote(b.name())
                        + " overlap in the zip; refusing it");
            }
        }
    }

    private static byte[] inflate(FileChannel ch, long fileSize, Entry e, BundleLimits limits, String where) throws IOException {
        String at = where + ": entry " + e.name();
        if (e.localOffset() + 30 > fileSize) {
            throw new BundleIntegrityException(at + " lies outside the file; the zip was truncated");
        }
        ByteBuffer loc = read(ch, e.localOffset(), 30);
        if (loc.getInt(0) != LOC_SIG) {
            throw new BundleIntegrityException(at + ": no local header where the central directory points; the zip is damaged");
        }
        int nameLen = Short.toUnsignedInt(loc.getShort(26));
        int extraLen = Short.toUnsignedInt(loc.getShort(28));
        long dataAt = e.localOffset() + 30 + nameLen + extraLen;
        if (dataAt + e.compressedSize() > fileSize) {
            throw new BundleIntegrityException(at + " is cut short: the zip was truncated");
        }
        byte[] localName = new byte[nameLen];
        read(ch, e.localOffset() + 30, nameLen).get(0, localName);
        if (!new String(localName, StandardCharsets.UTF_8).equals(e.name())) {
            throw new BundleIntegrityException(at + ": its local header names " + Names.quote(new String(localName, StandardCharsets.UTF_8))
                    + "; the zip's two directories disagree, refusing it");
        }
        byte[] out = new byte[(int) e.size()];
        if (e.method() == ZipEntry.STORED) {
            read(ch, dataAt, (int) e.size()).get(0, out);
        } else {
            Inflater inf = new Inflater(true);
            try {
                long read = 0;
                int produced = 0;
                ByteBuffer in = ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(1, e.compressedSize())));
                byte[] probe = new byte[1];
                while (!inf.finished()) {
                    if (inf.needsInput()) {
                        if (read >= e.compressedSize()) {
                            throw new BundleIntegrityException(at + " ends before its compressed data does; the zip was truncated or damaged");
                        }
                        in.clear();
                        in.limit((int) Math.min(in.capacity(), e.compressedSize() - read));
                        int n = ch.read(in, dataAt + read);
                        if (n <= 0) {
                            throw new BundleIntegrityException(at + " is cut short: the zip was truncated");
                        }
                        read += n;
                        inf.setInput(in.array(), 0, n);
                    }
                    int n = produced < out.length ? inf.inflate(out, produced, out.length - produced) : inf.inflate(probe);
                    if (produced >= out.length && n > 0) {
                        throw new BundleIntegrityException(at + " expands past the " + e.size() + " bytes its header records; refusing it"
                                + " as a possible compression bomb");
                    }
                    produced += n;
                    if (n == 0 && inf.needsDictionary()) {
                        throw new BundleIntegrityException(at + " needs a preset dictionary; not a bundle zip");
                    }
                }
                if (produced != out.length) {
                    throw new BundleIntegrityException(at + " expands to " + produced + " bytes but its header records " + e.size()
                            + "; the zip is damaged");
                }
            } catch (DataFormatException x) {
                throw new BundleIntegrityException(at + " is not valid deflate data: " + x.getMessage(), x);
            } finally {
                inf.end();
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != e.crc()) {
            throw new BundleIntegrityException(at + " fails its CRC-32 check; the zip is damaged");
        }
        return out;
    }

    private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new BundleIntegrityException("unexpected end of the zip at byte " + (at + b.position()) + "; it was truncated");
            }
        }
        b.flip();
        return b;
    }

    /**
     * Writes files into a zip, manifest first, then in name order, with a fixed time: the same files give
     * the same bytes.
     */
    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>(files.keySet());
        names.sort(Comparator.comparing((String n) -> !n.equals(ModelBundle.MANIFEST)).thenComparing(Comparator.naturalOrder()));
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (String n : names) {
                ZipEntry e = new ZipEntry(n);
                e.setLastModifiedTime(ZIP_EPOCH);
                z.putNextEntry(e);
                z.write(files.get(n));
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
