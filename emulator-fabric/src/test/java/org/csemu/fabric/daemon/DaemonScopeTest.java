package org.csemu.fabric.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.csemu.fabric.service.NetworkAllocator;
import org.csemu.fabric.vm.SessionLibvirt;
import org.junit.jupiter.api.Test;

class DaemonScopeTest {

    @Test
    void rootGetsTheSystemDaemon() {
        DaemonScope scope = DaemonScope.of(0, "root", Map.of("HOME", "/root", "XDG_DATA_HOME", "/x"));
        assertThat(scope.kind()).isEqualTo(DaemonScope.Kind.SYSTEM);
        assertThat(scope.libvirtUri()).isEqualTo("qemu:///system");
        assertThat(scope.dataDir()).isEqualTo(Path.of("/var/lib/csemu"));
        assertThat(NetworkAllocator.blockOf(0)).isEqualTo(255);
    }

    @Test
    void anyOtherUserGetsTheirOwnSessionDaemonAndDataDirectory() {
        DaemonScope scope = DaemonScope.of(1000, "alice", Map.of("HOME", "/home/alice"));
        assertThat(scope.kind()).isEqualTo(DaemonScope.Kind.USER);
        assertThat(scope.libvirtUri()).isEqualTo("qemu:///session");
        assertThat(scope.dataDir()).isEqualTo(Path.of("/home/alice/.local/share/csemu"));
        assertThat(DaemonScope.of(1000, "alice", Map.of("HOME", "/home/alice", "XDG_DATA_HOME", "/data/alice"))
                .dataDir()).isEqualTo(Path.of("/data/alice/csemu"));
        // the XDG spec: a relative value is ignored
        assertThat(DaemonScope.of(1000, "alice", Map.of("HOME", "/home/alice", "XDG_DATA_HOME", "rel")).dataDir())
                .isEqualTo(Path.of("/home/alice/.local/share/csemu"));
        assertThat(NetworkAllocator.blockOf(1000)).isBetween(1, 254).isNotEqualTo(NetworkAllocator.blockOf(1001));
    }

    @Test
    void theDataDirectoryVariableOverridesTheScopeDefault() {
        assertThat(DataDirectory.resolve(null, Map.of("CSEMU_DATA_DIR", "/srv/cs"), Path.of("/home/a/.local/share/csemu"))
                .root()).isEqualTo(Path.of("/srv/cs"));
        assertThat(DataDirectory.resolve(null, Map.of(), Path.of("/home/a/.local/share/csemu")).root())
                .isEqualTo(Path.of("/home/a/.local/share/csemu"));
        assertThat(DataDirectory.resolve(Path.of("/opt/x"), Map.of("CSEMU_DATA_DIR", "/srv/cs"), Path.of("/y")).root())
                .isEqualTo(Path.of("/opt/x"));
    }

    @Test
    void theSessionDaemonLivesInTheRuntimeDirWhenThereIsOneElseInTheHomeCache() {
        assertThat(SessionLibvirt.of(Map.of("HOME", "/home/a", "XDG_RUNTIME_DIR", "/run/user/1000")).socket())
                .isEqualTo(Path.of("/run/user/1000/libvirt/libvirt-sock"));
        SessionLibvirt noRuntime = SessionLibvirt.of(Map.of("HOME", "/home/a"));
        assertThat(noRuntime.socket()).isEqualTo(Path.of("/home/a/.cache/libvirt/libvirt-sock"));
        assertThat(noRuntime.qemuRunDir()).isEqualTo(Path.of("/home/a/.cache/libvirt/qemu/run"));
    }
}
