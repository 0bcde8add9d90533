package org.csemu.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.pkg.PackageManifest.PackageFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages of the Azure SDK's CSPack (both generations) and .csx directories, read as csemu's own packages. */
class CspackPackageTest {

    @TempDir
    Path dir;

    @Test
    void current_format_is_read_with_its_sites_and_approot_and_without_the_windows_host() throws Exception {
        Path pkg = dir.resolve("shop.cspkg");
        CspackZips.typical().write(pkg);
        try (PackageReader reader = PackageReader.open(pkg)) {
            assertThat(reader.origin()).isEqualTo(PackageOrigin.CSPACK);
            assertThat(reader.manifest().createdBy()).isEqualTo("Azure SDK CSPack 2.9.8899.26");
            assertThat(reader.manifest().serviceName()).isEqualTo("shop");
            assertThat(reader.roleNames()).containsExactly("Web", "Worker");
            assertThat(paths(reader, "Web")).containsExactly("approot/bin/Web.dll", "sitesroot/0/index.html");
            assertThat(paths(reader, "Worker")).containsExactly("approot/README.txt", "approot/run.sh");
            assertThat(new String(reader.definitionBytes())).isEqualTo(CspackZips.WEB_CSDEF);
            Path web = reader.extractRole("Web", dir.resolve("out/Web"));
            assertThat(web.resolve("sitesroot/0/index.html")).hasContent("<h1>shop</h1>");
            Path worker = reader.extractRole("Worker", dir.resolve("out/Worker"));
            assertThat(worker.resolve("approot/README.txt")).hasContent("<h1>shop</h1>"); // one blob, two files
            assertThat(Files.getPosixFilePermissions(worker.resolve("approot/run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
            assertThat(web.resolve("base")).doesNotExist();
        }
    }

    @Test
    void the_converted_package_is_gone_after_close() throws Exception {
        Path pkg = dir.resolve("shop.cspkg");
        CspackZips.typical().write(pkg);
        Path staging = dir.resolve("staging");
        try (PackageReader reader = PackageReader.open(pkg, PackageLimits.DEFAULTS, staging)) {
            assertThat(reader.roleNames()).hasSize(2);
            assertThat(imports(staging)).as("the converted package, while open").hasSize(1);
        }
        assertThat(imports(staging)).isEmpty();
    }

    @Test
    void directory_entries_a_hash_algorithm_of_none_and_a_leading_slash_are_accepted() throws Exception {
        Path pkg = dir.resolve("shop.cspkg");
        CspackZips z = CspackZips.current(CspackZips.WEB_CSDEF).file("Worker", "\\approot\\run.sh", "echo hi\n");
        z.describe(z.blobOf("Worker", "\\approot\\run.sh"), "None", null, 8);
        z.extra().file("LocalContent/", "");
        z.editPackageXml(x -> x.replace("<DataStorePath>LocalContent/", "<DataStorePath>/LocalContent/"));
        z.write(pkg);
        try (PackageReader reader = PackageReader.open(pkg)) {
            assertThat(paths(reader, "Worker")).containsExactly("approot/run.sh");
        }
    }

    @Test
    void csemu_pack_format_cspack_reads_back_file_for_file() throws Exception {
        Files.writeString(dir.resolve("ServiceDefinition.csdef"), CspackZips.WEB_CSDEF);
        Files.createDirectories(dir.resolve("site"));
        Files.writeString(dir.resolve("site/index.html"), "hello");
        Files.createDirectories(dir.resolve("worker"));
        Path run = Files.writeString(dir.resolve("worker/run"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(run, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("worker/same.html"), "hello");
        Path own = dir.resolve("own.cspkg");
        PackageBuilder.forDefinitionFile(dir.resolve("ServiceDefinition.csdef"), new ServiceModelParser())
                .role("Worker", dir.resolve("worker")).site(SiteContent.parse("Web;Main;" + dir.resolve("site"))).build(own);
        Path cspack = dir.resolve("cspack.cspkg");
        try (PackageReader reader = PackageReader.open(own)) {
            CspackWriter.write(reader, cspack);
        }
        try (PackageReader original = PackageReader.open(own); PackageReader back = PackageReader.open(cspack)) {
            assertThat(back.origin()).isEqualTo(PackageOrigin.CSPACK);
            assertThat(back.manifest().roles()).isEqualTo(original.manifest().roles());
            assertThat(back.definitionBytes()).isEqualTo(original.definitionBytes());
        }
        try (org.apache.commons.compress.archivers.zip.ZipFile zip = org.apache.commons.compress.archivers.zip.ZipFile.builder()
                .setPath(cspack).get()) {
            assertThat(zip.getEntry("package.xml")).isNotNull();
            assertThat(zip.getEntry("_rels/.rels")).isNotNull();
            assertThat(zip.getEntry("[Content_Types].xml")).isNotNull();
            assertThat(java.util.Collections.list(zip.getEntries()).stream().filter(e -> e.getName().startsWith("LocalContent/")))
                    .as("one blob per distinct content and mode").hasSize(2);
        }
    }

    @Test
    void older_format_reads_each_cssx_as_its_role() throws Exception {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("Web_0f3c2a1e-5b6d-4c7e-8f90-a1b2c3d4e5f6.cssx", CspackZips.cssx("Web", "sitesroot/0/index.html", "<h1>old</h1>",
                "approot/bin/Web.dll", "MZ"));
        parts.put("Worker_11111111-2222-3333-4444-555555555555.cssx", CspackZips.cssx(null, "approot/run.sh", "echo old\n"));
        Path pkg = dir.resolve("old.cspkg");
        CspackZips.legacy(CspackZips.WEB_CSDEF, parts, true, Map.of()).write(pkg);
        try (PackageReader reader = PackageReader.open(pkg)) {
            assertThat(reader.origin()).isEqualTo(PackageOrigin.CSPACK_LEGACY);
            assertThat(paths(reader, "Web")).containsExactly("approot/bin/Web.dll", "sitesroot/0/index.html");
            assertThat(paths(reader, "Worker")).containsExactly("approot/run.sh");
            Path worker = reader.extractRole("Worker", dir.resolve("out"));
            assertThat(worker.resolve("approot/run.sh")).hasContent("echo old\n");
        }
    }

    @Test
    void csx_directory_is_read_as_a_package() throws Exception {
        Path csx = csx();
        assertThat(CsxDirectory.isCsxDirectory(csx)).isTrue();
        assertThat(CsxDirectory.isCsxDirectory(dir)).isFalse();
        try (PackageReader reader = PackageReader.open(csx)) {
            assertThat(reader.origin()).isEqualTo(PackageOrigin.CSX_DIRECTORY);
            assertThat(paths(reader, "Web")).containsExactly("approot/Web.dll", "sitesroot/0/index.html");
            assertThat(paths(reader, "Worker")).containsExactly("approot/run.sh");
        }
        PackageInspector.PackageReport report = new PackageInspector().inspect(csx);
        assertThat(report.layout()).isEqualTo(PackageOrigin.CSX_DIRECTORY.title());
        assertThat(report.packageBytes()).isZero();
    }

    @Test
    void csx_directory_with_a_link_is_refused() throws Exception {
        Path csx = csx();
        Files.createSymbolicLink(csx.resolve("roles/Worker/approot/passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> PackageReader.open(csx)).isInstanceOf(PackageException.class)
                .hasMessageContaining("symbolic link");
    }

    @Test
    void csx_directory_whose_approot_is_a_link_is_refused() throws Exception {
        Path csx = csx();
        Path approot = csx.resolve("roles/Worker/approot");
        Files.walk(approot).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Files.createSymbolicLink(approot, Path.of("/etc"));
        assertThatThrownBy(() -> PackageReader.open(csx)).isInstanceOf(PackageException.class)
                .hasMessageContaining("approot").hasMessageContaining("symbolic link");
    }

    @Test
    void csx_directory_with_an_unknown_role_is_refused() throws Exception {
        Path csx = csx();
        Files.createDirectories(csx.resolve("roles/Ghost/approot"));
        assertThatThrownBy(() -> PackageReader.open(csx)).isInstanceOf(PackageException.class)
                .hasMessageContaining("roles/Ghost").hasMessageContaining("is not a role of the service definition");
    }

    private Path csx() throws Exception {
        Path csx = dir.resolve("shop.csx");
        Files.createDirectories(csx.resolve("roles/Web/approot"));
        Files.createDirectories(csx.resolve("roles/Web/sitesroot/0"));
        Files.createDirectories(csx.resolve("roles/Web/base/x64"));
        Files.createDirectories(csx.resolve("roles/Worker/approot"));
        Files.writeString(csx.resolve("ServiceDefinition.csdef"), CspackZips.WEB_CSDEF);
        Files.writeString(csx.resolve("ServiceDefinition.rd"), "<serviceModel/>");
        Files.writeString(csx.resolve("roles/Web/approot/Web.dll"), "MZ");
        Files.writeString(csx.resolve("roles/Web/sitesroot/0/index.html"), "<h1>csx</h1>");
        Files.writeString(csx.resolve("roles/Web/base/x64/WaHostBootstrapper.exe"), "MZ");
        Files.writeString(csx.resolve("roles/Web/RoleModel.xml"), "<RoleModel/>");
        Files.writeString(csx.resolve("roles/Worker/approot/run.sh"), "echo csx\n");
        return csx;
    }

    private static List<String> paths(PackageReader reader, String role) {
        return reader.manifest().role(role).orElseThrow().files().stream().map(PackageFile::path).toList();
    }

    /** What a reader staged under {@code root} (its own directory: another build's imports never show here). */
    static List<Path> imports(Path root) throws java.io.IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith("csemu-import-")).sorted().toList();
        }
    }
}
