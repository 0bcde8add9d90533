package org.csemu.fabric.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostChecksTest {

    private static final String VERSION_OK = """
            Compiled against library: libvirt 9.0.0
            Using library: libvirt 9.0.0
            Using API: QEMU 9.0.0
            Running hypervisor: QEMU 7.2.0
            """;

    @TempDir
    Path root;
    FakeHost host;

    @BeforeEach
    void setUp() {
        host = new FakeHost(root);
    }

    @Test
    void packagesPresent() {
        host.executable("/usr/bin/qemu-system-x86_64");
        host.executable("/usr/bin/qemu-img");
        host.executable("/usr/bin/virsh");
        host.executable("/usr/sbin/libvirtd");
        host.file("/usr/lib/x86_64-linux-gnu/libvirt.so.0", "");
        assertThat(new PackagesCheck().run(host.context()).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void missingPackagesAreNamedWithTheirDebianPackage() {
        host.executable("/usr/bin/qemu-img");
        host.file("/usr/bin/virsh", "not executable");
        CheckResult r = new PackagesCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("qemu-system-x86_64", "virsh", "libvirtd", "libvirt.so.0").doesNotContain("qemu-img");
        assertThat(r.fix()).contains("./csemu setup", "qemu-system-x86", "libvirt-clients", "libvirt0");
    }

    @Test
    void toolsPresentOrNamedWithTheirPackages() {
        for (String tool : java.util.List.of("busybox", "cpio", "mkfs.ext4", "debugfs", "depmod", "xz", "tini")) {
            host.executable("/usr/bin/" + tool);
        }
        CheckResult missingSocat = new ToolsCheck().run(host.context());
        assertThat(missingSocat.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(missingSocat.detail()).isEqualTo("missing: socat");
        assertThat(missingSocat.fix()).endsWith("install --no-install-recommends socat)");
        host.executable("/usr/sbin/socat");
        assertThat(new ToolsCheck().run(host.context()).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void libvirtdAnswering() {
        host.answer("virsh -c qemu:///system version", 0, VERSION_OK, "");
        CheckResult r = new LibvirtdCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        assertThat(r.detail()).contains("QEMU 7.2.0", "libvirt 9.0.0");
    }

    @Test
    void libvirtdNotAnswering() {
        host.answer("virsh -c qemu:///system version", 1, "",
                "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n");
        CheckResult r = new LibvirtdCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("failed to connect to the hypervisor");
        assertThat(r.fix()).contains("./csemu setup");
    }

    @Test
    void virtlogdFromPidfileOrProcessScan() {
        host.process(300, "virtlogd", 1).file("/run/virtlogd.pid", "300\n");
        assertThat(new VirtlogdCheck().run(host.context()).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void virtlogdStalePidfileIsAFailure() {
        host.process(300, "bash", 1).file("/run/virtlogd.pid", "300\n");
        CheckResult r = new VirtlogdCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.fix()).contains("virtlogd -d");
    }

    @Test
    void virtlogdFoundByScanWithoutPidfile() {
        host.process(41, "virtlogd", 40);
        assertThat(new VirtlogdCheck().run(host.context()).detail()).isEqualTo("pid 41");
    }

    @Test
    void subreaperTini() {
        host.process(1, "process_api", 0).process(100, "tini", 1).process(101, "libvirtd", 100).file("/run/libvirtd.pid", "101");
        CheckResult r = new SubreaperCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        assertThat(r.detail()).contains("parent tini (pid 100)");
    }

    @Test
    void libvirtdUnderASlowPid1IsAFailure() {
        host.process(1, "process_api", 0).process(101, "libvirtd", 1).file("/run/libvirtd.pid", "101");
        CheckResult r = new SubreaperCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("process_api");
        assertThat(r.fix()).contains("tini -s");
    }

    @Test
    void libvirtdUnderSystemdIsFine() {
        host.process(1, "systemd", 0).process(101, "libvirtd", 1);
        assertThat(new SubreaperCheck().run(host.context()).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void noLibvirtdProcess() {
        host.process(1, "init", 0);
        assertThat(new SubreaperCheck().run(host.context()).status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void kvmDeviceAbsentIsFine() {
        assertThat(new KvmDeviceCheck().run(host.context()).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void kvmDeviceOwnerOnlyIsTheReprobeTrap() {
        FakeHost.mode(host.file("/dev/kvm", ""), "rw-------");
        CheckResult r = new KvmDeviceCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("mode 0600", "re-probes");
        assertThat(r.fix()).contains("chgrp kvm /dev/kvm && chmod 0660 /dev/kvm", "capabilities");
    }

    @Test
    void kvmDeviceWorldAccessibleIsFine() {
        FakeHost.mode(host.file("/dev/kvm", ""), "rw-rw-rw-");
        assertThat(new KvmDeviceCheck().run(host.context()).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void noVirtualizationFlagMeansTcgAndIsNotAFailure() {
        host.file("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr pae hypervisor\n");
        host.file("/dev/kvm", "");
        CheckResult r = new KvmAccelerationCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.INFO);
        assertThat(r.detail()).contains("TCG will be used", "vmx/svm");
        assertThat(KvmSupport.detect(host.context()).domainType()).isEqualTo("qemu");
    }

    @Test
    void virtualizationFlagAndOpenableDeviceMeansKvm() {
        host.file("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vmx sse\n");
        host.file("/dev/kvm", "");
        KvmSupport kvm = KvmSupport.detect(host.context());
        assertThat(kvm.usable()).isTrue();
        assertThat(kvm.domainType()).isEqualTo("kvm");
        assertThat(new KvmAccelerationCheck().run(host.context()).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void virtualizationFlagWithoutDeviceMeansTcg() {
        host.file("/proc/cpuinfo", "flags\t\t: svm\n");
        assertThat(KvmSupport.detect(host.context()).reason()).contains("/dev/kvm does not exist");
    }

    /**
     * A user's daemon and /dev/kvm (issue 16, KVM for users): the user's own access decides, and a user who cannot
     * open it is told the group and the command, unless KVM would not work on this host anyway. The device a user
     * cannot open is played by a directory (the tests run as root, who opens any device file).
     */
    @Test
    void aUserWhoCannotOpenDevKvmIsToldToJoinGroupKvmWhereKvmWouldWork() throws Exception {
        HostContext alice = host.context().withScope(org.csemu.fabric.daemon.DaemonScope.of(1000, "alice",
                java.util.Map.of("HOME", "/home/alice")));
        host.dir("/dev/kvm", "rwxr-xr-x");
        host.file("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vmx sse\n");
        CheckResult denied = new KvmDeviceCheck().run(alice);
        assertThat(denied.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(denied.title()).contains("alice");
        assertThat(denied.detail()).contains("cannot open /dev/kvm").contains("TCG");
        assertThat(denied.fix()).contains("sudo usermod -a -G kvm alice").contains("log in again");

        host.file("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme hypervisor\n");
        assertThat(new KvmDeviceCheck().run(alice).status()).as("no vmx/svm: TCG anyway, not a failure")
                .isEqualTo(CheckStatus.INFO);

        java.nio.file.Files.delete(root.resolve("dev/kvm"));
        host.file("/dev/kvm", "");
        assertThat(new KvmDeviceCheck().run(alice).status()).as("alice may open it").isEqualTo(CheckStatus.OK);
    }

    @Test
    void defaultNetworkAbsent() {
        host.answer("virsh -c qemu:///system net-info default", 1, "", "error: failed to get network 'default'\nerror: Network not found: no network with matching name 'default'\n");
        assertThat(new DefaultNetworkCheck().run(host.context()).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void defaultNetworkActiveIsAFailure() {
        host.answer("virsh -c qemu:///system net-info default", 0,
                "Name:           default\nUUID:           x\nActive:         yes\nPersistent:     yes\nAutostart:      yes\nBridge:         br-fake\n", "");
        CheckResult r = new DefaultNetworkCheck().run(host.context());
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("ACTIVE", "autostart");
        assertThat(r.fix()).contains("net-undefine default");
    }

    @Test
    void defaultNetworkDefinedButInactiveIsTolerated() {
        host.answer("virsh -c qemu:///system net-info default", 0, "Name: default\nActive: no\nAutostart: no\n", "");
        assertThat(new DefaultNetworkCheck().run(host.context()).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void defaultNetworkUnknownWhenLibvirtdIsDown() {
        host.answer("virsh -c qemu:///system net-info default", 1, "", "error: failed to connect to the hypervisor\n");
        assertThat(new DefaultNetworkCheck().run(host.context()).status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void dataDirTraversable() {
        host.dir("/var", "rwxr-xr-x");
        host.dir("/var/lib", "rwxr-xr-x");
        host.dir("/var/lib/csemu", "rwxr-xr-x");
        host.dir("/var/lib/csemu/image-cache", "rwxr-xr-x");
        FakeHost.mode(root, "rwxr-xr-x");
        assertThat(new DataDirAccessCheck().run(host.context()).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void dataDirUnderAPrivateDirectoryFails() {
        FakeHost.mode(root, "rwxr-xr-x");
        host.dir("/root", "rwx------");
        host.dir("/root/csemu/image-cache", "rwxr-xr-x");
        HostContext context = host.context().withDataDir(Path.of("/root/csemu")).withImageCache(Path.of("/root/csemu/image-cache"));
        CheckResult r = new DataDirAccessCheck().run(context);
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("/root is not traversable by others");
        assertThat(r.fix()).contains("never /root");
    }

    /** A user's daemon: their data directory and token are checked, each problem with the command that fixes it. */
    @Test
    void aUsersTokenReadableByOthersAndAMissingImageCacheAreExplainedWithTheirFixes() throws Exception {
        FakeHost.mode(root, "rwxr-xr-x");
        host.dir("/home/alice/.local/share/csemu", "rwx------");
        java.nio.file.Path token = root.resolve("home/alice/.local/share/csemu/api.token");
        java.nio.file.Files.writeString(token, "t");
        java.nio.file.Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        HostContext context = host.context().withScope(org.csemu.fabric.daemon.DaemonScope.of(1000, "alice",
                java.util.Map.of("HOME", "/home/alice"))).withDataDir(Path.of("/home/alice/.local/share/csemu"));
        CheckResult r = new DataDirAccessCheck().run(context);
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.title()).contains("alice");
        assertThat(r.detail()).contains("api.token is readable by others").contains("/var does not exist");
        assertThat(r.fix()).contains("chmod 0600").contains("sudo ./csemu setup");
        assertThat(context.libvirtUri()).isEqualTo("qemu:///session");

        java.nio.file.Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        host.dir("/var/lib/csemu/image-cache/csemu-base-latest", "rwxr-xr-x");
        FakeHost.mode(root.resolve("var"), "rwxr-xr-x");
        assertThat(new DataDirAccessCheck().run(context).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void missingDataDirFails() {
        assertThat(new DataDirAccessCheck().run(host.context()).detail()).contains("/var/lib/csemu does not exist");
    }

    @Test
    void aThrowingCheckBecomesAFailureNotACrash() {
        HostCheck broken = new HostCheck() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public CheckResult run(HostContext context) {
                throw new IllegalStateException("boom");
            }
        };
        DoctorReport report = new HostDoctor(java.util.List.of(broken, new KvmAccelerationCheck())).examine(host.context());
        assertThat(report.passed()).isFalse();
        assertThat(report.failures()).extracting(CheckResult::id).containsExactly("broken");
        assertThat(report.results()).hasSize(2);
    }

    @Test
    void infoResultsDoNotFailTheReport() {
        DoctorReport report = new DoctorReport(java.util.List.of(CheckResult.info("kvm", "KVM", "TCG"), CheckResult.ok("x", "X", "")));
        assertThat(report.passed()).isTrue();
    }
}
