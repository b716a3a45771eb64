package org.mlops4j.core.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes zips byte by byte, as an attacker would: duplicate names, links, lying sizes, any name. */
final class RawZip {
    record Entry(String name, byte[] content, int unixMode, boolean deflate, Long declaredSize, String localName) {
        static Entry of(String name, byte[] content) {
            return new Entry(name, content, 0100644, true, null, null);
        }

        Entry mode(int m) {
            return new Entry(name, content, m, deflate, declaredSize, localName);
        }

        Entry declaring(long size) {
            return new Entry(name, content, unixMode, deflate, size, localName);
        }

        Entry localName(String n) {
            return new Entry(name, content, unixMode, deflate, declaredSize, n);
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    RawZip add(Entry e) {
        entries.add(e);
        return this;
    }

    RawZip add(String name, byte[] content) {
        return add(Entry.of(name, content));
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream cd = new ByteArrayOutputStream();
        for (Entry e : entries) {
            byte[] data = e.content();
            if (e.deflate()) {
                Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
                d.setInput(e.content());
                d.finish();
                ByteArrayOutputStream c = new ByteArrayOutputStream();
                byte[] buf = new byte[1 << 16];
                while (!d.finished()) {
                    c.write(buf, 0, d.deflate(buf));
                }
                d.end();
                data = c.toByteArray();
            }
            CRC32 crc = new CRC32();
            crc.update(e.content());
            long size = e.declaredSize() != null ? e.declaredSize() : e.content().length;
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            byte[] local = (e.localName() != null ? e.localName() : e.name()).getBytes(StandardCharsets.UTF_8);
            int offset = out.size();
            ByteBuffer l = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
            l.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x800).putShort((short) (e.deflate() ? 8 : 0)).putInt(0)
                    .putInt((int) crc.getValue()).putInt(data.length).putInt((int) size).putShort((short) local.length).putShort((short) 0);
            out.writeBytes(l.array());
            out.writeBytes(local);
            out.writeBytes(data);
            ByteBuffer c = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
            c.putInt(0x02014b50).putShort((short) (3 << 8 | 20)).putShort((short) 20).putShort((short) 0x800)
                    .putShort((short) (e.deflate() ? 8 : 0)).putInt(0).putInt((int) crc.getValue()).putInt(data.length).putInt((int) size)
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putInt(e.unixMode() << 16).putInt(offset);
            cd.writeBytes(c.array());
            cd.writeBytes(name);
        }
        int cdOffset = out.size();
        out.writeBytes(cd.toByteArray());
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size()).putShort((short) entries.size())
                .putInt(cd.size()).putInt(cdOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }
}
