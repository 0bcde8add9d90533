package org.csemu.fabric.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.csemu.fabric.disk.QemuImg;
import org.csemu.fabric.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.csemu.core.util.FileTrees;
import org.csemu.core.util.Sha256;

/**
 * The image repository: content-addressed, read-only base images. Files are validated ({@code qemu-img}), copied
 * into the repository under a temp name, hashed while copying and re-hashed after, made 0444, then renamed into
 * {@code images/<id>/}. Names map to ids in {@code names.json}; deployments hold usage references in
 * {@code usage.json} and an image in use cannot be removed. Indexes are written atomically.
 *
 * <p>Layout: {@code <root>/images/<id>/{disk.qcow2|disk.raw, vmlinux, initrd.img, cmdline, image.json}}.
 *
 * <p>Add (three sources), inspect, name, use and remove share the two indexes and their lock, and only this class
 * writes the indexes; checking and copying an image's files is {@link ImageFiles}'.
 */
public final class ImageRepository {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    public ImageRepository(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(images());
        Files.createDirectories(tmp());
        cleanLeftovers();
    }

    public Path root() {
        return root;
    }

    /** Registers an image; returns the existing one (with the name added) when the same content is already stored. */
    public synchronized Image add(ImageSource source) throws ImageException, IOException, InterruptedException {
        String format = ImageFiles.validateDisk(source.disk(), source.diskFormat());
        ImageFiles.requireFile(source.kernel(), "kernel");
        ImageFiles.requireFile(source.initrd(), "initrd");
        Path staging = Files.createTempDirectory(tmp(), "add-");
        try {
            Path disk = staging.resolve("disk." + format);
            String diskHash = ImageFiles.copyVerified(source.disk(), disk);
            String kernelHash = source.kernel() == null ? "" : ImageFiles.copyVerified(source.kernel(), staging.resolve("vmlinux"));
            String initrdHash = source.initrd() == null ? "" : ImageFiles.copyVerified(source.initrd(), staging.resolve("initrd.img"));
            Files.writeString(staging.resolve("cmdline"), source.cmdline() + "\n");
            // validate the copy too: what the guests will boot is the copy
            String copiedFormat = ImageFiles.validateDisk(disk, format);
            if (!copiedFormat.equals(format)) {
                throw new ImageException("the copied disk of '" + source.name() + "' reads as " + copiedFormat + ", not " + format);
            }
            String id = imageId(diskHash, format, kernelHash, initrdHash, source.cmdline());
            Path target = images().resolve(id);
            if (!Files.isDirectory(target)) {
                QemuImg.Info info = QemuImg.info(disk, format);
                ObjectNode meta = JSON.createObjectNode();
                meta.put("id", id);
                meta.put("diskFormat", format);
                meta.put("diskSha256", diskHash);
                meta.put("virtualSize", info.virtualSize());
                meta.put("kernel", source.kernel() == null ? null : "vmlinux");
                meta.put("initrd", source.initrd() == null ? null : "initrd.img");
                meta.put("cmdline", source.cmdline());
                meta.put("addedAt", Instant.now().toString());
                Files.write(staging.resolve("image.json"), JSON.writeValueAsBytes(meta));
                try (Stream<Path> files = Files.list(staging)) {
                    for (Path file : files.toList()) {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
                    }
                }
                Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    // stored concurrently by another process; keep that one
                }
                AtomicFiles.fsyncDirectory(images());
            }
            Map<String, String> names = readNames();
            names.put(source.name(), id);
            writeNames(names);
            return load(id);
        } finally {
            FileTrees.delete(staging);
        }
    }

    /**
     * Registers the image a build script left in {@code dir} (the layout of the image cache that build-base-image.sh fills: {@code image.json} naming
     * {@code disk}, {@code diskFormat}, {@code kernel}, {@code initrd}, {@code cmdline} and per-file sha256).
     * The per-file checksums of image.json are verified against the copies.
     */
    public Image addFromDirectory(Path dir, String name) throws ImageException, IOException, InterruptedException {
        return add(readManifest(dir, name, new java.util.HashMap<>()));
    }

    /**
     * Registers the read-only image a build script left in {@code dir} <em>without copying it</em>: the repository
     * records where its files are and guests boot from them in place. This is how every daemon, root's and each
     * user's, uses the base image that {@code ./csemu setup} built in the shared image cache: one copy on the host,
     * root-owned and 0444, that the users' QEMU processes open read-only as a backing file. The per-file checksums
     * of image.json are verified first, and the id is the same as a copied image's, so the same content is still
     * one image whatever it is called. Removing it forgets the reference and never touches {@code dir}.
     */
    public synchronized Image addShared(Path dir, String name) throws ImageException, IOException, InterruptedException {
        Path source = dir.toRealPath();
        Map<Path, String> hashes = new java.util.HashMap<>();
        ImageSource image = readManifest(source, name, hashes);
        String format = ImageFiles.validateDisk(image.disk(), image.diskFormat());
        java.util.function.Function<Path, String> hash = file -> hashes.computeIfAbsent(file, f -> {
            try {
                return Sha256.ofFile(f);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String diskHash = hash.apply(image.disk());
        String id = imageId(diskHash, format, image.kernel() == null ? "" : hash.apply(image.kernel()),
                image.initrd() == null ? "" : hash.apply(image.initrd()), image.cmdline());
        Path target = images().resolve(id);
        if (!Files.isDirectory(target)) {
            Path staging = Files.createTempDirectory(tmp(), "share-");
            try {
                ObjectNode meta = JSON.createObjectNode();
                meta.put("id", id);
                meta.put("source", source.toString());
                meta.put("disk", image.disk().getFileName().toString());
                meta.put("diskFormat", format);
                meta.put("diskSha256", diskHash);
                meta.put("virtualSize", QemuImg.info(image.disk(), format).virtualSize());
                meta.put("kernel", image.kernel() == null ? null : image.kernel().getFileName().toString());
                meta.put("initrd", image.initrd() == null ? null : image.initrd().getFileName().toString());
                meta.put("cmdline", image.cmdline());
                meta.put("addedAt", Instant.now().toString());
                Files.write(staging.resolve("image.json"), JSON.writeValueAsBytes(meta));
                Files.setPosixFilePermissions(staging.resolve("image.json"), PosixFilePermissions.fromString("r--r--r--"));
                Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    // registered concurrently; keep that one
                }
                AtomicFiles.fsyncDirectory(images());
            } finally {
                FileTrees.delete(staging);
            }
        }
        Map<String, String> names = readNames();
        names.put(image.name(), id);
        writeNames(names);
        return load(id);
    }

    /**
     * Reads and verifies a build script's {@code image.json} in {@code dir}: what {@link #add} would register. The
     * sha256 of every verified file is left in {@code hashes}.
     */
    private static ImageSource readManifest(Path dir, String name, Map<Path, String> hashes)
            throws ImageException, IOException {
        Path manifest = dir.resolve("image.json");
        if (!Files.isRegularFile(manifest)) {
            throw new ImageException(dir + " has no image.json; build the image first (samples/images/build-base-image.sh)");
        }
        JsonNode json;
        try {
            json = JSON.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new ImageException(manifest + " is not valid JSON: " + e.getMessage(), e);
        }
        String disk = json.path("disk").asText(null);
        if (disk == null) {
            throw new ImageException(manifest + " does not name a disk");
        }
        Path diskPath = ImageFiles.inside(dir, disk, manifest);
        Path kernel = json.hasNonNull("kernel") ? ImageFiles.inside(dir, json.get("kernel").asText(), manifest) : null;
        Path initrd = json.hasNonNull("initrd") ? ImageFiles.inside(dir, json.get("initrd").asText(), manifest) : null;
        for (JsonNode file : json.path("files")) {
            Path path = ImageFiles.inside(dir, file.path("name").asText(), manifest);
            String expected = file.path("sha256").asText("");
            String actual = Sha256.ofFile(path);
            hashes.put(path, actual);
            if (!expected.equalsIgnoreCase(actual)) {
                throw new ImageException(path + " does not match its sha256 in " + manifest + " (expected " + expected
                        + ", got " + actual + "): the image is corrupt or incomplete; rebuild it");
            }
        }
        String resolvedName = name != null ? name : json.path("name").asText("image");
        return new ImageSource(resolvedName, diskPath, json.path("diskFormat").asText(null), kernel, initrd,
                json.path("cmdline").asText(""));
    }

    /** The content address of an image: its files' hashes, disk format and command line. */
    private static String imageId(String diskHash, String format, String kernelHash, String initrdHash, String cmdline) {
        return Sha256.ofString("csemu-image-v1\ndisk=" + diskHash + "\nformat=" + format + "\nkernel=" + kernelHash
                + "\ninitrd=" + initrdHash + "\ncmdline=" + cmdline + "\n");
    }

    public synchronized List<Image> list() throws IOException {
        List<Image> result = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(images())) {
            for (Path dir : dirs.sorted().toList()) {
                String id = dir.getFileName().toString();
                if (ID.matcher(id).matches() && Files.isRegularFile(dir.resolve("image.json"))) {
                    result.add(load(id));
                }
            }
        }
        result.sort(Comparator.comparing(Image::addedAt));
        return result;
    }

    /** Finds an image by name, full id or unique id prefix (at least 6 hex digits). */
    public synchronized Optional<Image> inspect(String nameOrId) throws IOException {
        Optional<String> id = resolveId(nameOrId);
        return id.isPresent() ? Optional.of(load(id.get())) : Optional.empty();
    }

    /** Like {@link #inspect} but fails with a clear message. */
    public Image require(String nameOrId) throws ImageException, IOException {
        return inspect(nameOrId).orElseThrow(() -> new ImageException("no image named or with id '" + nameOrId
                + "' in " + root + "; add one with addFromDirectory/add"));
    }

    /** Records that {@code deploymentId} uses the image, which blocks its removal until {@link #release}. */
    public synchronized void acquire(String imageId, String deploymentId) throws ImageException, IOException {
        if (!Files.isDirectory(images().resolve(imageId)) || !ID.matcher(imageId).matches()) {
            throw new ImageException("cannot use image " + imageId + ": it is not in the repository");
        }
        Map<String, Set<String>> usage = readUsage();
        usage.computeIfAbsent(imageId, k -> new TreeSet<>()).add(deploymentId);
        writeUsage(usage);
    }

    public synchronized void release(String imageId, String deploymentId) throws IOException {
        Map<String, Set<String>> usage = readUsage();
        Set<String> users = usage.get(imageId);
        if (users != null && users.remove(deploymentId)) {
            if (users.isEmpty()) {
                usage.remove(imageId);
            }
            writeUsage(usage);
        }
    }

    /** The deployments currently using an image. */
    public synchronized Set<String> users(String imageId) throws IOException {
        return Set.copyOf(readUsage().getOrDefault(imageId, Set.of()));
    }

    /**
     * Removes a name; the content is deleted when no other name points at it. Refused while a deployment uses
     * the image.
     */
    public synchronized void remove(String nameOrId) throws ImageException, IOException {
        String id = resolveId(nameOrId).orElseThrow(() -> new ImageException("no image named or with id '" + nameOrId + "'"));
        Set<String> users = readUsage().getOrDefault(id, Set.of());
        if (!users.isEmpty()) {
            throw new ImageException("image " + nameOrId + " (" + id.substring(0, 12) + ") is used by deployment(s) "
                    + String.join(", ", users) + "; delete those deployments first");
        }
        Map<String, String> names = readNames();
        boolean byId = !names.containsKey(nameOrId);
        if (byId) {
            names.values().removeIf(id::equals);
        } else {
            names.remove(nameOrId);
        }
        writeNames(names);
        if (!names.containsValue(id)) {
            Path dir = images().resolve(id);
            Path doomed = tmp().resolve("remove-" + id);
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.delete(doomed);
        }
    }

    private Optional<String> resolveId(String nameOrId) throws IOException {
        Map<String, String> names = readNames();
        if (names.containsKey(nameOrId)) {
            return Optional.of(names.get(nameOrId));
        }
        if (nameOrId.matches("[0-9a-f]{6,64}")) {
            List<String> matches = new ArrayList<>();
            try (Stream<Path> dirs = Files.list(images())) {
                dirs.map(p -> p.getFileName().toString()).filter(id -> id.startsWith(nameOrId)).forEach(matches::add);
            }
            if (matches.size() == 1) {
                return Optional.of(matches.get(0));
            }
        }
        return Optional.empty();
    }

    private Image load(String id) throws IOException {
        Path entry = images().resolve(id);
        JsonNode meta = JSON.readTree(entry.resolve("image.json").toFile());
        String format = meta.path("diskFormat").asText();
        // a shared image (addShared) lives in its source directory; a copied one in the entry itself
        Path dir = meta.hasNonNull("source") ? Path.of(meta.get("source").asText()) : entry;
        Path disk = dir.resolve(meta.hasNonNull("disk") ? meta.get("disk").asText() : "disk." + format);
        List<String> names = new ArrayList<>();
        readNames().forEach((name, target) -> {
            if (target.equals(id)) {
                names.add(name);
            }
        });
        return new Image(id, names, disk, format, meta.path("virtualSize").asLong(), Files.size(disk),
                meta.path("diskSha256").asText(),
                meta.hasNonNull("kernel") ? dir.resolve(meta.get("kernel").asText()) : null,
                meta.hasNonNull("initrd") ? dir.resolve(meta.get("initrd").asText()) : null,
                meta.path("cmdline").asText(""), Instant.parse(meta.path("addedAt").asText()));
    }

    static void requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("image name '" + name + "' is invalid: use letters, digits, '_', '.', ':', '-' (max 100)");
        }
    }

    private Path images() {
        return root.resolve("images");
    }

    private Path tmp() {
        return root.resolve("tmp");
    }

    private Map<String, String> readNames() throws IOException {
        Path file = root.resolve("names.json");
        Map<String, String> names = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            JSON.readTree(file.toFile()).fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
        }
        return names;
    }

    private void writeNames(Map<String, String> names) throws IOException {
        AtomicFiles.write(root.resolve("names.json"), JSON.writeValueAsBytes(new TreeMap<>(names)));
    }

    private Map<String, Set<String>> readUsage() throws IOException {
        Path file = root.resolve("usage.json");
        Map<String, Set<String>> usage = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            JSON.readTree(file.toFile()).fields().forEachRemaining(e -> {
                Set<String> users = new TreeSet<>();
                e.getValue().forEach(u -> users.add(u.asText()));
                usage.put(e.getKey(), users);
            });
        }
        return usage;
    }

    private void writeUsage(Map<String, Set<String>> usage) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        usage.forEach((id, users) -> {
            ArrayNode list = node.putArray(id);
            users.forEach(list::add);
        });
        AtomicFiles.write(root.resolve("usage.json"), JSON.writeValueAsBytes(node));
    }

    private void cleanLeftovers() throws IOException {
        try (Stream<Path> leftovers = Files.list(tmp())) {
            for (Path p : leftovers.toList()) {
                FileTrees.delete(p);
            }
        }
    }
}
