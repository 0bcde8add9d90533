package org.csemu.fabric.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.readiness.InstancesReady.Instance;
import org.csemu.fabric.readiness.InstancesReady.Snapshot;
import org.csemu.fabric.readiness.Ready.Status;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.junit.jupiter.api.Test;

class ReadyTest {

    private static final Poller FAST = Poller.every(Duration.ofMillis(1));

    @Test
    void awaitReturnsTheFirstReadyLookAndTheLastNotYetAtTheDeadline() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        Ready third = () -> looks.incrementAndGet() < 3 ? Status.notYet("look " + looks.get()) : Status.ready();
        assertThat(third.await(Deadline.after(Duration.ofSeconds(10)), FAST).isReady()).isTrue();
        assertThat(looks).hasValue(3);

        Status never = ((Ready) () -> Status.notYet("still booting")).await(Deadline.after(Duration.ofMillis(30)), FAST);
        assertThat(never.outcome()).isEqualTo(Status.Outcome.NOT_YET);
        assertThat(never.detail()).isEqualTo("still booting");
    }

    @Test
    void aFailedLookOrAnExceptionEndsTheWaitAtOnce() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        Ready failing = () -> {
            looks.incrementAndGet();
            return Status.failed("FailedStartingVM");
        };
        assertThat(failing.await(Deadline.after(Duration.ofMinutes(5)), FAST).isFailed()).isTrue();
        assertThat(looks).hasValue(1);
        Ready broken = () -> {
            throw new IOException("daemon gone");
        };
        assertThatThrownBy(() -> broken.await(Deadline.after(Duration.ofMinutes(5)), FAST)).hasMessage("daemon gone");
    }

    @Test
    void allOfAsksAPartUntilItIsReadyAndNamesEveryPartStillWaiting() throws Exception {
        AtomicInteger aLooks = new AtomicInteger();
        Ready a = () -> aLooks.incrementAndGet() >= 1 ? Status.ready() : Status.notYet("a");
        Ready b = () -> Status.notYet("b silent");
        Ready c = () -> Status.notYet("c silent");
        Ready all = Ready.allOf(List.of(a, b, c));
        assertThat(all.check()).isEqualTo(Status.notYet("b silent, c silent"));
        assertThat(all.check()).isEqualTo(Status.notYet("b silent, c silent"));
        assertThat(aLooks).as("a was ready once: not asked again").hasValue(1);

        Ready failing = Ready.allOf(List.of(() -> Status.failed("x failed"), b));
        assertThat(failing.check()).isEqualTo(Status.failed("x failed"));
        assertThat(Ready.allOf(List.of(a, () -> Status.ready())).check().isReady()).isTrue();
    }

    @Test
    void instancesAreReadyWhenAllAreReadyRoleAndAsManyAsExpected() throws Exception {
        Instance in0 = new Instance("Web_IN_0", InstanceState.READY_ROLE);
        Instance in1 = new Instance("Web_IN_1", InstanceState.STARTING_ROLE);
        Instance failed = new Instance("Web_IN_1", InstanceState.FAILED_STARTING_ROLE);
        assertThat(InstancesReady.of(() -> Snapshot.of(List.of(in0), 1)).check().isReady()).isTrue();
        assertThat(InstancesReady.of(() -> Snapshot.of(List.of(in0, in1), 2)).check())
                .isEqualTo(Status.notYet("Web_IN_1 StartingRole"));
        assertThat(InstancesReady.of(() -> Snapshot.of(List.of(in0), 2)).check()).isEqualTo(Status.notYet("1 of 2 instances"));
        assertThat(InstancesReady.of(() -> Snapshot.all(List.of())).check().isReady()).isFalse();
        assertThat(InstancesReady.of(() -> Snapshot.of(List.of(in0, failed), 2)).check().outcome())
                .isEqualTo(Status.Outcome.NOT_YET);
        assertThat(InstancesReady.of(() -> Snapshot.of(List.of(in0, failed), 2)).failingOnFailedStart().check())
                .isEqualTo(Status.failed("Web_IN_1 FailedStartingRole"));
        Instance notRunnable = new Instance("Worker_IN_0", InstanceState.BUSY_ROLE, InstancesReady.NOT_RUNNABLE,
                "its NetFxEntryPoint 'W.dll' is a .NET assembly");
        assertThat(InstancesReady.of(() -> Snapshot.of(List.of(in0, notRunnable), 2)).check())
                .as("never Ready: a definite answer even without failingOnFailedStart")
                .isEqualTo(Status.failed("Worker_IN_0 BusyRole (RoleNotRunnable): its NetFxEntryPoint 'W.dll' is a .NET"
                        + " assembly"));
    }

    @Test
    void anEndpointAnswersWithAnythingBelow500() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int[] status = {503};
        server.createContext("/", x -> {
            x.sendResponseHeaders(status[0], -1);
            x.close();
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            EndpointAnswers http = new EndpointAnswers(EndpointAnswers.client(), "Http", url);
            assertThat(http.check()).isEqualTo(Status.notYet("Http " + url));
            status[0] = 404;
            assertThat(http.check().isReady()).isTrue();
        } finally {
            server.stop(0);
        }
        URI closed = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        assertThat(new EndpointAnswers(EndpointAnswers.client(), "Http", closed).check().isReady()).isFalse();
    }
}
