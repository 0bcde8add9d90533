package org.csemu.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.csemu.core.model.ContentMapping;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.VirtualPath;
import org.csemu.core.pkg.PackageManifest.PackageFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageBuilderTest {

    @TempDir
    Path dir;
    Path csdef;
    byte[] csdefBytes = "<ServiceDefinition name=\"svc\"/>\n".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() throws IOException {
        csdef = dir.resolve("svc/ServiceDefinition.csdef");
        Files.createDirectories(csdef.getParent());
        Files.write(csdef, csdefBytes);
        write("worker/run.sh", "#!/bin/sh\necho hi\n");
        write("worker/lib/a.txt", "a");
        write("svc/extra/data/x.bin", "xx");
        write("site/index.html", "<h1>hi</h1>");
        write("api/v1.json", "{}");
        Files.setPosixFilePermissions(dir.resolve("worker/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ServiceDefinition service() {
        return TestModels.service(
                TestModels.worker("Worker", List.of(new ContentMapping("tools\\data", "extra", TestModels.AT))),
                TestModels.web("Web", List.of(TestModels.site("Main", null, new VirtualPath(VirtualPath.Kind.APPLICATION, "api", null, List.of(), TestModels.AT)))));
    }

    private PackageBuilder builder() {
        return PackageBuilder.forDefinition(csdef, csdefBytes, service())
                .role("Worker", dir.resolve("worker"))
                .site(SiteContent.parse("Web;Main;" + dir.resolve("site")))
                .site(SiteContent.parse("Web;Main/api;" + dir.resolve("api")))
                .createdBy("csemu test");
    }

    @Test
    void lists_every_file_of_every_role_with_size_and_hash() throws Exception {
        BuildResult result = builder().build(dir.resolve("out/svc.cspkg"));
        PackageManifest m = result.manifest();
        assertThat(m.serviceName()).isEqualTo("svc");
        assertThat(m.createdBy()).isEqualTo("csemu test");
        assertThat(m.role("Worker").orElseThrow().files()).extracting(PackageFile::path)
                .containsExactly("approot/lib/a.txt", "approot/run.sh", "approot/tools/data/data/x.bin");
        assertThat(m.role("Web").orElseThrow().files()).extracting(PackageFile::path)
                .containsExactly("sitesroot/0/api/v1.json", "sitesroot/0/index.html");
        PackageFile run = m.role("Worker").orElseThrow().files().get(1);
        assertThat(run.size()).isEqualTo(18);
        assertThat(run.executable()).isTrue();
        assertThat(run.sha256()).isEqualTo(Hashing.sha256Hex("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(m.definition().sha256()).isEqualTo(Hashing.sha256Hex(csdefBytes));
        assertThat(result.warnings()).isEmpty();
        assertThat(result.packageBytes()).isEqualTo(Files.size(dir.resolve("out/svc.cspkg")));
    }

    @Test
    void the_same_inputs_give_the_same_bytes_even_when_timestamps_change() throws Exception {
        Path first = builder().build(dir.resolve("a.cspkg")).output();
        try (Stream<Path> files = Files.walk(dir.resolve("worker"))) {
            for (Path p : files.toList()) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L));
            }
        }
        Path second = builder().build(dir.resolve("b.cspkg")).output();
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    }

    @Test
    void refuses_a_role_the_definition_does_not_declare() {
        assertThatThrownBy(() -> builder().role("Nope", dir.resolve("worker")).build(dir.resolve("x.cspkg")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("no role named 'Nope'")
                .hasMessageContaining("use one of: Worker, Web");
        assertThat(dir.resolve("x.cspkg")).doesNotExist();
    }

    @Test
    void refuses_a_missing_directory() {
        assertThatThrownBy(() -> PackageBuilder.forDefinition(csdef, csdefBytes, service()).role("Worker", dir.resolve("missing"))
                .build(dir.resolve("x.cspkg")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("missing: does not exist (content of role 'Worker' from --role Worker=");
    }

    @Test
    void refuses_a_missing_content_source_directory() {
        ServiceDefinition def = TestModels.service(TestModels.worker("Worker", List.of(new ContentMapping("x", "nothere", TestModels.AT))));
        assertThatThrownBy(() -> PackageBuilder.forDefinition(csdef, csdefBytes, def).build(dir.resolve("x.cspkg")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("nothere: does not exist")
                .hasMessageContaining("Contents/Content at 3:5");
    }

    @Test
    void refuses_a_symbolic_link_inside_content_and_leaves_no_output() throws Exception {
        Files.createSymbolicLink(dir.resolve("worker/passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> builder().build(dir.resolve("out/x.cspkg")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("passwd: is a symbolic link inside the content of role 'Worker'")
                .hasMessageContaining("fix: replace the link");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void refuses_a_symbolic_link_to_a_directory() throws Exception {
        Files.createSymbolicLink(dir.resolve("worker/etc"), Path.of("/etc"));
        assertThatThrownBy(() -> builder().build(dir.resolve("x.cspkg")))
                .isInstanceOf(PackageException.class).hasMessageContaining("is a symbolic link");
    }

    @Test
    void follows_a_link_given_as_the_content_directory_itself() throws Exception {
        Files.createSymbolicLink(dir.resolve("worker-link"), dir.resolve("worker"));
        BuildResult r = PackageBuilder.forDefinition(csdef, csdefBytes, service()).role("Worker", dir.resolve("worker-link"))
                .build(dir.resolve("x.cspkg"));
        assertThat(r.manifest().role("Worker").orElseThrow().files()).extracting(PackageFile::path).contains("approot/run.sh");
    }

    @Test
    void refuses_a_file_given_twice() throws Exception {
        write("svc/extra2/lib/a.txt", "other");
        ServiceDefinition def = TestModels.service(TestModels.worker("Worker", List.of(new ContentMapping(".", "extra2", TestModels.AT))));
        assertThatThrownBy(() -> PackageBuilder.forDefinition(csdef, csdefBytes, def).role("Worker", dir.resolve("worker"))
                .build(dir.resolve("x.cspkg")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("approot/lib/a.txt: role 'Worker' gets this file twice");
    }

    @Test
    void refuses_a_content_destination_outside_approot() {
        ServiceDefinition def = TestModels.service(TestModels.worker("Worker", List.of(new ContentMapping("..\\..\\x", "extra", TestModels.AT))));
        assertThatThrownBy(() -> PackageBuilder.forDefinition(csdef, csdefBytes, def).build(dir.resolve("x.cspkg")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("is not a path inside approot");
    }

    @Test
    void refuses_an_unknown_site() {
        assertThatThrownBy(() -> builder().site(SiteContent.parse("Web;Other;" + dir.resolve("site"))).build(dir.resolve("x.cspkg")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("role 'Web' has no site named 'Other'")
                .hasMessageContaining("use one of: Main");
    }

    @Test
    void refuses_sites_for_a_role_without_sites() {
        assertThatThrownBy(() -> builder().site(SiteContent.parse("Worker;Main;" + dir.resolve("site"))).build(dir.resolve("x.cspkg")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("role 'Worker' declares no <Site>");
    }

    @Test
    void warns_about_roles_and_sites_left_empty() throws Exception {
        // Worker still gets its Contents/Content mapping; Web gets nothing
        BuildResult r = PackageBuilder.forDefinition(csdef, csdefBytes, service()).build(dir.resolve("x.cspkg"));
        assertThat(r.warnings()).extracting(d -> d.code() + " " + d.message()).containsExactly(
                "PKG002 site 'Main' of role 'Web' has no content: sitesroot/0 will be empty",
                "PKG001 role 'Web' has no content: its approot will be empty");
        assertThat(r.manifest().roles()).extracting(PackageManifest.RoleLayout::name).containsExactly("Worker", "Web");
    }

    @Test
    void uses_the_physical_directory_of_a_site_relative_to_the_definition() throws Exception {
        write("svc/web/default.htm", "d");
        ServiceDefinition def = TestModels.service(TestModels.web("Web", List.of(TestModels.site("One", null), TestModels.site("Two", "web"))));
        BuildResult r = PackageBuilder.forDefinition(csdef, csdefBytes, def).build(dir.resolve("x.cspkg"));
        assertThat(r.manifest().role("Web").orElseThrow().files()).extracting(PackageFile::path).containsExactly("sitesroot/1/default.htm");
    }

    @Test
    void refuses_content_over_the_size_limit() {
        assertThatThrownBy(() -> builder().limits(PackageLimits.DEFAULTS.withMaxUnpackedBytes(10)).build(dir.resolve("x.cspkg")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("exceeds 10 bytes unpacked");
        assertThat(dir.resolve("x.cspkg")).doesNotExist();
    }

    @Test
    void refuses_a_definition_with_errors_and_reports_its_diagnostics() throws Exception {
        Path bad = dir.resolve("bad.csdef");
        Files.writeString(bad, "<ServiceDefinition name=\"svc\" xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition\">\n"
                + "  <WorkerRole name=\"W\" bogus=\"1\"/>\n</ServiceDefinition>\n");
        PackageException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> PackageBuilder.forDefinitionFile(bad, new org.csemu.core.parse.ServiceModelParser()), PackageException.class);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("bad.csdef").contains("cannot be packed").contains("bad.csdef:2:");
        assertThat(e.diagnostics()).isNotEmpty().allMatch(org.csemu.core.diag.Diagnostic::isError);
    }

    private void write(String relative, String content) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
