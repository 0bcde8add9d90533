package org.csemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCommandTest {

    @TempDir
    Path dir;
    Path pkg;

    @BeforeEach
    void setUp() throws Exception {
        Path csdef = dir.resolve("ServiceDefinition.csdef");
        Files.writeString(csdef, PackCommandTest.CSDEF);
        Files.createDirectories(dir.resolve("worker/lib"));
        Files.writeString(dir.resolve("worker/run.sh"), "echo hi\n");
        Files.writeString(dir.resolve("worker/lib/x.txt"), "x");
        pkg = dir.resolve("demo.cspkg");
        CliRun r = CliRun.of("pack", csdef.toString(), "--role", "Worker=" + dir.resolve("worker"), "--out", pkg.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void lists_roles_files_and_sizes() {
        CliRun r = CliRun.of("package", "inspect", pkg.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Service demo: 3 file(s)")
                .contains("Role Web: 0 file(s), 0 bytes")
                .contains("Role Worker: 2 file(s), 9 bytes")
                .containsPattern("\\s+1  approot/lib/x.txt")
                .containsPattern("\\s+8  approot/run.sh");
    }

    @Test
    void prints_json() throws Exception {
        CliRun r = CliRun.of("package", "inspect", pkg.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("serviceName").asText()).isEqualTo("demo");
        assertThat(json.get("roles").get(1).get("name").asText()).isEqualTo("Worker");
        assertThat(json.get("roles").get(1).get("files").get(1).get("path").asText()).isEqualTo("approot/run.sh");
        assertThat(json.get("roles").get(1).get("files").get(1).get("size").asLong()).isEqualTo(8);
        assertThat(json.get("roles").get(1).get("files").get(1).get("sha256").asText()).hasSize(64);
    }

    @Test
    void a_refused_package_exits_1_with_the_reason() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(pkg.toFile(), "rw")) {
            f.setLength(f.length() - 30);
        }
        CliRun r = CliRun.of("package", "inspect", pkg.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("csemu package inspect: refused: " + pkg).contains("truncated or corrupt");
    }

    @Test
    void a_missing_file_exits_1() {
        CliRun r = CliRun.of("package", "inspect", dir.resolve("nope.cspkg").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("does not exist");
    }

    @Test
    void inspects_a_cspack_package_written_by_pack_format_cspack() {
        Path cspack = dir.resolve("demo-cspack.cspkg");
        CliRun p = CliRun.of("pack", dir.resolve("ServiceDefinition.csdef").toString(), "--role", "Worker=" + dir.resolve("worker"),
                "--format", "cspack", "--out", cspack.toString());
        assertThat(p.exitCode()).as(p.err()).isZero();
        assertThat(p.out()).contains("(CSPack format, ");
        CliRun r = CliRun.of("package", "inspect", cspack.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("CSPack package (package.xml)")
                .contains("Role Worker: 2 file(s), 9 bytes")
                .containsPattern("\\s+8  approot/run.sh");
    }

    @Test
    void inspects_a_csx_directory() throws Exception {
        Path csx = dir.resolve("demo.csx");
        Files.createDirectories(csx.resolve("roles/Worker/approot"));
        Files.createDirectories(csx.resolve("roles/Web/sitesroot/0"));
        Files.writeString(csx.resolve("ServiceDefinition.csdef"), PackCommandTest.CSDEF);
        Files.writeString(csx.resolve("roles/Worker/approot/run.sh"), "echo hi\n");
        Files.writeString(csx.resolve("roles/Web/sitesroot/0/index.html"), "<h1>hi</h1>");
        CliRun r = CliRun.of("package", "inspect", csx.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("layout").asText()).isEqualTo(".csx directory (cspack /copyOnly)");
        assertThat(json.get("roles").get(0).get("files").get(0).get("path").asText()).isEqualTo("sitesroot/0/index.html");
    }

    @Test
    void an_encrypted_cspack_package_is_refused_with_the_way_out() throws Exception {
        Path encrypted = dir.resolve("encrypted.cspkg");
        byte[] ciphertext = new byte[2048];
        new java.util.Random(4).nextBytes(ciphertext);
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(encrypted))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("ServiceDefinition.csdef"));
            zip.write(PackCommandTest.CSDEF.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.putNextEntry(new java.util.zip.ZipEntry("Worker_3f2504e0-4f89-11d3-9a0c-0305e82c3301.cssx"));
            zip.write(ciphertext);
        }
        CliRun r = CliRun.of("package", "inspect", encrypted.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("csemu package inspect: refused: " + encrypted)
                .contains("CSPack encrypted this role's content").contains("_CSPACK_FORCE_NOENCRYPT_=true").contains(".csx directory");
    }

    @Test
    void no_subcommand_is_a_usage_error() {
        assertThat(CliRun.of("package").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("package", "inspect").exitCode()).isEqualTo(2);
    }
}
