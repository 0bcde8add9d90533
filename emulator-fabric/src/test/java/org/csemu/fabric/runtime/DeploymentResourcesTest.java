package org.csemu.fabric.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.DesiredPower;
import org.csemu.fabric.deployment.FabricModel;
import org.csemu.fabric.deployment.InstanceRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.image.ImageRepository;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.SystemScheduler;
import org.csemu.fabric.service.InstanceBlueprints;
import org.csemu.fabric.service.InstanceNetwork;
import org.csemu.fabric.service.LoadedService;
import org.csemu.fabric.service.NetworkAllocator;
import org.csemu.fabric.service.ServiceSource;
import org.csemu.fabric.service.ServiceStore;
import org.csemu.fabric.vm.PortForward;
import org.csemu.lb.AccessControlList;
import org.csemu.lb.AclRule;
import org.csemu.lb.BoundListener;
import org.csemu.lb.Subnet;
import org.csemu.lb.Distribution;
import org.csemu.lb.ProbeSpec;
import org.csemu.lb.VipLoadBalancer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment's endpoints on the real LB without VMs: the input endpoint's listener carries the csdef's probe,
 * distribution and idle timeout, {@code localPort="*"} and a port-less internal endpoint get assigned guest ports,
 * each instance input endpoint gets its own listener from the declared range with that instance as its only
 * backend, a restarted fabric binds the same ports again, and detaching closes everything.
 */
class DeploymentResourcesTest {
    @TempDir
    Path data;

    @Test
    void endpointsOfEveryKindAreBoundAsTheDefinitionSaysAndRestoredAfterARestart() throws Exception {
        Path service = Path.of(DeploymentResourcesTest.class.getResource("/services/endpoints").toURI());
        int httpPort;
        List<Integer> publicPorts = new ArrayList<>();
        try (VipLoadBalancer lb = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = resources(rotation, model);
            ServiceSource source = ServiceSource.resolve(service, null, data.resolve("tmp"));
            resources.services().stage("ep", source);
            source.cleanup();
            model.addDeployment(record());

            resources.attach(model.requireDeployment("dep1"));
            VipRotation.EndpointListener http = rotation.endpointListeners("dep1").get(0);
            BoundListener l = http.listener();
            httpPort = l.port();
            assertThat(l.spec().distribution()).isEqualTo(Distribution.SOURCE_IP);
            assertThat(l.spec().probe().kind()).isEqualTo(ProbeSpec.Kind.HTTP);
            assertThat(l.spec().probe().path()).isEqualTo("/health");
            assertThat(l.spec().idleTimeout()).hasMinutes(10);
            assertThat(l.backends()).extracting(b -> b.id()).containsExactlyInAnyOrder("Web_IN_0", "Web_IN_1");

            InstanceNetwork n0 = resources.network().instance("dep1", "Web_IN_0").orElseThrow();
            assertThat(n0.localPorts()).containsEntry("Http", 20000).containsEntry("Direct", 7000);
            assertThat(n0.localPorts().get("Gossip")).isEqualTo(20001);
            assertThat(n0.peerPorts()).containsOnlyKeys("Gossip");
            assertThat(l.backends()).filteredOn(b -> b.id().equals("Web_IN_0")).singleElement()
                    .satisfies(b -> {
                        assertThat(b.host()).isEqualTo(n0.address());
                        assertThat(b.port()).isEqualTo(n0.hostPorts().get("Http"));
                    });
            for (String instance : List.of("Web_IN_0", "Web_IN_1")) {
                List<BoundListener> own = rotation.instanceListeners(new InstanceRef("dep1", "Web", instance));
                assertThat(own).singleElement().satisfies(o -> {
                    assertThat(o.port()).isBetween(30100, 30120);
                    assertThat(o.backends()).singleElement().satisfies(b -> assertThat(b.id()).isEqualTo(instance));
                    publicPorts.add(o.port());
                });
            }
            assertThat(publicPorts).doesNotHaveDuplicates();
            assertThat(resources.endpoints(model.requireDeployment("dep1"))).extracting(VipEndpoint::endpoint)
                    .containsExactly("Http", "Direct", "Direct");
            assertThat(resources.endpoints(model.requireDeployment("dep1")).get(0).describePort())
                    .isEqualTo(httpPort == 8095 ? "8095" : "8095 -> " + httpPort);
        }
        // a new fabric on the same data directory binds the same ports again
        try (VipLoadBalancer lb = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = resources(rotation, model);
            resources.attach(model.requireDeployment("dep1"));
            assertThat(rotation.endpointListeners("dep1").get(0).listener().port()).isEqualTo(httpPort);
            assertThat(resources.endpoints(model.requireDeployment("dep1")).stream().filter(e -> e.instanceId() != null)
                    .map(VipEndpoint::boundPort).toList()).containsExactlyElementsOf(publicPorts);
            InstancePlan plan = resources.plan(model.requireDeployment("dep1"), new org.csemu.fabric.spi.InstanceSpec(
                    new InstanceRef("dep1", "Web", "Web_IN_1"), org.csemu.core.model.RoleKind.WORKER_ROLE, 1, 1, 1,
                    1, 0, List.of(), null, null));
            assertThat(plan.forwards()).hasSize(4); // Http, Gossip (+ its peer port on 127.0.0.1), Direct
            resources.detach("dep1");
            assertThat(lb.listeners()).isEmpty();
            assertThat(resources.network().instance("dep1", "Web_IN_0")).isEmpty();
        }
    }

    @Test
    void aProbeOnAPortOfItsOwnIsForwardedLikeAnEndpointOnTheSameHostPortOfEveryInstance() throws Exception {
        Path service = Path.of(DeploymentResourcesTest.class.getResource("/services/probes").toURI());
        try (VipLoadBalancer lb = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = resources(rotation, model);
            ServiceSource source = ServiceSource.resolve(service, null, data.resolve("tmp"));
            resources.services().stage("ep", source);
            source.cleanup();
            model.addDeployment(record());
            resources.attach(model.requireDeployment("dep1"));

            VipRotation.EndpointListener http = rotation.endpointListeners("dep1").get(0);
            VipRotation.EndpointListener raw = rotation.endpointListeners("dep1").get(1);
            assertThat(http.listener().spec().probe().kind()).isEqualTo(ProbeSpec.Kind.HTTP);
            assertThat(http.listener().spec().probe().port()).isEqualTo(8101);
            assertThat(raw.listener().spec().probe().kind()).isEqualTo(ProbeSpec.Kind.TCP);
            assertThat(raw.listener().spec().probe().port()).isEqualTo(8103);
            for (String instance : List.of("Web_IN_0", "Web_IN_1")) {
                InstanceNetwork n = resources.network().instance("dep1", instance).orElseThrow();
                // visible in the instance's status like an endpoint, on the port the LB probes
                assertThat(n.localPorts()).containsEntry("probe:health", 8101).containsEntry("probe:alive", 8103);
                assertThat(n.hostPorts()).containsEntry("probe:health", 8101).containsEntry("probe:alive", 8103);
                InstancePlan plan = resources.plan(model.requireDeployment("dep1"),
                        new org.csemu.fabric.spi.InstanceSpec(new InstanceRef("dep1", "Web", instance),
                                org.csemu.core.model.RoleKind.WORKER_ROLE, instance.endsWith("0") ? 0 : 1, 0, 0, 1, 0,
                                List.of(), null, null));
                assertThat(plan.forwards()).as("Http, Raw and both probes")
                        .anySatisfy(f -> assertThat(f.guestPort()).isEqualTo(8101))
                        .anySatisfy(f -> assertThat(f.guestPort()).isEqualTo(8103)).hasSize(4);
            }
            resources.detach("dep1");
        }
    }

    @Test
    void endpointAclsReachTheListenersOfTheirEndpointsAndDenyAtTheVip() throws Exception {
        try (VipLoadBalancer lb = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = attached("/services/netrules", rotation, model);

            AccessControlList expected = new AccessControlList("only-2", List.of(
                    new AclRule(100, AclRule.Action.PERMIT, Subnet.parse("127.0.0.2/32"), "the one client"),
                    new AclRule(200, AclRule.Action.DENY, Subnet.parse("127.0.0.0/8"), "the rest of loopback")));
            BoundListener http = rotation.endpointListeners("dep1").get(0).listener();
            assertThat(http.spec().accessControl()).isEqualTo(expected);
            for (String instance : List.of("Web_IN_0", "Web_IN_1")) { // EndpointAcl on an instance input endpoint
                assertThat(rotation.instanceListeners(new InstanceRef("dep1", "Web", instance))).singleElement()
                        .satisfies(l -> assertThat(l.spec().accessControl()).isEqualTo(expected));
            }

            // the VIP enforces it: a stand-in for Web_IN_0's forward answers on its address and port
            InstanceNetwork n0 = resources.network().instance("dep1", "Web_IN_0").orElseThrow();
            try (ServerSocket guest = new ServerSocket()) {
                guest.bind(new InetSocketAddress(n0.address(), n0.hostPorts().get("Http")));
                Thread answering = new Thread(() -> answerEach(guest), "guest-stand-in");
                answering.start();
                http.backends().stream().filter(b -> b.id().equals("Web_IN_0")).findFirst().orElseThrow()
                        .setEligible(true);
                assertThat(firstLine("127.0.0.2", http.port())).isEqualTo("hello");
                assertThat(firstLine("127.0.0.3", http.port())).isNull();
                assertThat(http.stats().deniedByAcl()).isEqualTo(1);
                assertThat(resources.endpoints(model.requireDeployment("dep1"))).filteredOn(e -> e.instanceId() == null)
                        .singleElement().satisfies(e -> {
                            assertThat(e.accessControl()).isEqualTo("only-2");
                            assertThat(e.deniedByAcl()).isEqualTo(1);
                        });
                assertThat(http.backends()).filteredOn(b -> b.id().equals("Web_IN_0")).singleElement()
                        .satisfies(b -> assertThat(b.stats().connections()).isEqualTo(1));
                guest.close();
                answering.join();
            }
            resources.detach("dep1");
        }
    }

    @Test
    void anUpdatedConfigurationsAclsReachTheSameListenersAtOnce() throws Exception {
        try (VipLoadBalancer lb = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = attached("/services/netrules", rotation, model);
            BoundListener http = rotation.endpointListeners("dep1").get(0).listener();
            int port = http.port();

            // Http loses its ACL; Direct's list now permits 127.0.0.3 only
            Path cscfg = data.resolve("updated.cscfg");
            Files.writeString(cscfg, Files.readString(Path.of(DeploymentResourcesTest.class
                    .getResource("/services/netrules/ServiceConfiguration.cscfg").toURI()))
                    .replace("      <EndpointAcl role=\"Web\" endPoint=\"Http\" accessControl=\"only-2\" />\n", "")
                    .replace("127.0.0.2/32", "127.0.0.3/32"));
            var next = resources.services().validateConfiguration("dep1", 0, cscfg);
            assertThat(next.ok()).as(next.diagnostics().toString()).isTrue();
            LoadedService stored = resources.services().reconfigure("dep1", 0, 1, Files.readAllBytes(cscfg),
                    next.configuration().orElseThrow());
            resources.applyAccessControls(model.requireDeployment("dep1"), stored);

            assertThat(rotation.endpointListeners("dep1").get(0).listener()).isSameAs(http);
            assertThat(http.port()).as("the same listener, not rebound").isEqualTo(port);
            assertThat(http.spec().accessControl()).isNull();
            for (String instance : List.of("Web_IN_0", "Web_IN_1")) {
                assertThat(rotation.instanceListeners(new InstanceRef("dep1", "Web", instance))).singleElement()
                        .satisfies(l -> assertThat(l.spec().accessControl().rules()).extracting(r -> r.remoteSubnet()
                                .toString()).containsExactly("127.0.0.3/32", "127.0.0.0/8"));
            }
            assertThat(resources.endpoints(model.requireDeployment("dep1"))).filteredOn(e -> e.instanceId() == null)
                    .singleElement().satisfies(e -> assertThat(e.accessControl()).isNull());
            resources.detach("dep1");
        }
    }

    @Test
    void everyPortOfAFixedPortRangeIsForwardedOnContiguousHostAndPeerPorts() throws Exception {
        try (VipLoadBalancer lb = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = attached("/services/netrules", rotation, model);
            List<Integer> peers = new ArrayList<>();
            for (String instance : List.of("Web_IN_0", "Web_IN_1")) {
                InstanceNetwork n = resources.network().instance("dep1", instance).orElseThrow();
                assertThat(n.localPorts()).containsEntry("Range", 7101).containsEntry("Range#7102", 7102)
                        .containsEntry("Range#7103", 7103);
                int host = n.hostPorts().get("Range");
                int peer = n.peerPorts().get("Range");
                assertThat(List.of(n.hostPorts().get("Range#7102"), n.hostPorts().get("Range#7103")))
                        .containsExactly(host + 1, host + 2);
                assertThat(List.of(n.peerPorts().get("Range#7102"), n.peerPorts().get("Range#7103")))
                        .containsExactly(peer + 1, peer + 2);
                peers.addAll(List.of(peer, peer + 1, peer + 2));

                InstancePlan plan = resources.plan(model.requireDeployment("dep1"),
                        new org.csemu.fabric.spi.InstanceSpec(new InstanceRef("dep1", "Web", instance),
                                org.csemu.core.model.RoleKind.WORKER_ROLE, instance.endsWith("0") ? 0 : 1, 0, 0, 1, 0,
                                List.of(), null, null));
                List<String> hostfwd = plan.forwards().stream().map(PortForward::hostfwd).toList();
                for (int k = 0; k < 3; k++) { // the host path (instance address) and the peer path (10.0.2.2)
                    // both lead to the port's traffic gate, on the peer port number; the gate passes to 7101 + k
                    assertThat(hostfwd).contains("tcp:" + n.address() + ":" + (host + k) + "-:" + (peer + k),
                            "tcp:127.0.0.1:" + (peer + k) + "-:" + (peer + k));
                }
                assertThat(plan.configDrive().gates().gates()).extracting(g -> g.port() + ">" + g.target())
                        .containsExactly(peer + ">7101", (peer + 1) + ">7102", (peer + 2) + ">7103");
                assertThat(hostfwd).as("Http, Direct, three Range ports with their peer forwards").hasSize(8);
            }
            assertThat(peers).as("the two instances' peer blocks do not overlap").doesNotHaveDuplicates();
            resources.detach("dep1");
        }
    }

    @Test
    void aSwapPutsEveryListenerOnTheOtherDeploymentsPortAndARestartedFabricBindsThemThere() throws Exception {
        int blueHttp;
        int greenHttp;
        int greenAdmin;
        try (VipLoadBalancer lb = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = resources(rotation, model);
            DeploymentRecord blue = staged("blue", Slot.PRODUCTION, resources, model);
            DeploymentRecord green = staged("green", Slot.STAGING, resources, model);
            blueHttp = vipPort(rotation, "blue", "Http");
            greenHttp = vipPort(rotation, "green", "Http");
            greenAdmin = vipPort(rotation, "green", "Admin");
            try (ServerSocket blueGuest = standIn(resources, rotation, "blue");
                 ServerSocket greenGuest = standIn(resources, rotation, "green")) {
                assertThat(firstLine("127.0.0.1", blueHttp)).isEqualTo("blue");

                java.util.Map<String, Integer> ports = resources.plan("blue", "green");
                assertThat(ports).containsEntry("blue/Web/Http", greenHttp).containsEntry("green/Web/Http", blueHttp)
                        .containsEntry("blue/Web/Admin", greenAdmin).hasSize(4);
                assertThat(resources.apply(ports)).as("one move per endpoint pair").hasSize(2)
                        .contains("blue/Web/Http: " + blueHttp + " -> " + greenHttp);

                assertThat(firstLine("127.0.0.1", blueHttp)).as("the production VIP reaches green").isEqualTo("green");
                assertThat(firstLine("127.0.0.1", greenHttp)).isEqualTo("blue");
                assertThat(resources.endpoints(blue)).filteredOn(e -> e.endpoint().equals("Http")).singleElement()
                        .satisfies(e -> assertThat(e.boundPort()).isEqualTo(greenHttp));
                assertThat(resources.apply(ports)).as("applied again: nothing left to move").isEmpty();
                assertThat(firstLine("127.0.0.1", blueHttp)).isEqualTo("green");
            }
        }
        // a new fabric on the same data directory binds each listener where the swap put it
        try (VipLoadBalancer lb = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = resources(rotation, model);
            resources.attach(model.requireDeployment("green"));
            resources.attach(model.requireDeployment("blue"));
            assertThat(vipPort(rotation, "blue", "Http")).isEqualTo(greenHttp);
            assertThat(vipPort(rotation, "green", "Http")).isEqualTo(blueHttp);
            assertThat(vipPort(rotation, "blue", "Admin")).isEqualTo(greenAdmin);
            resources.detach("blue");
            resources.detach("green");
        }
    }

    /**
     * A daemon killed after the first of a swap's two listener moves, before any port was recorded, with the VIP in its
     * JVM (so it dies too): the next fabric binds every listener on its recorded (pre-swap) port, and applying the
     * swap's ports again (what resuming it does) puts every listener where the swap puts it.
     */
    @Test
    void aSwapCutAfterItsFirstListenerMoveIsCompletedOnAFreshVip() throws Exception {
        java.util.Map<String, Integer> ports;
        int blueHttp;
        int greenHttp;
        try (VipLoadBalancer lb = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = resources(rotation, model);
            staged("blue", Slot.PRODUCTION, resources, model);
            staged("green", Slot.STAGING, resources, model);
            blueHttp = vipPort(rotation, "blue", "Http");
            greenHttp = vipPort(rotation, "green", "Http");
            ports = resources.plan("blue", "green");
            lb.swapPorts("blue/Web/Admin", "green/Web/Admin"); // the first move (Admin sorts first); then the kill
        }
        try (VipLoadBalancer lb = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = resources(rotation, model);
            resources.attach(model.requireDeployment("blue"));
            resources.attach(model.requireDeployment("green"));
            assertThat(vipPort(rotation, "blue", "Http")).as("bound where network.json had it").isEqualTo(blueHttp);

            assertThat(resources.apply(ports)).hasSize(2);

            try (ServerSocket greenGuest = standIn(resources, rotation, "green")) {
                assertThat(firstLine("127.0.0.1", blueHttp)).isEqualTo("green");
            }
            ports.forEach((name, port) -> assertThat(lb.listener(name).orElseThrow().port()).as(name).isEqualTo(port));
            assertThat(vipPort(rotation, "green", "Http")).isEqualTo(blueHttp);
            assertThat(vipPort(rotation, "blue", "Http")).isEqualTo(greenHttp);
            resources.detach("blue");
            resources.detach("green");
        }
    }

    /**
     * The LB process applied a swap twice (its reply lost on a dropped control connection, the call retried after the
     * reconnect): the listener is back where it was, and apply's next pass moves it.
     */
    @Test
    void aSwapTheLbAppliedTwiceIsCaughtByTheNextPass() throws Exception {
        try (VipLoadBalancer real = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            org.csemu.lb.LoadBalancer lb = new org.csemu.lb.LoadBalancer() {
                @Override
                public String transportName() {
                    return real.transportName();
                }

                @Override
                public BoundListener addListener(org.csemu.lb.ListenerSpec spec) {
                    return real.addListener(spec);
                }

                @Override
                public boolean removeListener(String name) {
                    return real.removeListener(name);
                }

                @Override
                public java.util.Optional<BoundListener> listener(String name) {
                    return real.listener(name);
                }

                @Override
                public List<BoundListener> listeners() {
                    return real.listeners();
                }

                @Override
                public void swapPorts(String a, String b) {
                    real.swapPorts(a, b);
                    if (first.getAndSet(false)) {
                        real.swapPorts(a, b); // the retried call
                    }
                }

                @Override
                public void close() {
                }
            };
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = resources(rotation, model);
            staged("blue", Slot.PRODUCTION, resources, model);
            staged("green", Slot.STAGING, resources, model);
            java.util.Map<String, Integer> ports = resources.plan("blue", "green");
            resources.apply(ports);
            ports.forEach((name, port) -> assertThat(real.listener(name).orElseThrow().port()).as(name)
                    .isEqualTo(port));
            resources.detach("blue");
            resources.detach("green");
        }
    }

    @Test
    void aDeploymentMovingIntoTheEmptySlotGetsPortsOfItsOwnAndGivesUpItsOld() throws Exception {
        try (VipLoadBalancer lb = VipLoadBalancer.start(); SystemScheduler scheduler = new SystemScheduler()) {
            VipRotation rotation = new VipRotation(lb);
            FabricModel model = FabricModel.open(data, scheduler, rotation);
            DeploymentResources resources = resources(rotation, model);
            staged("blue", Slot.PRODUCTION, resources, model);
            int before = vipPort(rotation, "blue", "Http");
            try (ServerSocket blueGuest = standIn(resources, rotation, "blue")) {
                java.util.Map<String, Integer> ports = resources.plan("blue", null);
                int after = ports.get("blue/Web/Http");
                assertThat(after).isNotEqualTo(before);
                resources.apply(ports);
                assertThat(vipPort(rotation, "blue", "Http")).isEqualTo(after);
                assertThat(firstLine("127.0.0.1", after)).isEqualTo("blue");
                assertThat(lb.listeners()).extracting(l -> l.spec().name())
                        .containsExactlyInAnyOrder("blue/Web/Http", "blue/Web/Admin");
                assertThat(firstLine("127.0.0.1", before)).as("nothing answers on the old VIP port").isNull();
                assertThat(resources.network().vipPort("blue", "blue/Web/Http")).hasValue(after);
            }
            resources.detach("blue");
        }
    }

    private DeploymentRecord staged(String name, Slot slot, DeploymentResources resources, FabricModel model)
            throws Exception {
        Path service = Path.of(DeploymentResourcesTest.class.getResource("/services/swap").toURI());
        ServiceSource source = ServiceSource.resolve(service, null, data.resolve("tmp"));
        resources.services().stage(name, source);
        source.cleanup();
        DeploymentRecord r = record();
        model.addDeployment(new DeploymentRecord(name, name, "Swap", slot, false, false, 2, List.of(), r.instances(),
                Instant.EPOCH, 0));
        resources.attach(model.requireDeployment(name));
        return model.requireDeployment(name);
    }

    private static int vipPort(VipRotation rotation, String deploymentId, String endpoint) {
        return rotation.endpointListeners(deploymentId).stream().filter(l -> l.endpoint().equals(endpoint))
                .findFirst().orElseThrow().listener().port();
    }

    /** A stand-in for the deployment's Web_IN_0 on its Http forward, answering the deployment's name; in rotation. */
    private static ServerSocket standIn(DeploymentResources resources, VipRotation rotation, String deploymentId)
            throws IOException {
        InstanceNetwork n = resources.network().instance(deploymentId, "Web_IN_0").orElseThrow();
        ServerSocket guest = new ServerSocket();
        guest.bind(new InetSocketAddress(n.address(), n.hostPorts().get("Http")));
        new Thread(() -> answerEach(guest, deploymentId), "guest-stand-in-" + deploymentId).start();
        rotation.putInRotation(new InstanceRef(deploymentId, "Web", "Web_IN_0"));
        return guest;
    }

    private DeploymentResources attached(String resource, VipRotation rotation, FabricModel model) throws Exception {
        Path service = Path.of(DeploymentResourcesTest.class.getResource(resource).toURI());
        DeploymentResources resources = resources(rotation, model);
        ServiceSource source = ServiceSource.resolve(service, null, data.resolve("tmp"));
        resources.services().stage("ep", source);
        source.cleanup();
        model.addDeployment(record());
        resources.attach(model.requireDeployment("dep1"));
        return resources;
    }

    /** Answers "hello" on every connection until the socket is closed. */
    private static void answerEach(ServerSocket server) {
        answerEach(server, "hello");
    }

    private static void answerEach(ServerSocket server, String line) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** The first line the VIP sends a client bound to {@code source}, or null when it closes without one. */
    private static String firstLine(String source, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(5000);
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        } catch (java.net.SocketException reset) {
            return null;
        }
    }

    private DeploymentResources resources(VipRotation rotation, FabricModel model) throws Exception {
        NetworkAllocator network = new NetworkAllocator(data);
        InstanceBlueprints blueprints = new InstanceBlueprints(new InstanceBlueprints.Settings(data,
                model.fabricId(), 1, 128, 2, InstancePlan.Timeouts.defaults()), network,
                new org.csemu.fabric.certificates.GuestCertificates(new org.csemu.fabric.certificates.CertificateStore(data)));
        ImageRepository images = new ImageRepository(data.resolve("images"));
        if (images.inspect("csemu-base").isEmpty()) {
            // a tiny real qcow2 and stand-in kernel files: enough for planning, nothing boots here
            Path src = java.nio.file.Files.createDirectories(data.resolve("image-src"));
            org.csemu.fabric.util.ProcessRunner.run(java.time.Duration.ofSeconds(30), "qemu-img", "create", "-q",
                    "-f", "qcow2", src.resolve("disk.qcow2").toString(), "16M").orThrow();
            java.nio.file.Files.writeString(src.resolve("vmlinux"), "kernel");
            java.nio.file.Files.writeString(src.resolve("initrd.img"), "initrd");
            images.add(new org.csemu.fabric.image.ImageSource("csemu-base", src.resolve("disk.qcow2"), "qcow2",
                    src.resolve("vmlinux"), src.resolve("initrd.img"), "quiet"));
        }
        return new DeploymentResources(new ServiceStore(data), network, blueprints, rotation, images, "csemu-base",
                "127.0.0.1");
    }

    private static DeploymentRecord record() {
        List<InstanceRecord> instances = List.of(
                new InstanceRecord("Web_IN_0", "Web", 0, 0, 0, DesiredPower.RUNNING, 1, 0, null, 0),
                new InstanceRecord("Web_IN_1", "Web", 1, 1, 1, DesiredPower.RUNNING, 1, 0, null, 0));
        return new DeploymentRecord("dep1", "ep", "Endpoints", Slot.PRODUCTION, false, false, 2, List.of(), instances,
                Instant.EPOCH, 0);
    }
}
