package org.csemu.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages an attacker could hand the fabric. Each must be refused within a second with an error naming the entry
 * and the reason, and leave the disk exactly as it was: no target, no temporary directory, nothing elsewhere.
 */
class HostilePackageTest {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final long MIB = 1024L * 1024;
    private static final String ZERO_SHA_OF_NOTHING = "0".repeat(64);

    @TempDir
    Path work;
    Path pkg;
    Path target;

    @BeforeEach
    void setUp() throws IOException {
        pkg = work.resolve("in/hostile.cspkg");
        Files.createDirectories(pkg.getParent());
        target = work.resolve("deep/out/role");
        Files.createDirectories(target.getParent());
    }

    @Test
    void zip_slip_with_dot_dot_segments() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest()).file("../../etc/x", "pwned"),
                "entry '../../etc/x'", "'..' segment (path traversal)");
    }

    @Test
    void zip_slip_inside_a_role_prefix() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest()).file("Roles/R/approot/../../../../../etc/x", "pwned"),
                "path traversal");
    }

    @Test
    void absolute_path() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest()).file("/etc/x", "pwned"), "entry '/etc/x'", "absolute path");
    }

    @Test
    void drive_letter() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest()).file("C:/Windows/x", "pwned"), "drive letter");
    }

    @Test
    void backslash_traversal() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest()).file("Roles/R/approot\\..\\..\\..\\x", "pwned"), "backslash");
    }

    @Test
    void backslash_only_name_is_read_as_slashes_and_refused_as_traversal() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest()).file("Roles\\R\\approot\\..\\..\\..\\x", "pwned"),
                "path traversal");
    }

    @Test
    void symlink_entry() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/link", "/etc/passwd")))
                .symlink("Roles/R/approot/link", "/etc/passwd"), "entry 'Roles/R/approot/link'", "symbolic link");
    }

    @Test
    void duplicate_entries() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/a.txt", "good")))
                .file("Roles/R/approot/a.txt", "good").file("Roles/R/approot/a.txt", "evil"), "appears twice");
    }

    @Test
    void zip_bomb_listed_honestly_is_refused_before_inflating() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/zeros", 10 * GIB, ZERO_SHA_OF_NOTHING)))
                .zeros("Roles/R/approot/zeros", 10 * GIB, 10 * GIB), "would unpack to more than 629145600 bytes");
    }

    @Test
    void zip_bomb_lying_about_its_size_is_stopped_at_the_listed_size() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/zeros", MIB, ZERO_SHA_OF_NOTHING)))
                .zeros("Roles/R/approot/zeros", 10 * GIB, MIB), "entry 'Roles/R/approot/zeros'", "inflates to more than the 1048576 bytes");
    }

    @Test
    void zip_bomb_within_the_size_limit_is_stopped_by_its_ratio() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/zeros", 500 * MIB, ZERO_SHA_OF_NOTHING)))
                .zeros("Roles/R/approot/zeros", 10 * GIB, 500 * MIB), "compression ratio exceeds 500:1", "compression bomb");
    }

    @Test
    void many_entries_over_the_entry_limit() throws Exception {
        HostileZips z = new HostileZips().standard(HostileZips.manifest());
        for (int i = 0; i < 10; i++) {
            z.file("Roles/R/approot/f" + i, "x");
        }
        z.write(pkg);
        assertThatThrownBy(() -> PackageReader.open(pkg, PackageLimits.DEFAULTS.withMaxEntries(5)))
                .isInstanceOf(PackageException.class).hasMessageContaining("has more than 5 entries");
    }

    @Test
    void manifest_size_mismatch() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/a.txt", 6,
                Hashing.sha256Hex("hello".getBytes(StandardCharsets.UTF_8))))).file("Roles/R/approot/a.txt", "hello"),
                "entry 'Roles/R/approot/a.txt'", "declares 5 bytes but the manifest lists 6");
    }

    @Test
    void manifest_hash_mismatch() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/a.txt", "hellO")))
                .file("Roles/R/approot/a.txt", "hello"), "entry 'Roles/R/approot/a.txt'", "SHA-256", "corrupt or tampered");
    }

    @Test
    void entry_not_listed_in_the_manifest() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest()).file("Roles/R/approot/extra", "x"),
                "entry 'Roles/R/approot/extra'", "is not listed in the manifest");
    }

    @Test
    void file_listed_but_missing() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/gone", "x"))),
                "entry 'Roles/R/approot/gone'", "missing");
    }

    @Test
    void manifest_listing_a_traversal_path() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/../../x", "x"))),
                "manifest is invalid", "'..' segment");
    }

    @Test
    void a_file_that_is_also_a_directory() throws Exception {
        assertRefused(new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/a", "x"), HostileZips.fileLine("approot/a/b", "y")))
                .file("Roles/R/approot/a", "x").file("Roles/R/approot/a/b", "y"), "both as a file and as the directory of");
    }

    @Test
    void manifest_with_a_dtd_and_external_entity() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + HostileZips.manifest().replace("createdBy=\"test\"", "createdBy=\"&xxe;\"");
        assertRefused(new HostileZips().file(PackageFormat.DEFINITION_ENTRY, HostileZips.CSDEF).file(PackageFormat.MANIFEST_ENTRY, xxe),
                "manifest is invalid");
    }

    @Test
    void zip_without_a_manifest_is_not_a_csemu_package() throws Exception {
        assertRefused(new HostileZips().file("notes.txt", "x"), "neither a csemu package (no csemu-package.xml)");
    }

    @Test
    void truncated_zip() throws Exception {
        new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/a.txt", "hello")))
                .file("Roles/R/approot/a.txt", "hello").write(pkg);
        try (RandomAccessFile f = new RandomAccessFile(pkg.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertRefusedAsWritten("is not a readable zip archive (truncated or corrupt)");
    }

    @Test
    void a_package_tampered_after_opening_leaves_no_partial_extraction() throws Exception {
        writeTwoFilePackage();
        Set<Path> before = snapshot();
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            try (PackageReader reader = PackageReader.open(pkg)) {
                corruptTheMiddleOf("Roles/R/approot/b.txt");
                PackageException e = catchThrowableOfType(() -> reader.extractRole("R", target), PackageException.class);
                assertThat(e).isNotNull();
                assertThat(e.getMessage()).contains("Roles/R/approot/b.txt");
            }
        });
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void a_sink_that_reads_nothing_still_gets_a_file_tampered_after_opening_refused() throws Exception {
        writeTwoFilePackage();
        try (PackageReader reader = PackageReader.open(pkg)) {
            corruptTheMiddleOf("Roles/R/approot/b.txt");
            assertThatThrownBy(() -> reader.copyRole("R", (f, in) -> { }))
                    .isInstanceOf(PackageException.class).hasMessageContaining("Roles/R/approot/b.txt");
        }
    }

    @Test
    void resolve_inside_refuses_every_escape() {
        Path root = work.resolve("root");
        for (String evil : List.of("../x", "a/../../x", "/etc/passwd", "a/b/../../..", "")) {
            assertThatThrownBy(() -> PackagePaths.resolveInside(root, evil, evil)).as(evil)
                    .isInstanceOf(PackageException.class).hasMessageContaining("outside the extraction directory");
        }
        assertThatThrownBy(() -> PackagePaths.resolveInside(work.resolve("out"), "../outnot/x", "x"))
                .isInstanceOf(PackageException.class);
    }

    /** Role R with a short file and a long one (long enough that its deflated data can be corrupted in the middle). */
    private void writeTwoFilePackage() throws IOException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append(i).append(' ');
        }
        new HostileZips().standard(HostileZips.manifest(HostileZips.fileLine("approot/a.txt", "first file"),
                        HostileZips.fileLine("approot/b.txt", big.toString())))
                .file("Roles/R/approot/a.txt", "first file").file("Roles/R/approot/b.txt", big.toString()).write(pkg);
    }

    private void corruptTheMiddleOf(String entryName) throws IOException {
        byte[] all = Files.readAllBytes(pkg);
        byte[] name = entryName.getBytes(StandardCharsets.UTF_8);
        int at = indexOf(all, name) + name.length + 40; // inside the deflated data after the local header
        try (RandomAccessFile f = new RandomAccessFile(pkg.toFile(), "rw")) {
            f.seek(at);
            f.write(all[at] ^ 0x5a);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }

    private void assertRefused(HostileZips zip, String... fragments) throws IOException {
        zip.write(pkg);
        assertRefusedAsWritten(fragments);
    }

    private void assertRefusedAsWritten(String... fragments) throws IOException {
        Set<Path> before = snapshot();
        PackageException e = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> catchThrowableOfType(() -> {
            try (PackageReader reader = PackageReader.open(pkg)) {
                reader.extractRole("R", target);
            }
        }, PackageException.class));
        assertThat(e).as("the package must be refused").isNotNull();
        assertThat(e.getMessage()).contains(pkg.toString()).contains("(fix: ");
        for (String f : fragments) {
            assertThat(e.getMessage()).contains(f);
        }
        assertThat(snapshot()).as("nothing written anywhere").isEqualTo(before);
        assertThat(target).doesNotExist();
    }

    /** Every path under the test's whole temporary tree and its parent's siblings named like an escape target. */
    private Set<Path> snapshot() throws IOException {
        Set<Path> all = new TreeSet<>();
        try (Stream<Path> s = Files.walk(work)) {
            s.forEach(all::add);
        }
        for (String escape : List.of("etc", "x", "outnot")) {
            if (Files.exists(work.getParent().resolve(escape + "-csemu-test-canary"))) {
                all.add(work.getParent().resolve(escape));
            }
        }
        return all;
    }
}
