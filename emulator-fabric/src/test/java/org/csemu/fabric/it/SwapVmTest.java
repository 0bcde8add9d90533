package org.csemu.fabric.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * VIP swap in real guests: {@code samples/hello-web} in the production slot ("blue", greeting "Hello from csemu") and
 * a changed copy in the staging slot ("green", greeting "Hello from staging"), one instance each, both booted once
 * and shared by the tests. Under a bounded load of new connections on the production VIP a swap makes every
 * connection opened after it returned reach green (the greeting the guest serves), with zero failed requests; a
 * connection opened before it and still sending its request is answered by blue. The deployments keep their names and
 * exchange slots and ports. The fabric (and with it every domain of the class) is cleaned up by
 * {@link VmTestEnvironment} after the class, whether the tests passed or not.
 */
@VmTest
class SwapVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    private static final String BLUE_GREETING = "Hello from csemu";
    private static final String GREEN_GREETING = "Hello from staging";

    private static Fabric fabric;
    private static String blue;
    private static String green;

    /** Both deployments, created and awaited Ready (and answering through their own VIPs) once. */
    private static synchronized void deployments() throws Exception {
        if (fabric != null) {
            return;
        }
        Fabric f = ENV.start();
        Path sample = Path.of(System.getProperty("csemu.root", "..")).resolve("samples/hello-web");
        String cscfg = Files.readString(sample.resolve("ServiceConfiguration.cscfg"))
                .replace("<Instances count=\"2\" />", "<Instances count=\"1\" />");
        Path blueCfg = Files.writeString(ENV.dataDir().resolve("blue.cscfg"), cscfg);
        Path greenCfg = Files.writeString(ENV.dataDir().resolve("green.cscfg"),
                cscfg.replace("value=\"" + BLUE_GREETING + "\"", "value=\"" + GREEN_GREETING + "\""));
        String b = f.createDeployment("blue", Slot.PRODUCTION, sample, blueCfg).deploymentId();
        String g = f.createDeployment("green", Slot.STAGING, sample, greenCfg).deploymentId();
        FabricChecks.awaitAllReady(f, b, BOOT);
        FabricChecks.awaitAllReady(f, g, BOOT);
        // Ready comes as the role starts: wait until each guest serves its page through its own VIP
        awaitGreeting(httpPort(f, b), BLUE_GREETING);
        awaitGreeting(httpPort(f, g), GREEN_GREETING);
        fabric = f;
        blue = b;
        green = g;
    }

    @Test
    void aSwapUnderLoadSendsEveryNewConnectionToTheStagingCopyAtOnceWithZeroFailedRequests() throws Exception {
        deployments();
        String production = inSlot(Slot.PRODUCTION);
        String staging = inSlot(Slot.STAGING);
        int productionPort = httpPort(fabric, production);
        int stagingPort = httpPort(fabric, staging);
        String oldGreeting = greetingOf(production);
        String newGreeting = greetingOf(staging);
        int eventsBefore = fabric.events(staging).size();

        OperationRecord op;
        long swapCalled;
        long swapReturned;
        String inFlightAnswer;
        InstanceRef oldInstance = new InstanceRef(production, "WebRole1", "WebRole1_IN_0");
        try (Socket inFlight = new Socket()) {
            inFlight.connect(new InetSocketAddress("127.0.0.1", productionPort), 5000);
            inFlight.setSoTimeout(15000);
            OutputStream out = inFlight.getOutputStream();
            out.write("GET /greeting.txt HTTP/1.0\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush(); // the request is not complete yet: the connection is in flight across the swap
            Poller.standard().until("the connection in flight forwarded to " + oldInstance, Deadline.after(
                    Duration.ofSeconds(30)), () -> fabric.rotation().backendStats(oldInstance).get("Http").active() > 0);
            try (VipLoad load = new VipLoad(productionPort, "/greeting.txt")) {
                load.awaitAnswered(60);
                swapCalled = System.nanoTime();
                op = fabric.swap(staging);
                swapReturned = System.nanoTime();

                out.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                inFlightAnswer = body(inFlight.getInputStream());
                load.awaitAnswered(load.answered() + 150);
                load.close();
                System.out.println("swap under load: " + load.answered() + " answered, " + load.failures().size()
                        + " failed " + load.failures() + "; the swap call took "
                        + Duration.ofNanos(swapReturned - swapCalled).toMillis() + " ms, " + load.answers().stream()
                        .filter(a -> a.openedNanos() >= swapCalled && a.openedNanos() <= swapReturned).count()
                        + " connection(s) opened during it");
                assertThat(load.failures()).as("failed requests across the swap").isEmpty();
                assertThat(load.answers()).filteredOn(a -> a.openedNanos() > swapReturned)
                        .as("connections opened after the swap returned").isNotEmpty()
                        .allSatisfy(a -> assertThat(a.greeting()).isEqualTo(newGreeting));
                assertThat(load.answers()).filteredOn(a -> a.openedNanos() < swapCalled)
                        .as("connections opened before the swap").extracting(VipLoad.Answer::greeting).contains(oldGreeting);
                // one switch per client: a connection accepted right at the swap may go either way, but once a
                // client has reached the new deployment it never reaches the old one again
                for (int client = 0; client < VipLoad.CLIENTS; client++) {
                    int c = client;
                    List<String> seen = load.answers().stream().filter(a -> a.client() == c)
                            .sorted(java.util.Comparator.comparingLong(VipLoad.Answer::openedNanos)).map(VipLoad.Answer::greeting)
                            .toList();
                    int firstNew = seen.indexOf(newGreeting);
                    assertThat(firstNew).as("client " + c + " reached the new deployment").isNotNegative();
                    assertThat(seen.subList(firstNew, seen.size())).as("client " + c + " after its first new answer")
                            .containsOnly(newGreeting);
                    assertThat(seen.subList(0, firstNew)).containsOnly(oldGreeting);
                }
            }
        }
        assertThat(inFlightAnswer).as("the connection in flight finishes on the deployment it started on")
                .isEqualTo(oldGreeting);

        assertThat(op.status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(fabric.deployment(staging).orElseThrow().slot()).isEqualTo(Slot.PRODUCTION);
        assertThat(fabric.deployment(production).orElseThrow().slot()).isEqualTo(Slot.STAGING);
        assertThat(httpPort(fabric, staging)).as("the production VIP's port").isEqualTo(productionPort);
        assertThat(httpPort(fabric, production)).isEqualTo(stagingPort);
        assertThat(FabricChecks.get("127.0.0.1", stagingPort, "/greeting.txt").trim())
                .as("the staging VIP now reaches the former production deployment").isEqualTo(oldGreeting);
        List<LifecycleEvent> steps = fabric.events(staging).subList(eventsBefore, fabric.events(staging).size())
                .stream().filter(e -> e.instanceId() == null).toList();
        assertThat(steps).extracting(LifecycleEvent::operationId).containsOnly(op.id());
        assertThat(steps).extracting(LifecycleEvent::cause).anyMatch(c -> c.startsWith("vip swap started"))
                .contains("vip swap slot changed");
        assertThat(fabric.deployment(blue).orElseThrow().name()).isEqualTo("blue");
    }

    @Test
    void swappingAgainPutsTheOtherDeploymentBackOnTheProductionVipWithZeroFailedRequests() throws Exception {
        deployments();
        String production = inSlot(Slot.PRODUCTION);
        String staging = inSlot(Slot.STAGING);
        int productionPort = httpPort(fabric, production);
        String newGreeting = greetingOf(staging);
        try (VipLoad load = new VipLoad(productionPort, "/greeting.txt")) {
            load.awaitAnswered(60);
            fabric.swap(production); // either deployment names the swap
            long swapped = System.nanoTime();
            load.awaitAnswered(load.answered() + 150);
            load.close();
            assertThat(load.failures()).as("failed requests across the swap").isEmpty();
            assertThat(load.answers()).filteredOn(a -> a.openedNanos() > swapped).isNotEmpty()
                    .allSatisfy(a -> assertThat(a.greeting()).isEqualTo(newGreeting));
        }
        assertThat(fabric.deployment(staging).orElseThrow().slot()).isEqualTo(Slot.PRODUCTION);
        assertThat(httpPort(fabric, staging)).isEqualTo(productionPort);
    }

    private static String inSlot(Slot slot) {
        return List.of(blue, green).stream().filter(id -> fabric.deployment(id).orElseThrow().slot() == slot)
                .findFirst().orElseThrow();
    }

    private static String greetingOf(String deploymentId) {
        return deploymentId.equals(blue) ? BLUE_GREETING : GREEN_GREETING;
    }

    private static int httpPort(Fabric f, String deploymentId) {
        return f.endpoints(deploymentId).stream().filter(e -> e.instanceId() == null && e.endpoint().equals("Http"))
                .map(VipEndpoint::boundPort).findFirst().orElseThrow();
    }

    private static void awaitGreeting(int port, String greeting) throws Exception {
        Poller.standard().until(greeting + " on port " + port, Deadline.after(BOOT), () -> {
            try {
                return FabricChecks.get("127.0.0.1", port, "/greeting.txt").trim().equals(greeting);
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    /** The body of an HTTP/1.0 response read to its end, trimmed; the status must be 200. */
    private static String body(InputStream in) throws java.io.IOException {
        String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(response).startsWith("HTTP/1.").contains(" 200 ");
        return response.substring(response.indexOf("\r\n\r\n") + 4).trim();
    }
}
