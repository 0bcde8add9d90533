package org.csemu.core.pkg;

/**
 * The bounds a package must stay within, so that reading an untrusted {@code .cspkg} can never exhaust the disk,
 * the memory or the time of the host. The defaults follow the cloud (600 MiB, the largest package Azure accepted)
 * and are overridable for unusual services.
 *
 * @param maxUnpackedBytes         total bytes of all files once inflated (actual bytes counted while inflating)
 * @param maxEntries               number of zip entries
 * @param maxCompressionRatio      inflated/compressed bytes above which an entry is treated as a compression bomb
 * @param ratioCheckThresholdBytes an entry is ratio-checked only once it has inflated this many bytes (small files of
 *                                 zeros are legitimate)
 * @param maxPathLength            characters of an entry name
 * @param maxManifestBytes         bytes of the manifest, which is parsed in memory
 */
public record PackageLimits(
        long maxUnpackedBytes,
        int maxEntries,
        long maxCompressionRatio,
        long ratioCheckThresholdBytes,
        int maxPathLength,
        int maxManifestBytes) {

    /** 600 × 1024 × 1024: the cloud's package size limit. */
    public static final long DEFAULT_MAX_UNPACKED_BYTES = 600L * 1024 * 1024;

    public static final PackageLimits DEFAULTS = new PackageLimits(
            DEFAULT_MAX_UNPACKED_BYTES, 100_000, 500, 1024 * 1024, 1024, 16 * 1024 * 1024);

    public PackageLimits {
        if (maxUnpackedBytes < 0 || maxEntries < 1 || maxCompressionRatio < 1 || ratioCheckThresholdBytes < 0
                || maxPathLength < 16 || maxManifestBytes < 1024) {
            throw new IllegalArgumentException("invalid package limits: " + maxUnpackedBytes + ", " + maxEntries + ", "
                    + maxCompressionRatio + ", " + ratioCheckThresholdBytes + ", " + maxPathLength + ", " + maxManifestBytes);
        }
    }

    public PackageLimits withMaxUnpackedBytes(long bytes) {
        return new PackageLimits(bytes, maxEntries, maxCompressionRatio, ratioCheckThresholdBytes, maxPathLength, maxManifestBytes);
    }

    public PackageLimits withMaxEntries(int entries) {
        return new PackageLimits(maxUnpackedBytes, entries, maxCompressionRatio, ratioCheckThresholdBytes, maxPathLength, maxManifestBytes);
    }

    public PackageLimits withMaxCompressionRatio(long ratio) {
        return new PackageLimits(maxUnpackedBytes, maxEntries, ratio, ratioCheckThresholdBytes, maxPathLength, maxManifestBytes);
    }
}
