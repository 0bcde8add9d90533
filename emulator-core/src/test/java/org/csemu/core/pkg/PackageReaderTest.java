package org.csemu.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csemu.core.model.ContentMapping;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.pkg.PackageInspector.PackageReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build → read back: the same manifest, the same definition bytes, the same bytes of every file. */
class PackageReaderTest {

    @TempDir
    Path dir;
    Path csdef;
    Path pkg;
    BuildResult built;
    byte[] csdefBytes = "<ServiceDefinition name=\"svc\"><!-- é --></ServiceDefinition>\n".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() throws Exception {
        csdef = dir.resolve("svc/ServiceDefinition.csdef");
        Files.createDirectories(csdef.getParent());
        Files.write(csdef, csdefBytes);
        write("worker/run.sh", "#!/bin/sh\necho hi\n");
        write("worker/deep/er/still/f.txt", "f");
        write("worker/empty.dat", "");
        byte[] binary = new byte[300_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31 + (i >> 7));
        }
        Files.write(dir.resolve("worker/blob.bin"), binary);
        write("worker/ünïcode name.txt", "u");
        write("site/index.html", "<h1>hi</h1>");
        Files.setPosixFilePermissions(dir.resolve("worker/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        ServiceDefinition def = TestModels.service(
                TestModels.worker("Worker", List.of()),
                TestModels.web("Web", List.of(TestModels.site("Main", null))));
        pkg = dir.resolve("svc.cspkg");
        built = PackageBuilder.forDefinition(csdef, csdefBytes, def)
                .role("Worker", dir.resolve("worker"))
                .site(SiteContent.parse("Web;Main;" + dir.resolve("site")))
                .build(pkg);
    }

    @Test
    void reads_back_the_manifest_and_definition_it_wrote() throws Exception {
        try (PackageReader reader = PackageReader.open(pkg)) {
            assertThat(reader.manifest()).isEqualTo(built.manifest());
            assertThat(reader.definitionBytes()).isEqualTo(csdefBytes);
            assertThat(reader.roleNames()).containsExactly("Worker", "Web");
        }
    }

    @Test
    void extracts_a_role_with_the_same_bytes_and_the_executable_bit() throws Exception {
        Path target = dir.resolve("extract/Worker");
        try (PackageReader reader = PackageReader.open(pkg)) {
            assertThat(reader.extractRole("Worker", target)).isEqualTo(target.toAbsolutePath());
        }
        for (String f : List.of("run.sh", "deep/er/still/f.txt", "empty.dat", "blob.bin", "ünïcode name.txt")) {
            assertThat(Files.readAllBytes(target.resolve("approot/" + f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve("worker/" + f)));
        }
        assertThat(Files.isExecutable(target.resolve("approot/run.sh"))).isTrue();
        assertThat(Files.isExecutable(target.resolve("approot/blob.bin"))).isFalse();
        try (var s = Files.list(dir.resolve("extract"))) {
            assertThat(s.toList()).as("no temporary directory left").containsExactly(target);
        }
    }

    @Test
    void extracts_sites_to_sitesroot_by_index() throws Exception {
        Path target = dir.resolve("web");
        try (PackageReader reader = PackageReader.open(pkg)) {
            reader.extractRole("Web", target);
        }
        assertThat(target.resolve("sitesroot/0/index.html")).hasContent("<h1>hi</h1>");
        assertThat(target.resolve("approot")).isDirectory();
    }

    @Test
    void streams_a_role_to_a_sink_in_manifest_order() throws Exception {
        Map<String, byte[]> seen = new LinkedHashMap<>();
        try (PackageReader reader = PackageReader.open(pkg)) {
            reader.copyRole("Worker", (f, in) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                seen.put(f.path(), out.toByteArray());
            });
        }
        assertThat(seen.keySet()).containsExactly("approot/blob.bin", "approot/deep/er/still/f.txt", "approot/empty.dat",
                "approot/run.sh", "approot/ünïcode name.txt");
        assertThat(seen.get("approot/blob.bin")).isEqualTo(Files.readAllBytes(dir.resolve("worker/blob.bin")));
    }

    @Test
    void a_sink_that_reads_nothing_is_still_handed_every_file_and_the_copy_completes() throws Exception {
        List<String> handed = new ArrayList<>();
        try (PackageReader reader = PackageReader.open(pkg)) {
            reader.copyRole("Worker", (f, in) -> handed.add(f.path()));
        }
        // the reader drains and checks what the sink left unread (HostilePackageTest: a tampered file still fails)
        assertThat(handed).containsExactly("approot/blob.bin", "approot/deep/er/still/f.txt", "approot/empty.dat",
                "approot/run.sh", "approot/ünïcode name.txt");
    }

    @Test
    void refuses_to_extract_over_an_existing_directory() throws Exception {
        Path target = Files.createDirectories(dir.resolve("exists"));
        try (PackageReader reader = PackageReader.open(pkg)) {
            assertThatThrownBy(() -> reader.extractRole("Worker", target))
                    .isInstanceOf(PackageException.class).hasMessageContaining("already exists");
        }
    }

    @Test
    void refuses_an_unknown_role() throws Exception {
        try (PackageReader reader = PackageReader.open(pkg)) {
            assertThatThrownBy(() -> reader.extractRole("Nope", dir.resolve("x")))
                    .isInstanceOf(PackageException.class).hasMessageContaining("has no role named 'Nope'").hasMessageContaining("Worker, Web");
        }
    }

    @Test
    void refuses_a_missing_file() {
        assertThatThrownBy(() -> PackageReader.open(dir.resolve("nope.cspkg")))
                .isInstanceOf(PackageException.class).hasMessageContaining("does not exist");
    }

    @Test
    void inspector_reports_roles_files_and_sizes() throws Exception {
        PackageReport report = new PackageInspector().inspect(pkg);
        assertThat(report.serviceName()).isEqualTo("svc");
        assertThat(report.formatVersion()).isEqualTo(1);
        assertThat(report.roles()).extracting(PackageInspector.RoleReport::name).containsExactly("Worker", "Web");
        assertThat(report.roles().get(0).fileCount()).isEqualTo(5);
        assertThat(report.roles().get(0).totalBytes()).isEqualTo(18 + 1 + 0 + 300_000 + 1);
        assertThat(report.fileCount()).isEqualTo(1 + 5 + 1);
        assertThat(report.totalBytes()).isEqualTo(csdefBytes.length + 18 + 1 + 300_000 + 1 + 11);
        assertThat(report.packageBytes()).isEqualTo(Files.size(pkg));
    }

    private void write(String relative, String content) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
