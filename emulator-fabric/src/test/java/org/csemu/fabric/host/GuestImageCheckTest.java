package org.csemu.fabric.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.csemu.core.util.Sha256;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestImageCheckTest {

    @TempDir
    Path root;
    FakeHost host;
    Path image;

    @BeforeEach
    void setUp() throws Exception {
        host = new FakeHost(root);
        image = host.dir("/var/lib/csemu/image-cache/0123456789abcdef", "rwxr-xr-x");
        Files.writeString(image.resolve("vmlinux"), "kernel");
        Files.writeString(image.resolve("initrd.img"), "initrd");
        Files.writeString(image.resolve("rootfs.qcow2"), "disk");
        Files.writeString(image.resolve("cmdline"), "console=ttyS0 root=/dev/vda\n");
        FakeHost.mode(image.resolve("rootfs.qcow2"), "r--r--r--");
        Files.createSymbolicLink(image.resolveSibling("csemu-base-latest"), Path.of("0123456789abcdef"));
        writeManifest(Sha256.ofFile(image.resolve("rootfs.qcow2")));
    }

    private void writeManifest(String diskSha) throws Exception {
        Files.writeString(image.resolve("image.json"), """
                {
                  "name": "csemu-base", "formatVersion": 1, "hash": "0123456789abcdef",
                  "kernel": "vmlinux", "initrd": "initrd.img", "disk": "rootfs.qcow2", "diskFormat": "qcow2",
                  "cmdline": "console=ttyS0 root=/dev/vda",
                  "files": [
                    {"name": "vmlinux", "sha256": "%s", "size": 6},
                    {"name": "initrd.img", "sha256": "%s", "size": 6},
                    {"name": "rootfs.qcow2", "sha256": "%s", "size": 4}
                  ]
                }
                """.formatted(Sha256.ofFile(image.resolve("vmlinux")),
                Sha256.ofFile(image.resolve("initrd.img")), diskSha));
    }

    @Test
    void intactImagePasses() throws Exception {
        CheckResult r = new GuestImageCheck().run(host.context());
        assertThat(r.status()).as(r.detail()).isEqualTo(CheckStatus.OK);
        GuestImageManifest m = GuestImageManifest.read(image.resolveSibling("csemu-base-latest"));
        assertThat(m.directory()).isEqualTo(image.toRealPath());
        assertThat(m.kernelPath()).isEqualTo(image.toRealPath().resolve("vmlinux"));
        assertThat(m.cmdline()).isEqualTo("console=ttyS0 root=/dev/vda");
    }

    @Test
    void changedFileFails() throws Exception {
        FakeHost.mode(image.resolve("rootfs.qcow2"), "rw-r--r--");
        Files.writeString(image.resolve("rootfs.qcow2"), "DISK");
        FakeHost.mode(image.resolve("rootfs.qcow2"), "r--r--r--");
        CheckResult r = new GuestImageCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("rootfs.qcow2 sha256");
        assertThat(r.fix()).contains("./csemu setup");
    }

    @Test
    void truncatedFileFailsOnSize() throws Exception {
        Files.writeString(image.resolve("vmlinux"), "kern");
        assertThat(new GuestImageCheck().run(host.context()).detail()).contains("vmlinux has 4 bytes");
    }

    @Test
    void writableBaseDiskFails() {
        FakeHost.mode(image.resolve("rootfs.qcow2"), "rw-r--r--");
        CheckResult r = new GuestImageCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("read-only");
        assertThat(r.fix()).startsWith("chmod 0444");
    }

    @Test
    void missingImageFails() throws Exception {
        Files.delete(image.resolveSibling("csemu-base-latest"));
        CheckResult r = new GuestImageCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("no built image");
    }

    @Test
    void brokenManifestFails() throws Exception {
        Files.writeString(image.resolve("image.json"), "{\"name\": \"csemu-base\"");
        assertThat(new GuestImageCheck().run(host.context()).detail()).contains("unreadable image.json");
    }

    @Test
    void manifestEntryEscapingTheDirectoryIsRefused() throws Exception {
        Files.writeString(image.resolve("image.json"), """
                {"name": "csemu-base", "hash": "h", "kernel": "vmlinux", "initrd": "initrd.img", "disk": "rootfs.qcow2",
                 "files": [{"name": "../../../../etc/passwd", "sha256": "00", "size": 1}]}
                """);
        assertThat(new GuestImageCheck().run(host.context()).detail()).contains("points outside the image directory");
    }
}
