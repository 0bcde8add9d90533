package org.csemu.fabric.disk;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.csemu.core.model.ExecutionContext;
import org.csemu.core.model.TaskType;
import org.csemu.fabric.util.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigDriveWriterTest {

    static final List<String> TRICKY = List.of("plain", "with space", "it's", "'''", "$HOME and ${PATH}", "`id`",
            "line1\nline2\n", "back\\slash", "\"double\"", "; rm -rf / #", "ünïcödé ✓", "", " leading and trailing ",
            "*?[glob]", "a=b", "tab\there", "\\'");

    @TempDir
    Path tmp;

    private ConfigDriveInput input(Path approot, Path site) {
        Map<String, String> taskEnv = new LinkedHashMap<>();
        for (int i = 0; i < TRICKY.size(); i++) {
            taskEnv.put("V" + i, TRICKY.get(i));
        }
        return new ConfigDriveInput(
                new ConfigDriveInput.Identity("dep1", "WebRole_IN_0", "WebRole", 0, 1, "r1", 2),
                "webrole-in-0",
                List.of(new ConfigDriveInput.Setting("Greeting", "it's \"$x\"\nnext"), new ConfigDriveInput.Setting("B", "")),
                List.of(new ConfigDriveInput.GuestUser("app", 1001, "/home/app", "/bin/sh")),
                Map.of("etc/motd", "hello\n".getBytes(StandardCharsets.UTF_8)),
                List.of(new ConfigDriveInput.LocalResource("cache", 16, true), new ConfigDriveInput.LocalResource("keep", 8, false)),
                List.of(new ConfigDriveInput.Task("echo 'one' && exit 0", TaskType.SIMPLE, ExecutionContext.ELEVATED, taskEnv),
                        new ConfigDriveInput.Task("sleep 100", TaskType.BACKGROUND, ExecutionContext.LIMITED, Map.of())),
                new ConfigDriveInput.Entry(ConfigDriveInput.Entry.Kind.PROGRAM, "./run.sh --port 8080", false),
                Map.of("RUNTIME_X", "1"),
                List.of(new ConfigDriveInput.SiteContent("Web", List.of(80, 8080), site, java.util.Map.of(8080, "AB".repeat(20)))),
                "<RoleEnvironment/>".getBytes(StandardCharsets.UTF_8),
                approot);
    }

    private Path content() throws Exception {
        Path approot = Files.createDirectories(tmp.resolve("approot"));
        Files.writeString(approot.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(approot.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(approot.resolve("bin/deep"));
        Files.writeString(approot.resolve("bin/deep/data.txt"), "data");
        return approot;
    }

    @Test
    void writesTheDocumentedLayoutAsA512BytePaddedTar() throws Exception {
        Path approot = content();
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>hi</h1>");
        Path drive = tmp.resolve("out/config.tar");
        new ConfigDriveWriter(Instant.parse("2024-01-01T00:00:00Z")).write(input(approot, site), drive);

        assertThat(Files.size(drive) % 512).isZero();
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(drive))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.put(e.getName(), e);
                if (e.isFile()) {
                    texts.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(entries.keySet()).contains("csemu/", "csemu/version", "csemu/instance.env", "csemu/RoleEnvironment.xml",
                "csemu/answer/hostname", "csemu/answer/settings.env", "csemu/answer/users", "csemu/answer/files/etc/motd",
                "csemu/localstorage.env", "csemu/tasks/000.env", "csemu/tasks/000.vars", "csemu/tasks/001.env",
                "csemu/tasks/001.vars", "csemu/runtime.env", "csemu/runtime.vars", "csemu/sites/0.env",
                "approot/run.sh", "approot/bin/deep/data.txt", "sitesroot/0/index.html");
        assertThat(texts.get("csemu/version")).isEqualTo("1\n");
        assertThat(texts.get("csemu/answer/hostname")).isEqualTo("webrole-in-0\n");
        assertThat(texts.get("csemu/answer/users")).isEqualTo("app:1001:/home/app:/bin/sh\n");
        assertThat(texts.get("csemu/RoleEnvironment.xml")).isEqualTo("<RoleEnvironment/>");
        assertThat(entries.get("approot/run.sh").getMode() & 0777).isEqualTo(0755);
        assertThat(entries.get("approot/bin/deep/data.txt").getMode() & 0777).isEqualTo(0644);
        // every parent directory has its own entry, before its children
        List<String> names = List.copyOf(entries.keySet());
        assertThat(names.indexOf("approot/bin/deep/")).isLessThan(names.indexOf("approot/bin/deep/data.txt"));

        // the guest reads the files with its shell: check what a shell sees, value by value
        Path extracted = Files.createDirectories(tmp.resolve("x"));
        ProcessRunner.run(Duration.ofSeconds(20), "tar", "-xf", drive.toString(), "-C", extracted.toString()).orThrow();
        Path csemu = extracted.resolve("csemu");
        assertThat(shell(csemu.resolve("instance.env"), "CSEMU_INSTANCE_ID")).isEqualTo("WebRole_IN_0");
        assertThat(shell(csemu.resolve("instance.env"), "CSEMU_FAULT_DOMAIN")).isEqualTo("1");
        assertThat(shell(csemu.resolve("instance.env"), "CSEMU_RECYCLE_ID")).isEqualTo("r1");
        assertThat(shell(csemu.resolve("instance.env"), "CSEMU_HEARTBEAT_SECONDS")).isEqualTo("2");
        assertThat(shell(csemu.resolve("answer/settings.env"), "CSEMU_SETTING_COUNT")).isEqualTo("2");
        assertThat(shell(csemu.resolve("answer/settings.env"), "CSEMU_SETTING_0_NAME")).isEqualTo("Greeting");
        assertThat(shell(csemu.resolve("answer/settings.env"), "CSEMU_SETTING_0_VALUE")).isEqualTo("it's \"$x\"\nnext");
        assertThat(shell(csemu.resolve("localstorage.env"), "CSEMU_LOCAL_COUNT")).isEqualTo("2");
        assertThat(shell(csemu.resolve("localstorage.env"), "CSEMU_LOCAL_1_NAME")).isEqualTo("keep");
        assertThat(shell(csemu.resolve("localstorage.env"), "CSEMU_LOCAL_1_SIZE_MB")).isEqualTo("8");
        assertThat(shell(csemu.resolve("localstorage.env"), "CSEMU_LOCAL_1_CLEAN")).isEqualTo("false");
        assertThat(shell(csemu.resolve("tasks/000.env"), "TASK_COMMAND")).isEqualTo("echo 'one' && exit 0");
        assertThat(shell(csemu.resolve("tasks/000.env"), "TASK_TYPE")).isEqualTo("simple");
        assertThat(shell(csemu.resolve("tasks/001.env"), "TASK_TYPE")).isEqualTo("background");
        assertThat(shell(csemu.resolve("tasks/001.env"), "TASK_CONTEXT")).isEqualTo("limited");
        for (int i = 0; i < TRICKY.size(); i++) {
            assertThat(shell(csemu.resolve("tasks/000.vars"), "V" + i)).as("value %d", i).isEqualTo(TRICKY.get(i));
        }
        assertThat(texts.get("csemu/tasks/001.vars")).isEmpty();
        assertThat(shell(csemu.resolve("runtime.env"), "ENTRY_KIND")).isEqualTo("program");
        assertThat(shell(csemu.resolve("runtime.env"), "ENTRY_COMMAND")).isEqualTo("./run.sh --port 8080");
        assertThat(shell(csemu.resolve("runtime.env"), "ENTRY_READY_ON_START")).isEqualTo("false");
        assertThat(shell(csemu.resolve("runtime.vars"), "RUNTIME_X")).isEqualTo("1");
        assertThat(shell(csemu.resolve("sites/0.env"), "SITE_NAME")).isEqualTo("Web");
        assertThat(shell(csemu.resolve("sites/0.env"), "SITE_PORTS")).isEqualTo("80 8080");
        assertThat(shell(csemu.resolve("sites/0.env"), "SITE_TLS")).as("the https port and its certificate")
                .isEqualTo("8080:" + "AB".repeat(20));
    }

    @Test
    void busyboxStyleExtractionOfTheRawDriveWorksFromAPaddedDevice() throws Exception {
        Path drive = tmp.resolve("config.tar");
        new ConfigDriveWriter().write(input(content(), null), drive);
        // a block device reads as the tar followed by zeros: pad like a disk and extract again
        try (var file = new java.io.RandomAccessFile(drive.toFile(), "rw")) {
            file.setLength(1024 * 1024);
        }
        Path out = Files.createDirectories(tmp.resolve("y"));
        ProcessRunner.run(Duration.ofSeconds(20), "tar", "-xf", drive.toString(), "-C", out.toString()).orThrow();
        assertThat(out.resolve("approot/run.sh")).isExecutable();
        assertThat(out.resolve("sitesroot/0")).isEmptyDirectory();
    }

    @Test
    void refusesWhatTheGuestCouldMisread() throws Exception {
        Path approot = content();
        ConfigDriveInput good = input(approot, null);
        ConfigDriveWriter writer = new ConfigDriveWriter();
        Path drive = tmp.resolve("bad.tar");

        ConfigDriveInput badVar = new ConfigDriveInput(good.identity(), good.hostname(), good.settings(), good.users(),
                good.answerFiles(), good.localResources(),
                List.of(new ConfigDriveInput.Task("true", TaskType.SIMPLE, ExecutionContext.LIMITED, Map.of("1BAD-NAME", "x"))),
                good.entry(), good.runtimeEnvironment(), good.sites(), good.roleEnvironmentXml(), approot);
        assertThatThrownBy(() -> writer.write(badVar, drive)).hasMessageContaining("'1BAD-NAME'").hasMessageContaining("startup task 0");

        ConfigDriveInput traversal = new ConfigDriveInput(good.identity(), good.hostname(), good.settings(), good.users(),
                Map.of("../../etc/passwd", new byte[0]), good.localResources(), good.tasks(), good.entry(),
                good.runtimeEnvironment(), good.sites(), good.roleEnvironmentXml(), approot);
        assertThatThrownBy(() -> writer.write(traversal, drive)).hasMessageContaining("'..'");

        Files.createSymbolicLink(approot.resolve("link"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> writer.write(good, drive)).hasMessageContaining("symbolic link");
        assertThat(drive).doesNotExist();
    }

    @Test
    void shellQuotingIsExactForEveryByteButNul() {
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuote.assignment("A_1", "$x")).isEqualTo("A_1='$x'\n");
        assertThatThrownBy(() -> ShellQuote.quote("a\0b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> ShellQuote.assignment("A-B", "x")).hasMessageContaining("'A-B'");
    }

    /** What {@code sh} sees for {@code name} after sourcing {@code file}. */
    @Test
    void certificatesGoUnderARootOnlyDirectoryWithTheKeyReadableByRootAlone() throws Exception {
        ConfigDriveInput base = input(content(), null);
        ConfigDriveInput withCerts = new ConfigDriveInput(base.identity(), base.hostname(), base.settings(),
                base.users(), base.answerFiles(), base.localResources(), base.tasks(), base.entry(),
                base.runtimeEnvironment(), base.sites(), base.roleEnvironmentXml(), base.appRoot(), List.of(
                        new ConfigDriveInput.Certificate("Site", "AB".repeat(20), "LocalMachine", "My",
                                "limitedOrElevated", "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n",
                                "-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----\n"),
                        new ConfigDriveInput.Certificate("Ca", "CD".repeat(20), "CurrentUser", "Root", "elevated",
                                "-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----\n", null)));
        Path drive = tmp.resolve("certs.tar");
        new ConfigDriveWriter().write(withCerts, drive);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(drive))).as("it holds keys")
                .isEqualTo("rw-------");
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(drive))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.put(e.getName(), e);
            }
        }
        assertThat(entries.get("csemu/certificates/").getMode() & 0777).isEqualTo(0700);
        assertThat(entries.get("csemu/certificates/000.key").getMode() & 0777).isEqualTo(0600);
        assertThat(entries.get("csemu/certificates/000.pem").getMode() & 0777).isEqualTo(0644);
        assertThat(entries).containsKeys("csemu/certificates/000.env", "csemu/certificates/001.env",
                "csemu/certificates/001.pem").doesNotContainKey("csemu/certificates/001.key");
        Path out = Files.createDirectories(tmp.resolve("c"));
        ProcessRunner.run(Duration.ofSeconds(20), "tar", "-xf", drive.toString(), "-C", out.toString()).orThrow();
        Path env = out.resolve("csemu/certificates/001.env");
        assertThat(shell(env, "CERT_NAME") + "|" + shell(env, "CERT_THUMBPRINT") + "|" + shell(env, "CERT_STORE_LOCATION")
                + "|" + shell(env, "CERT_STORE_NAME") + "|" + shell(env, "CERT_PERMISSION_LEVEL"))
                .isEqualTo("Ca|" + "CD".repeat(20) + "|CurrentUser|Root|elevated");
        assertThat(withCerts.toString()).doesNotContain("PRIVATE KEY");

        ConfigDriveInput badStore = new ConfigDriveInput(base.identity(), base.hostname(), base.settings(),
                base.users(), base.answerFiles(), base.localResources(), base.tasks(), base.entry(),
                base.runtimeEnvironment(), base.sites(), base.roleEnvironmentXml(), base.appRoot(), List.of(
                        new ConfigDriveInput.Certificate("Odd", "AB".repeat(20), "LocalMachine", "../My", "elevated",
                                "x", null)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigDriveWriter().write(badStore,
                tmp.resolve("bad.tar"))).hasMessageContaining("certificate 'Odd': storeName '../My'");
    }

    private static String shell(Path file, String name) throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(Duration.ofSeconds(10), "sh", "-c",
                ". \"$1\" && eval 'printf %s \"${'\"$2\"'}\"'", "sh", file.toString(), name).orThrow();
        return r.stdout();
    }

    @Test
    void theTrafficGatesFileListsEachGateWithItsAllowedSecretsAndEachProxy() {
        ConfigDriveInput.Gates gates = new ConfigDriveInput.Gates("aa11", List.of(
                new ConfigDriveInput.Gates.Gate(41001, 9000, List.of("bb22", "cc33")),
                new ConfigDriveInput.Gates.Gate(41002, 9001, List.of())), List.of(
                new ConfigDriveInput.Gates.Proxy(42001, false), new ConfigDriveInput.Gates.Proxy(42002, true)));
        assertThat(DriveFiles.gatesEnv(gates)).isEqualTo("ROLE_SECRET='aa11'\n"
                + "GATES='41001:9000:bb22,cc33 41002:9001:'\n" + "PROXIES='42001/tcp 42002/udp'\n");
    }
}
