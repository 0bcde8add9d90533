package org.csemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.csemu.fabric.daemon.DaemonInfo;
import org.csemu.fabric.daemon.DaemonInfoFile;
import org.csemu.fabric.daemon.DataDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code csemu daemon start|status|stop} for real: the daemon is a background child JVM on the test classpath
 * (with a fabric that has nothing in it). Any daemon left behind is killed by the pid in its daemon.json.
 */
class DaemonCommandTest {

    @TempDir
    Path tmp;

    @AfterEach
    void killLeftovers() throws Exception {
        Optional<DaemonInfo> info = DaemonInfoFile.read(new DataDirectory(tmp.resolve("data")).infoFile());
        if (info.isPresent()) {
            ProcessHandle.of(info.get().pid()).ifPresent(p -> {
                if (org.csemu.fabric.daemon.ProcessIdentity.isDaemonOf(info.get(), new DataDirectory(tmp.resolve("data")))) {
                    p.destroyForcibly();
                }
            });
        }
    }

    @Test
    void startStatusStopStatus() throws Exception {
        String data = tmp.resolve("data").toString();
        CliRun status0 = CliRun.of("daemon", "status", "--data-dir", data);
        assertThat(status0.exitCode()).isEqualTo(ExitCodes.NOT_RUNNING);

        CliRun start = CliRun.of("daemon", "start", "--data-dir", data, "--port", "0");
        assertThat(start.exitCode()).as(start.err()).isEqualTo(ExitCodes.OK);
        assertThat(start.out()).containsPattern("csemu daemon running at http://127\\.0\\.0\\.1:\\d+ \\(pid \\d+");
        DataDirectory dir = new DataDirectory(Path.of(data));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.tokenFile()))).isEqualTo("rw-------");
        DaemonInfo info = DaemonInfoFile.read(dir.infoFile()).orElseThrow();

        CliRun status = CliRun.of("daemon", "status", "--data-dir", data);
        assertThat(status.exitCode()).as(status.err()).isEqualTo(ExitCodes.OK);
        assertThat(status.out()).contains("running at " + info.url()).contains("pid " + info.pid());
        CliRun json = CliRun.of("daemon", "status", "--data-dir", data, "--json");
        assertThat(json.out()).contains("\"pid\" : " + info.pid());

        CliRun again = CliRun.of("daemon", "start", "--data-dir", data, "--port", "0");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(again.out()).contains("already running");

        CliRun stop = CliRun.of("daemon", "stop", "--data-dir", data);
        assertThat(stop.exitCode()).as(stop.err()).isEqualTo(ExitCodes.OK);
        assertThat(stop.out()).contains("(pid " + info.pid() + ") stopped");
        assertThat(ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.readString(dir.logFile())).contains("csemu daemon stopped cleanly");

        CliRun after = CliRun.of("daemon", "status", "--data-dir", data);
        assertThat(after.exitCode()).isEqualTo(ExitCodes.NOT_RUNNING);
        assertThat(after.out()).contains("not running");
        assertThat(CliRun.of("daemon", "stop", "--data-dir", data).exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aDaemonThatCannotStartIsReportedWithItsLog() throws Exception {
        String data = tmp.resolve("data").toString();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun start = CliRun.of("daemon", "start", "--data-dir", data, "--port", Integer.toString(taken.getLocalPort()));
            assertThat(start.exitCode()).isEqualTo(ExitCodes.DAEMON_ERROR);
            assertThat(start.err()).contains("exited with status 1").contains("cannot listen on 127.0.0.1 port "
                    + taken.getLocalPort());
        }
    }

    @Test
    void aStaleDaemonJsonIsNotTakenForADaemon() throws Exception {
        DataDirectory dir = new DataDirectory(tmp.resolve("data"));
        dir.create();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        DaemonInfoFile.write(dir.infoFile(), new DaemonInfo(gone.pid(), 1, 1, null, "http://127.0.0.1:1",
                java.time.Instant.now(), "x", dir.toString()));
        Files.writeString(dir.lockFile(), gone.pid() + "\n");
        assertThat(CliRun.of("daemon", "status", "--data-dir", dir.toString()).exitCode()).isEqualTo(ExitCodes.NOT_RUNNING);
        CliRun stop = CliRun.of("daemon", "stop", "--data-dir", dir.toString());
        assertThat(stop.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(stop.out()).contains("removed a stale");
        assertThat(dir.infoFile()).doesNotExist();
    }
}
