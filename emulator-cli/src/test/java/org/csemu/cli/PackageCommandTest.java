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
    void no_subcommand_is_a_usage_error() {
        assertThat(CliRun.of("package").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("package", "inspect").exitCode()).isEqualTo(2);
    }
}
