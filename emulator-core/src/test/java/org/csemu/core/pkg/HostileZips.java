package org.csemu.core.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes zips a real attacker could send: any entry name, link modes, duplicates, and deflate streams that inflate
 * to gigabytes while the file stays a few megabytes (generated on the fly, never held or written inflated).
 */
final class HostileZips {

    static final String CSDEF = "<ServiceDefinition name=\"svc\"/>";

    private final List<Entry> entries = new ArrayList<>();

    /** A zip entry; {@code unixMode} 0 means none recorded. */
    record Entry(String name, byte[] data, int unixMode, long rawInflatedSize, long declaredSize) {
    }

    HostileZips file(String name, String content) {
        entries.add(new Entry(name, content.getBytes(StandardCharsets.UTF_8), 0, -1, -1));
        return this;
    }

    HostileZips bytes(String name, byte[] content, int unixMode) {
        entries.add(new Entry(name, content.clone(), unixMode, -1, -1));
        return this;
    }

    /** Adds every entry of {@code other} after this one's. */
    HostileZips append(HostileZips other) {
        entries.addAll(other.entries);
        return this;
    }

    /** The zip as bytes (for a zip inside a zip). */
    byte[] toBytes() throws IOException {
        Path temp = Files.createTempFile("hostile-", ".zip");
        try {
            Files.delete(temp);
            write(temp);
            return Files.readAllBytes(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    HostileZips symlink(String name, String target) {
        entries.add(new Entry(name, target.getBytes(StandardCharsets.UTF_8), 0120777, -1, -1));
        return this;
    }

    /** An entry of {@code inflatedSize} zero bytes whose zip header declares {@code declaredSize}. */
    HostileZips zeros(String name, long inflatedSize, long declaredSize) {
        entries.add(new Entry(name, null, 0, inflatedSize, declaredSize));
        return this;
    }

    /** The definition plus a manifest for role R listing {@code files} as path → (size, sha256) of content. */
    HostileZips standard(String manifest) {
        file(PackageFormat.DEFINITION_ENTRY, CSDEF);
        file(PackageFormat.MANIFEST_ENTRY, manifest);
        return this;
    }

    static String manifest(String... roleFiles) {
        StringBuilder sb = new StringBuilder("<PackageManifest xmlns=\"" + PackageFormat.NAMESPACE
                + "\" formatVersion=\"1\" createdBy=\"test\" serviceName=\"svc\">\n"
                + " <ServiceDefinition path=\"" + PackageFormat.DEFINITION_ENTRY + "\" size=\"" + CSDEF.length() + "\" sha256=\""
                + Hashing.sha256Hex(CSDEF.getBytes(StandardCharsets.UTF_8)) + "\"/>\n <Role name=\"R\">\n");
        for (String f : roleFiles) {
            sb.append("  ").append(f).append('\n');
        }
        return sb.append(" </Role>\n</PackageManifest>\n").toString();
    }

    /** A manifest {@code <File>} line that matches {@code content}. */
    static String fileLine(String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return fileLine(path, b.length, Hashing.sha256Hex(b));
    }

    static String fileLine(String path, long size, String sha) {
        return "<File path=\"" + path + "\" size=\"" + size + "\" sha256=\"" + sha + "\"/>";
    }

    void write(Path out) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            for (Entry e : entries) {
                ZipArchiveEntry z = new ZipArchiveEntry(e.name());
                if (e.unixMode() != 0) {
                    z.setUnixMode(e.unixMode());
                }
                if (e.data() != null) {
                    z.setMethod(ZipArchiveEntry.DEFLATED);
                    zip.putArchiveEntry(z);
                    zip.write(e.data());
                    zip.closeArchiveEntry();
                } else {
                    byte[] chunk = fullFlushedZeros();
                    byte[] tail = finalBlock();
                    long chunks = e.rawInflatedSize() / ZERO_CHUNK;
                    z.setMethod(ZipArchiveEntry.DEFLATED);
                    z.setSize(e.declaredSize());
                    z.setCompressedSize(chunks * chunk.length + tail.length);
                    z.setCrc(new CRC32().getValue());
                    zip.addRawArchiveEntry(z, new RepeatingStream(chunk, chunks, tail));
                }
            }
        }
    }

    private static final int ZERO_CHUNK = 1 << 20;

    /** 1 MiB of zeros as a self-contained, byte-aligned, non-final raw deflate sequence (repeatable). */
    private static byte[] fullFlushedZeros() {
        Deflater d = new Deflater(9, true);
        d.setInput(new byte[ZERO_CHUNK]);
        byte[] buf = new byte[64 * 1024];
        int n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
        d.end();
        return Arrays.copyOf(buf, n);
    }

    private static byte[] finalBlock() {
        Deflater d = new Deflater(9, true);
        d.finish();
        byte[] buf = new byte[64];
        int n = d.deflate(buf);
        d.end();
        return Arrays.copyOf(buf, n);
    }

    /** {@code chunk} repeated {@code chunks} times, then {@code tail}, without materializing it. */
    private static final class RepeatingStream extends InputStream {
        private final byte[] chunk;
        private final byte[] tail;
        private final long chunks;
        private long part; // 0..chunks-1: chunk, chunks: tail, beyond: end
        private int pos;

        RepeatingStream(byte[] chunk, long chunks, byte[] tail) {
            this.chunk = chunk;
            this.tail = tail;
            this.chunks = chunks;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            byte[] current = part < chunks ? chunk : part == chunks ? tail : null;
            if (current == null) {
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            if (pos == current.length) {
                part++;
                pos = 0;
            }
            return n;
        }
    }

    static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }
}
