package org.csemu.fabric.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.csemu.core.util.Sha256;

/**
 * The {@code image.json} that {@code samples/images/build-base-image.sh} writes next to a built guest image: which
 * files make the image (direct-boot kernel, initrd, the read-only qcow2 disk), the kernel command line and every
 * file's sha256 and size. The fabric's image repository and {@code csemu doctor} read it; the format is documented
 * in docs/host-setup.md.
 *
 * @param directory the image directory (absolute)
 * @param name      image name, e.g. {@code csemu-base}
 * @param hash      the recipe's input hash (the directory name in the cache)
 * @param kernel    direct-boot kernel file name (PVH ELF vmlinux)
 * @param initrd    initramfs file name
 * @param disk      base disk file name
 * @param diskFormat {@code qcow2} or {@code raw}
 * @param cmdline   kernel command line (includes {@code root=/dev/vda}: the OS disk must be the first virtio disk)
 * @param files     the files with their expected digests
 */
public record GuestImageManifest(Path directory, String name, String hash, String kernel, String initrd, String disk,
        String diskFormat, String cmdline, List<FileEntry> files) {

    /** The name of the manifest file inside an image directory. */
    public static final String FILE_NAME = "image.json";
    /** The cache entry that points at the newest built base image. */
    public static final String LATEST_LINK = "csemu-base-latest";

    /** One file of the image. */
    public record FileEntry(String name, String sha256, long size) {
    }

    public GuestImageManifest {
        files = List.copyOf(files);
    }

    public Path kernelPath() {
        return directory.resolve(kernel);
    }

    public Path initrdPath() {
        return directory.resolve(initrd);
    }

    public Path diskPath() {
        return directory.resolve(disk);
    }

    /** Reads {@code dir/image.json}; {@code dir} may be a symlink such as {@code csemu-base-latest}. */
    public static GuestImageManifest read(Path dir) throws IOException {
        Path real = dir.toRealPath();
        JsonNode json = new ObjectMapper().readTree(real.resolve(FILE_NAME).toFile());
        List<FileEntry> files = new ArrayList<>();
        for (JsonNode file : json.path("files")) {
            files.add(new FileEntry(text(file, "name"), text(file, "sha256"), file.path("size").asLong(-1)));
        }
        return new GuestImageManifest(real, text(json, "name"), text(json, "hash"), text(json, "kernel"),
                text(json, "initrd"), text(json, "disk"), json.path("diskFormat").asText("qcow2"),
                json.path("cmdline").asText(""), files);
    }

    /** Checks every file's size and sha256; returns the problems found (empty when the image is intact). */
    public List<String> verify() {
        List<String> problems = new ArrayList<>();
        for (String required : List.of(kernel, initrd, disk)) {
            if (files.stream().noneMatch(f -> f.name().equals(required))) {
                problems.add(required + " is not listed in " + FILE_NAME);
            }
        }
        for (FileEntry file : files) {
            Path path = directory.resolve(file.name()).normalize();
            if (!path.startsWith(directory)) {
                problems.add(file.name() + " points outside the image directory");
                continue;
            }
            try {
                long size = Files.size(path);
                if (size != file.size()) {
                    problems.add(file.name() + " has " + size + " bytes, " + FILE_NAME + " says " + file.size());
                    continue;
                }
                String actual = Sha256.ofFile(path);
                if (!actual.equalsIgnoreCase(file.sha256())) {
                    problems.add(file.name() + " sha256 " + actual.substring(0, 12) + "… does not match " + FILE_NAME);
                }
            } catch (IOException e) {
                problems.add(file.name() + ": " + e.getMessage());
            }
        }
        return problems;
    }

    private static String text(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IOException(FILE_NAME + ": missing or empty \"" + field + "\"");
        }
        return value.asText();
    }
}
