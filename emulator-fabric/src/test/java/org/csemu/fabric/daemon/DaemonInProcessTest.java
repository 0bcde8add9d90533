package org.csemu.fabric.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.csemu.fabric.api.server.Json;
import org.csemu.fabric.api.testing.InMemoryFabricFactory;
import org.csemu.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon in this JVM on a unix socket: files it writes, their modes, the lock, a clean stop. */
class DaemonInProcessTest {

    @TempDir
    Path tmp;

    @Test
    void servesOnAUnixSocketWithTokenAndLockAndCleansUp() throws Exception {
        DataDirectory dir = new DataDirectory(tmp.resolve("data"));
        Path socket = dir.root().resolve("api.sock");
        DaemonOptions options = new DaemonOptions(dir, 0, socket, false, false);
        Daemon daemon = Daemon.start(options, new InMemoryFabricFactory());
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.tokenFile()))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.root()))).isEqualTo("rwx--x--x");
            DaemonInfo info = DaemonInfoFile.read(dir.infoFile()).orElseThrow();
            assertThat(info.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(info.socket()).isEqualTo(socket.toString());
            assertThat(info.url()).isEqualTo("unix:" + socket);
            assertThat(info.port()).isNull();
            assertThat(info.processStartTicks()).isPositive();

            String token = ApiToken.read(dir.tokenFile());
            assertThat(token).matches("[A-Za-z0-9_-]{43}");
            RawHttp.Response ok = UnixSocketHttp.get(socket, "/api/v1/daemon", token);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(ok.body()).get("pid").asLong()).isEqualTo(info.pid());
            assertThat(Json.MAPPER.readTree(ok.body()).get("state").asText()).isEqualTo("running");
            assertThat(UnixSocketHttp.get(socket, "/api/v1/deployments", null).status()).isEqualTo(401);
            assertThat(UnixSocketHttp.get(socket, "/api/v1/deployments/d1", token).status()).isEqualTo(200);

            assertThatThrownBy(() -> Daemon.start(options, new InMemoryFabricFactory()))
                    .isInstanceOf(DaemonLock.AlreadyRunningException.class)
                    .hasMessageContaining("already running").hasMessageContaining(dir.root().toString());
        } finally {
            daemon.stop("test");
        }
        assertThat(dir.infoFile()).doesNotExist();
        assertThat(socket).doesNotExist();
        assertThat(Files.readString(dir.root().resolve(InMemoryFabricFactory.SHUTDOWN_MARKER))).contains("stopInstances=false");
        assertThat(Files.readString(dir.logFile())).contains("csemu daemon stopped cleanly");

        // the same token on the next start; the lock is free again; a stale upload is removed
        String before = ApiToken.read(dir.tokenFile());
        Path stale = Files.writeString(dir.uploads().resolve("upload-1.part"), "half a package");
        Daemon again = Daemon.start(new DaemonOptions(dir, 0, null, true, false), new InMemoryFabricFactory());
        try {
            assertThat(ApiToken.read(dir.tokenFile())).isEqualTo(before);
            assertThat(stale).doesNotExist();
            assertThat(again.info().port()).isPositive();
        } finally {
            again.stop("test");
        }
        assertThat(Files.readString(dir.root().resolve(InMemoryFabricFactory.SHUTDOWN_MARKER))).contains("stopInstances=true");
    }

    @Test
    void aSocketPathThatIsARegularFileIsNotDeleted() throws Exception {
        DataDirectory dir = new DataDirectory(tmp.resolve("data"));
        Path notASocket = Files.writeString(tmp.resolve("precious.txt"), "keep me");
        assertThatThrownBy(() -> Daemon.start(new DaemonOptions(dir, 0, notASocket, false, false),
                new InMemoryFabricFactory())).hasMessageContaining("is not a socket");
        assertThat(Files.readString(notASocket)).isEqualTo("keep me");
        // the failed start released the data directory
        Daemon.start(new DaemonOptions(dir, 0, null, false, false), new InMemoryFabricFactory()).stop("test");
    }

    @Test
    void aTokenFileReadableByOthersIsTightened() throws Exception {
        Path file = tmp.resolve("api.token");
        Files.writeString(file, "abcdefghijklmnopqrstuvwxyz012345\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ApiToken.loadOrCreate(file)).isEqualTo("abcdefghijklmnopqrstuvwxyz012345");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    /** Two users' daemons on one host: the second finds 7070 taken and listens on a free port instead. */
    @Test
    void withoutAPortAskedForATaken7070MovesToAFreePort() throws Exception {
        java.net.ServerSocket holder = null;
        try {
            try {
                holder = new java.net.ServerSocket(DaemonOptions.DEFAULT_PORT, 1,
                        java.net.InetAddress.getLoopbackAddress());
            } catch (java.io.IOException taken) {
                // someone else's daemon holds it already: the same situation
            }
            Daemon daemon = Daemon.start(new DaemonOptions(new DataDirectory(tmp.resolve("second")),
                    DaemonOptions.PREFERRED_PORT, null, false, false), new InMemoryFabricFactory());
            try {
                assertThat(daemon.info().port()).isNotNull().isNotEqualTo(DaemonOptions.DEFAULT_PORT);
            } finally {
                daemon.stop("test");
            }
            DataDirectory exact = new DataDirectory(tmp.resolve("exact"));
            assertThatThrownBy(() -> Daemon.start(new DaemonOptions(exact, DaemonOptions.DEFAULT_PORT, null, false,
                    false), new InMemoryFabricFactory())).hasMessageContaining("cannot listen");
        } finally {
            if (holder != null) {
                holder.close();
            }
        }
        DaemonOptions preferred = new DaemonOptions(new DataDirectory(tmp), DaemonOptions.PREFERRED_PORT, null, false,
                false);
        assertThat(DaemonOptions.parse(preferred.toArguments())).isEqualTo(preferred);
    }

    @Test
    void optionsRoundTripThroughTheCommandLine() {
        DaemonOptions o = new DaemonOptions(new DataDirectory(tmp), 0, null, true, false);
        assertThat(DaemonOptions.parse(o.toArguments())).isEqualTo(o);
        // with a socket the port does not apply
        DaemonOptions s = new DaemonOptions(new DataDirectory(tmp), DaemonOptions.PREFERRED_PORT, tmp.resolve("s.sock"),
                false, true);
        assertThat(DaemonOptions.parse(s.toArguments())).isEqualTo(s);
        assertThatThrownBy(() -> DaemonOptions.parse(List.of("--port", "x"))).hasMessageContaining("--port");
        assertThatThrownBy(() -> DaemonOptions.parse(List.of("--bogus"))).hasMessageContaining("--bogus");
    }

    @Test
    void theDataDirectoryComesFromTheOptionTheEnvironmentOrTheDefault() {
        assertThat(DataDirectory.resolve(tmp, java.util.Map.of(DataDirectory.ENV, "/elsewhere")).root()).isEqualTo(tmp);
        assertThat(DataDirectory.resolve(null, java.util.Map.of(DataDirectory.ENV, "/elsewhere")).root())
                .isEqualTo(Path.of("/elsewhere"));
        assertThat(DataDirectory.resolve(null, java.util.Map.of()).root()).isEqualTo(Path.of("/var/lib/csemu"));
    }

    @Test
    void onlyACsemuDaemonOfThisDataDirectoryIsRecognised() {
        DataDirectory dir = new DataDirectory(Path.of("/var/lib/csemu"));
        Path cwd = Path.of("/home/u");
        assertThat(ProcessIdentity.isDaemonCommandLine(List.of("java", "-cp", "csemu.jar", DaemonMain.class.getName(),
                "--data-dir", "/var/lib/csemu"), cwd, dir)).isTrue();
        assertThat(ProcessIdentity.isDaemonCommandLine(List.of("java", "-cp", "csemu.jar", DaemonMain.class.getName(),
                "--data-dir", "/tmp/other"), cwd, dir)).isFalse();
        assertThat(ProcessIdentity.isDaemonCommandLine(List.of("java", "-jar", "/opt/csemu.jar", "daemon", "run",
                "--data-dir=../../var/lib/csemu"), cwd, dir)).isTrue();
        assertThat(ProcessIdentity.isDaemonCommandLine(List.of("java", "-jar", "/opt/csemu.jar", "daemon", "run"), cwd, dir))
                .isTrue();
        assertThat(ProcessIdentity.isDaemonCommandLine(List.of("sleep", "1000"), cwd, dir)).isFalse();
        assertThat(ProcessIdentity.isDaemonCommandLine(List.of(), cwd, dir)).isFalse();
        long self = ProcessHandle.current().pid();
        assertThat(ProcessIdentity.startTicks(self)).isPositive();
        assertThat(ProcessIdentity.commandLine(self)).isNotEmpty();
    }
}
