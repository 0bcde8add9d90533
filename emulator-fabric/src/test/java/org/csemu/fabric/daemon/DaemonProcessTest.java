package org.csemu.fabric.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csemu.fabric.api.server.Json;
import org.csemu.fabric.api.testing.InMemoryFabricFactory;
import org.csemu.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a real process (a child JVM on the test classpath, the in-memory fabric): started in the
 * background, reachable with its token, a second one refused, SIGTERM shuts it down cleanly. Killed by pid in any case.
 */
class DaemonProcessTest {

    @TempDir
    Path tmp;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process spawn(DaemonOptions options) throws Exception {
        Process p = DaemonLauncher.spawn(options);
        started.add(p);
        return p;
    }

    @Test
    void backgroundDaemonServesRefusesASecondAndStopsCleanlyOnSigterm() throws Exception {
        DataDirectory dir = new DataDirectory(tmp.resolve("data"));
        DaemonOptions options = new DaemonOptions(dir, 0, null, false, false);
        Process daemon = spawn(options);
        Await.until(Duration.ofSeconds(60), () -> {
            assertThat(daemon.isAlive()).as("daemon alive; log:%n%s", log(dir)).isTrue();
            return Files.exists(dir.infoFile());
        }, "daemon.json of the child daemon");
        DaemonInfo info = DaemonInfoFile.read(dir.infoFile()).orElseThrow();
        assertThat(ProcessIdentity.isDaemonOf(info, dir)).isTrue();
        assertThat(ProcessIdentity.isDaemonOf(info, new DataDirectory(tmp.resolve("other")))).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.tokenFile()))).isEqualTo("rw-------");

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(info.url() + "/api/v1/daemon"))
                .header("Authorization", "Bearer " + ApiToken.read(dir.tokenFile())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body()).get("pid").asLong()).isEqualTo(info.pid());

        Process second = spawn(options);
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(log(dir)).contains("another csemu daemon (pid " + info.pid() + ") is already running");
        assertThat(daemon.isAlive()).isTrue();

        ProcessHandle.of(info.pid()).orElseThrow().destroy(); // SIGTERM
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(log(dir)).contains("csemu daemon shutting down (signal); instances keep running")
                .contains("csemu daemon stopped cleanly");
        assertThat(Files.readString(dir.root().resolve(InMemoryFabricFactory.SHUTDOWN_MARKER)))
                .isEqualTo("stopInstances=false\n");
        assertThat(dir.infoFile()).doesNotExist();
    }

    private static String log(DataDirectory dir) {
        try {
            return Files.exists(dir.logFile()) ? Files.readString(dir.logFile()) : "(no log)";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
