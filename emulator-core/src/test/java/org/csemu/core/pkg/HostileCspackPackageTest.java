package org.csemu.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSPack packages an attacker (or a broken transfer) could hand the fabric, in both generations: each is refused
 * quickly, with a message naming the package, the entry and the reason, and leaves nothing behind (no target, no
 * staging directory, no converted package).
 */
class HostileCspackPackageTest {

    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;

    @TempDir
    Path work;
    /** Where the reader stages a conversion (a directory of the test's own, apart from the work tree). */
    @TempDir
    Path staging;

    @Test
    void file_path_traversal_in_a_layout() throws Exception {
        assertRefused(CspackZips.typical().file("Web", "\\approot\\..\\..\\..\\etc\\x", "pwned"),
                "layout 'Roles/Web'", "'..' segment (path traversal)");
    }

    @Test
    void absolute_windows_file_path_in_a_layout() throws Exception {
        assertRefused(CspackZips.typical().file("Web", "C:\\Windows\\x", "pwned"), "drive letter");
    }

    @Test
    void data_store_path_traversal() throws Exception {
        CspackZips z = CspackZips.typical();
        z.editPackageXml(x -> x.replaceFirst("<DataStorePath>LocalContent/", "<DataStorePath>../../LocalContent/"));
        assertRefused(z, "DataStorePath", "path traversal");
    }

    @Test
    void zip_slip_entry_beside_the_package() throws Exception {
        CspackZips z = CspackZips.typical();
        z.extra().file("../../etc/x", "pwned");
        assertRefused(z, "entry '../../etc/x'", "path traversal");
    }

    @Test
    void symbolic_link_blob() throws Exception {
        CspackZips z = CspackZips.typical();
        z.reference("Worker", "\\approot\\passwd", "LocalContent/link");
        z.extra().symlink("LocalContent/link", "/etc/passwd");
        assertRefused(z, "entry 'LocalContent/link'", "symbolic link");
    }

    @Test
    void blob_whose_hash_does_not_match_names_the_entry() throws Exception {
        CspackZips z = CspackZips.typical();
        String blob = z.blobOf("Worker", "\\approot\\run.sh");
        z.tamper(blob, "rm -rf /!!!\n"); // the same length as "echo worker\n"
        assertRefused(z, "entry '" + blob + "'", "SHA-256", "package.xml lists");
    }

    @Test
    void blob_shorter_than_listed() throws Exception {
        CspackZips z = CspackZips.typical();
        String blob = z.blobOf("Worker", "\\approot\\run.sh");
        z.describe(blob, "Sha256", CspackZips.sha256Base64("echo worker\n".getBytes()), 100);
        assertRefused(z, "entry '" + blob + "'", "package.xml lists 100");
    }

    @Test
    void a_reference_to_no_content() throws Exception {
        assertRefused(CspackZips.typical().reference("Web", "\\approot\\x", "LocalContent/none"), "LocalContent/none",
                "PackageContents does not list");
    }

    @Test
    void bomb_listed_honestly_is_refused_before_inflating() throws Exception {
        assertRefused(bombPackage(2 * GIB), "more than 629145600 bytes (per its package.xml)");
    }

    @Test
    void bomb_lying_about_its_size_is_stopped_at_the_listed_size() throws Exception {
        writeWithBomb(bombPackage(MIB), GIB, MIB);
        assertRefusedAsWritten(PackageLimits.DEFAULTS, "entry 'LocalContent/bomb'", "inflates to more than the 1048576 bytes");
    }

    @Test
    void bomb_within_the_size_limit_is_stopped_by_its_ratio() throws Exception {
        writeWithBomb(bombPackage(500 * MIB), 500 * MIB, 500 * MIB);
        assertRefusedAsWritten(PackageLimits.DEFAULTS, "entry 'LocalContent/bomb'", "compression ratio");
    }

    @Test
    void one_blob_laid_out_many_times_is_stopped_by_the_total() throws Exception {
        CspackZips z = CspackZips.current(CspackZips.WEB_CSDEF);
        String big = "x".repeat(64 * 1024);
        for (int i = 0; i < 40; i++) {
            z.file("Worker", "\\approot\\copy" + i, big);
        }
        z.write(pkg());
        assertRefusedAsWritten(PackageLimits.DEFAULTS.withMaxUnpackedBytes(MIB).withMaxCompressionRatio(100_000),
                "more than 1048576 bytes");
    }

    @Test
    void package_xml_with_an_external_entity() throws Exception {
        CspackZips z = CspackZips.typical();
        z.editPackageXml(x -> x.replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>",
                "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"));
        assertRefused(z, "package.xml", "DOCTYPE");
    }

    @Test
    void encrypted_current_format_says_how_to_get_an_unencrypted_one() throws Exception {
        assertRefused(CspackZips.typical().metadata("http://schemas.microsoft.com/windowsazure/Encrypted/", "true"),
                "says its content is encrypted", "_CSPACK_FORCE_NOENCRYPT_=true", ".csx directory");
    }

    @Test
    void encrypted_older_format_says_how_to_get_an_unencrypted_one() throws Exception {
        byte[] ciphertext = new byte[4096];
        new java.util.Random(17).nextBytes(ciphertext);
        CspackZips.legacy(CspackZips.WEB_CSDEF, Map.of("Web_0f3c2a1e5b6d4c7e8f90a1b2c3d4e5f6.cssx", ciphertext), true, Map.of())
                .write(pkg());
        assertRefusedAsWritten(PackageLimits.DEFAULTS, "entry 'Web_0f3c2a1e5b6d4c7e8f90a1b2c3d4e5f6.cssx'", "encrypted",
                "_CSPACK_FORCE_NOENCRYPT_=true", ".csx directory");
    }

    @Test
    void a_zip_entry_flagged_as_encrypted_says_how_to_get_an_unencrypted_one() throws Exception {
        CspackZips.typical().write(pkg());
        // set the encryption flag (general purpose bit 0) of every LocalContent entry, in both of its headers
        byte[] zip = Files.readAllBytes(pkg());
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 46 < zip.length; i++) {
            int signature = b.getInt(i);
            int nameAt = signature == 0x04034b50 ? 30 : signature == 0x02014b50 ? 46 : -1;
            int flagsAt = signature == 0x04034b50 ? 6 : 8;
            int nameLength = nameAt < 0 ? 0 : b.getShort(i + (signature == 0x04034b50 ? 26 : 28)) & 0xffff;
            if (nameAt > 0 && i + nameAt + nameLength <= zip.length
                    && new String(zip, i + nameAt, nameLength, java.nio.charset.StandardCharsets.UTF_8).startsWith("LocalContent/")) {
                zip[i + flagsAt] |= 1;
            }
        }
        Files.write(pkg(), zip);
        assertRefusedAsWritten(PackageLimits.DEFAULTS, "entry 'LocalContent/", "is encrypted", "_CSPACK_FORCE_NOENCRYPT_=true");
    }

    @Test
    void older_format_with_a_wrong_manifest_hash() throws Exception {
        byte[] cssx = CspackZips.cssx("Web", "approot/a", "a");
        CspackZips.legacy(CspackZips.WEB_CSDEF, Map.of("Web.cssx", cssx), true, Map.of("Web.cssx", "AB".repeat(32))).write(pkg());
        assertRefusedAsWritten(PackageLimits.DEFAULTS, "entry 'Web.cssx'", "SHA-256", ".csman");
    }

    @Test
    void older_format_with_traversal_inside_the_cssx() throws Exception {
        byte[] cssx = CspackZips.cssx("Web", "approot/../../../etc/x", "pwned");
        CspackZips.legacy(CspackZips.WEB_CSDEF, Map.of("Web.cssx", cssx), false, Map.of()).write(pkg());
        assertRefusedAsWritten(PackageLimits.DEFAULTS, "Web.cssx", "path traversal");
    }

    @Test
    void older_format_with_a_link_inside_the_cssx() throws Exception {
        byte[] cssx = new HostileZips().file("RoleModel.xml", "<RoleModel name=\"Web\"/>").symlink("approot/passwd", "/etc/passwd").toBytes();
        CspackZips.legacy(CspackZips.WEB_CSDEF, Map.of("Web.cssx", cssx), false, Map.of()).write(pkg());
        assertRefusedAsWritten(PackageLimits.DEFAULTS, "Web.cssx", "entry 'approot/passwd'", "symbolic link");
    }

    @Test
    void older_format_with_a_bomb_inside_the_cssx() throws Exception {
        byte[] cssx = new HostileZips().file("RoleModel.xml", "<RoleModel name=\"Web\"/>").zeros("approot/bomb", GIB, 10).toBytes();
        CspackZips.legacy(CspackZips.WEB_CSDEF, Map.of("Web.cssx", cssx), false, Map.of()).write(pkg());
        assertRefusedAsWritten(PackageLimits.DEFAULTS, "Web.cssx", "entry 'approot/bomb'", "compression ratio");
    }

    @Test
    void older_format_with_two_cssx_for_one_role() throws Exception {
        Map<String, byte[]> parts = new java.util.TreeMap<>(Map.of("Web_1.cssx", CspackZips.cssx("Web", "approot/a", "a"),
                "Web_2.cssx", CspackZips.cssx("Web", "approot/b", "b")));
        CspackZips.legacy(CspackZips.WEB_CSDEF, parts, false, Map.of()).write(pkg());
        assertRefusedAsWritten(PackageLimits.DEFAULTS, "entry 'Web_2.cssx'", "second .cssx for role 'Web' (the first is Web_1.cssx)");
    }

    @Test
    void a_zip_that_is_neither_format() throws Exception {
        new HostileZips().file("hello.txt", "hi").write(pkg());
        assertRefusedAsWritten(PackageLimits.DEFAULTS, "neither a csemu package", "nor a package of the Azure SDK's CSPack");
    }

    private Path pkg() throws IOException {
        return Files.createDirectories(work.resolve("in")).resolve("hostile.cspkg");
    }

    private static CspackZips bombPackage(long listed) {
        CspackZips z = CspackZips.typical();
        z.blob("LocalContent/bomb", new byte[0], 0);
        z.describe("LocalContent/bomb", "None", null, listed);
        z.reference("Worker", "\\approot\\bomb", "LocalContent/bomb");
        return z;
    }

    /** Writes the package with blob LocalContent/bomb replaced by a streamed deflate bomb of {@code inflated} zeros. */
    private void writeWithBomb(CspackZips z, long inflated, long declared) throws IOException {
        Files.createDirectories(pkg().getParent());
        Path plain = work.resolve("plain.zip");
        z.write(plain);
        HostileZips rewritten = new HostileZips();
        try (var zip = org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(plain).get()) {
            for (var e : java.util.Collections.list(zip.getEntries())) {
                if (e.getName().equals("LocalContent/bomb")) {
                    rewritten.zeros(e.getName(), inflated, declared);
                } else {
                    rewritten.bytes(e.getName(), zip.getInputStream(e).readAllBytes(), e.getUnixMode());
                }
            }
        }
        Files.delete(plain);
        rewritten.write(pkg());
    }

    private void assertRefused(CspackZips z, String... fragments) throws IOException {
        Files.createDirectories(pkg().getParent());
        z.write(pkg());
        assertRefusedAsWritten(PackageLimits.DEFAULTS, fragments);
    }

    private void assertRefusedAsWritten(PackageLimits limits, String... fragments) throws IOException {
        Files.createDirectories(pkg().getParent());
        Set<Path> before = snapshot();
        PackageException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchThrowableOfType(() -> {
            try (PackageReader reader = PackageReader.open(pkg(), limits, staging)) {
                reader.extractRole("Web", work.resolve("target"));
            }
        }, PackageException.class));
        assertThat(e).as("the package must be refused").isNotNull();
        assertThat(e.getMessage()).contains(pkg().toString()).contains("(fix: ");
        for (String f : fragments) {
            assertThat(e.getMessage()).contains(f);
        }
        assertThat(snapshot()).as("nothing written in the work tree").isEqualTo(before);
        assertThat(CspackPackageTest.imports(staging)).as("no staging left").isEmpty();
    }

    private Set<Path> snapshot() throws IOException {
        Set<Path> all = new TreeSet<>();
        try (Stream<Path> s = Files.walk(work)) {
            s.forEach(all::add);
        }
        return all;
    }
}
