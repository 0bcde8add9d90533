package org.csemu.fabric.image;

import org.csemu.fabric.util.ProcessRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.csemu.core.util.Sha256;

class ImageRepositoryTest {

    @TempDir
    Path tmp;
    Path qcow2;
    Path kernel;
    Path initrd;

    @BeforeEach
    void sources() throws Exception {
        Path raw = tmp.resolve("src.raw");
        byte[] data = new byte[4 * 1024 * 1024];
        new Random(42).nextBytes(data);
        Files.write(raw, data);
        qcow2 = tmp.resolve("src.qcow2");
        ProcessRunner.run(Duration.ofSeconds(30), "qemu-img", "convert", "-O", "qcow2", raw.toString(), qcow2.toString()).orThrow();
        kernel = Files.writeString(tmp.resolve("vmlinux"), "kernel bytes");
        initrd = Files.writeString(tmp.resolve("initrd.img"), "initrd bytes");
    }

    @Test
    void storesContentAddressedReadOnlyImagesAndDeduplicates() throws Exception {
        ImageRepository repo = new ImageRepository(tmp.resolve("repo"));
        Image image = repo.add(new ImageSource("base", qcow2, null, kernel, initrd, "root=/dev/vda quiet"));
        assertThat(image.id()).matches("[0-9a-f]{64}");
        assertThat(image.diskFormat()).isEqualTo("qcow2");
        assertThat(image.virtualSize()).isEqualTo(4L * 1024 * 1024);
        assertThat(image.names()).containsExactly("base");
        assertThat(image.cmdline()).isEqualTo("root=/dev/vda quiet");
        for (Path file : new Path[] {image.disk(), image.kernel(), image.initrd()}) {
            assertThat(file).startsWith(tmp.resolve("repo/images/" + image.id()));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--r--r--");
        }
        assertThat(Files.readString(image.kernel())).isEqualTo("kernel bytes");

        Image again = repo.add(new ImageSource("alias", qcow2, "qcow2", kernel, initrd, "root=/dev/vda quiet"));
        assertThat(again.id()).isEqualTo(image.id());
        assertThat(again.names()).containsExactlyInAnyOrder("base", "alias");
        Image otherCmdline = repo.add(new ImageSource("other", qcow2, null, kernel, initrd, "root=/dev/vda"));
        assertThat(otherCmdline.id()).isNotEqualTo(image.id());
        assertThat(repo.list()).hasSize(2);

        assertThat(repo.inspect("base")).map(Image::id).contains(image.id());
        assertThat(repo.inspect(image.id().substring(0, 10))).map(Image::id).contains(image.id());
        assertThat(repo.inspect("nope")).isEmpty();
        assertThat(tmp.resolve("repo/tmp")).isEmptyDirectory();

        // a fresh repository object reads the same state back
        assertThat(new ImageRepository(tmp.resolve("repo")).require("alias").id()).isEqualTo(image.id());
    }

    @Test
    void removalIsRefusedWhileADeploymentUsesTheImage() throws Exception {
        ImageRepository repo = new ImageRepository(tmp.resolve("repo"));
        Image image = repo.add(new ImageSource("base", qcow2, null, kernel, initrd, ""));
        repo.acquire(image.id(), "dep-1");
        repo.acquire(image.id(), "dep-2");
        assertThat(repo.users(image.id())).containsExactlyInAnyOrder("dep-1", "dep-2");
        assertThatThrownBy(() -> repo.remove("base")).isInstanceOf(ImageException.class)
                .hasMessageContaining("used by deployment(s) dep-1, dep-2");
        repo.release(image.id(), "dep-1");
        repo.release(image.id(), "dep-2");
        repo.remove("base");
        assertThat(repo.list()).isEmpty();
        assertThat(tmp.resolve("repo/images/" + image.id())).doesNotExist();
        assertThatThrownBy(() -> repo.acquire(image.id(), "dep-3")).hasMessageContaining("not in the repository");
    }

    @Test
    void corruptOrTruncatedUploadsAreRejectedAndNothingIsStored() throws Exception {
        ImageRepository repo = new ImageRepository(tmp.resolve("repo"));
        Path truncated = tmp.resolve("truncated.qcow2");
        Files.copy(qcow2, truncated);
        try (RandomAccessFile file = new RandomAccessFile(truncated.toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }
        assertThatThrownBy(() -> repo.add(new ImageSource("t", truncated, "qcow2", null, null, "")))
                .isInstanceOf(ImageException.class).hasMessageContaining("truncated.qcow2");

        Path oddRaw = Files.write(tmp.resolve("odd.raw"), new byte[2 * 1024 * 1024 + 100]);
        assertThatThrownBy(() -> repo.add(new ImageSource("r", oddRaw, "raw", null, null, "")))
                .hasMessageContaining("not a multiple of 512");

        Path empty = Files.createFile(tmp.resolve("empty.qcow2"));
        assertThatThrownBy(() -> repo.add(new ImageSource("e", empty, null, null, null, ""))).hasMessageContaining("empty");

        Path overlay = tmp.resolve("overlay.qcow2");
        ProcessRunner.run(Duration.ofSeconds(30), "qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b",
                qcow2.toString(), overlay.toString()).orThrow();
        assertThatThrownBy(() -> repo.add(new ImageSource("o", overlay, null, null, null, ""))).hasMessageContaining("backing file");
        assertThatThrownBy(() -> repo.add(new ImageSource("k", qcow2, null, tmp.resolve("missing"), null, "")))
                .hasMessageContaining("kernel");
        assertThatThrownBy(() -> new ImageSource("bad name!", qcow2, null, null, null, "")).hasMessageContaining("image name");

        assertThat(repo.list()).isEmpty();
        assertThat(tmp.resolve("repo/tmp")).isEmptyDirectory();
    }

    @Test
    void addsFromABuildDirectoryVerifyingItsChecksums() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("built"));
        Files.copy(qcow2, dir.resolve("rootfs.qcow2"));
        Files.copy(kernel, dir.resolve("vmlinux"));
        Files.copy(initrd, dir.resolve("initrd.img"));
        String manifest = """
                {"name": "csemu-base", "kernel": "vmlinux", "initrd": "initrd.img", "disk": "rootfs.qcow2",
                 "diskFormat": "qcow2", "cmdline": "root=/dev/vda", "files": [
                  {"name": "rootfs.qcow2", "sha256": "%s"}, {"name": "vmlinux", "sha256": "%s"}]}
                """.formatted(Sha256.ofFile(qcow2), Sha256.ofFile(kernel));
        Files.writeString(dir.resolve("image.json"), manifest);
        ImageRepository repo = new ImageRepository(tmp.resolve("repo"));
        Image image = repo.addFromDirectory(dir, null);
        assertThat(image.names()).containsExactly("csemu-base");
        assertThat(image.cmdline()).isEqualTo("root=/dev/vda");
        assertThat(image.initrd()).isNotNull();

        Files.writeString(dir.resolve("image.json"), manifest.replace(Sha256.ofFile(kernel), "00" + "ff".repeat(31)));
        assertThatThrownBy(() -> repo.addFromDirectory(dir, "x")).hasMessageContaining("does not match its sha256");
        Files.writeString(dir.resolve("image.json"), "{\"disk\": \"../etc/passwd\"}");
        assertThatThrownBy(() -> repo.addFromDirectory(dir, "x")).hasMessageContaining("outside the image directory");
        assertThatThrownBy(() -> repo.addFromDirectory(tmp, "x")).hasMessageContaining("no image.json");
    }

    @Test
    void aSharedImageIsReferencedInPlaceNotCopied() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cache/abc"));
        Files.copy(qcow2, dir.resolve("rootfs.qcow2"));
        Files.copy(kernel, dir.resolve("vmlinux"));
        Files.writeString(dir.resolve("image.json"), """
                {"name": "csemu-base", "kernel": "vmlinux", "disk": "rootfs.qcow2", "diskFormat": "qcow2",
                 "cmdline": "root=/dev/vda", "files": [{"name": "rootfs.qcow2", "sha256": "%s"}]}
                """.formatted(Sha256.ofFile(qcow2)));
        Files.createSymbolicLink(tmp.resolve("cache/latest"), Path.of("abc"));
        ImageRepository repo = new ImageRepository(tmp.resolve("repo"));

        Image shared = repo.addShared(tmp.resolve("cache/latest"), "csemu-base");

        assertThat(shared.disk()).isEqualTo(dir.toRealPath().resolve("rootfs.qcow2"));
        assertThat(shared.kernel()).isEqualTo(dir.toRealPath().resolve("vmlinux"));
        try (var files = Files.walk(tmp.resolve("repo"))) {
            assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
                    .as("only the repository's own metadata, no copy of the disk or kernel")
                    .containsOnly("image.json", "names.json");
        }
        // the same content added by copy is the same image (content-addressed either way)
        ImageRepository other = new ImageRepository(tmp.resolve("repo2"));
        assertThat(other.addFromDirectory(dir, "copied").id()).isEqualTo(shared.id());
        assertThat(new ImageRepository(tmp.resolve("repo")).require("csemu-base").disk()).isEqualTo(shared.disk());

        repo.remove("csemu-base");
        assertThat(repo.list()).isEmpty();
        assertThat(dir.resolve("rootfs.qcow2")).as("removing a shared image never touches its source").exists();
    }
}
