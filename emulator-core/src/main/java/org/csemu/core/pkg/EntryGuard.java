package org.csemu.core.pkg;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.apache.commons.compress.utils.InputStreamStatistics;

/**
 * Wraps the inflating stream of one zip entry and stops it the moment it misbehaves: more bytes than the manifest
 * lists, more than the package may unpack in total, or a compression ratio only a bomb has. It counts the bytes
 * actually inflated; the sizes the zip declares are never trusted. It hashes as it goes.
 */
final class EntryGuard extends FilterInputStream {

    private final String entry;
    private final long expectedSize;
    private final PackageLimits limits;
    private final long[] totalSoFar;
    private final InputStreamStatistics statistics;
    private final MessageDigest sha = Hashing.sha256();
    private long count;
    private String digest;

    /**
     * @param totalSoFar a one-element counter shared by every entry of one pass over the package
     */
    EntryGuard(InputStream inflating, String entry, long expectedSize, PackageLimits limits, long[] totalSoFar) {
        super(inflating);
        this.entry = entry;
        this.expectedSize = expectedSize;
        this.limits = limits;
        this.totalSoFar = totalSoFar;
        this.statistics = inflating instanceof InputStreamStatistics s ? s : null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // read at most one byte past the expected size: enough to detect an oversized entry, never more
        long allowed = expectedSize + 1 - count;
        int n;
        try {
            n = super.read(b, off, (int) Math.min(len, Math.max(1, allowed)));
        } catch (IOException e) {
            throw new Refusal(new PackageException("entry '" + entry + "'", "cannot be inflated (corrupt or truncated): "
                    + e.getMessage(), "rebuild the package, or copy it again if the transfer was interrupted"));
        }
        if (n <= 0) {
            return n;
        }
        count += n;
        totalSoFar[0] += n;
        if (count > expectedSize) {
            throw new Refusal(new PackageException("entry '" + entry + "'",
                    "it inflates to more than the " + expectedSize + " bytes the manifest lists (a forged or corrupt package)",
                    "rebuild the package with 'csemu pack'"));
        }
        if (totalSoFar[0] > limits.maxUnpackedBytes()) {
            throw new Refusal(new PackageException("entry '" + entry + "'",
                    "the package unpacks to more than " + limits.maxUnpackedBytes() + " bytes",
                    "keep packages within 600 MB unpacked, or raise the limit"));
        }
        if (statistics != null && count >= limits.ratioCheckThresholdBytes()) {
            long compressed = Math.max(1, statistics.getCompressedCount());
            if (count / compressed > limits.maxCompressionRatio()) {
                throw new Refusal(new PackageException("entry '" + entry + "'",
                        "its compression ratio exceeds " + limits.maxCompressionRatio() + ":1 (" + count + " bytes from "
                                + compressed + "): a compression bomb",
                        "do not use this package; raise the ratio limit only for a package you built yourself"));
            }
        }
        sha.update(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads what the consumer left, then checks size and hash against the manifest. */
    void finish(String expectedSha256) throws IOException, PackageException {
        drain();
        if (count != expectedSize) {
            throw new PackageException("entry '" + entry + "'", "it holds " + count + " bytes but the manifest lists "
                    + expectedSize + " (truncated or tampered)", "rebuild the package with 'csemu pack'");
        }
        String actual = digest;
        if (!actual.equals(expectedSha256)) {
            throw new PackageException("entry '" + entry + "'", "its SHA-256 is " + actual + " but the manifest lists "
                    + expectedSha256 + " (corrupt or tampered)", "rebuild the package with 'csemu pack'");
        }
    }

    /**
     * Reads what the consumer left (every byte counted, hashed and bounded) and returns the SHA-256 in lower-case hex,
     * for content whose size or hash is not known in advance (a zip inside a zip, a blob without a hash).
     */
    String drain() throws IOException {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
            // drain: every byte must be counted and hashed
        }
        if (digest == null) {
            digest = Hashing.hex(sha.digest());
        }
        return digest;
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    /** A refusal raised inside stream reading; unwrapped by the reader. */
    static final class Refusal extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient PackageException refusal;

        Refusal(PackageException refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
        }

        PackageException refusal() {
            return refusal;
        }
    }
}
