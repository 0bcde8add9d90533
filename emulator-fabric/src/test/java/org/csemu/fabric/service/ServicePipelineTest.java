package org.csemu.fabric.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.csemu.core.model.RoleKind;
import org.csemu.core.roleenv.RoleEnvironmentDocument;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.DesiredPower;
import org.csemu.fabric.deployment.InstanceRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.disk.ConfigDriveInput;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceSpec;
import org.csemu.fabric.vm.PortForward;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The creation pipeline without VMs: a service directory is packed, verified and validated; errors come back with
 * their diagnostics and leave nothing; addresses are allocated and persisted; an instance's plan carries the role
 * environment (peers at this guest's proxies, 10.0.2.15), resolved task variables, sites, forwards and the role's files.
 */
class ServicePipelineTest {
    private static final Path SAMPLES = Path.of(System.getProperty("csemu.root", "..")).resolve("samples");

    @TempDir
    Path data;

    @Test
    void aServiceDirectoryIsPackedValidatedStagedAndBoundToTheDeploymentId() throws Exception {
        ServiceStore store = new ServiceStore(data);
        ServiceSource source = ServiceSource.resolve(SAMPLES.resolve("two-tier"), null, data.resolve("tmp"));
        LoadedService staged;
        try {
            staged = store.stage("tt", source);
        } finally {
            source.cleanup();
        }
        assertThat(Files.exists(source.packageFile())).isFalse();
        assertThat(staged.definition().roles()).extracting(r -> r.name()).containsExactly("Frontend", "Backend");
        assertThat(staged.appRoot("Backend").resolve("backend.sh")).isRegularFile();
        assertThat(staged.siteRoot("Frontend", 0).resolve("cgi-bin/call")).isRegularFile();

        LoadedService bound = store.require("dep1", id -> Optional.of("tt"));
        assertThat(bound.directory()).isEqualTo(data.resolve("deployments/dep1/service"));
        assertThat(bound.appRoot("Backend").resolve("init-storage.sh")).isRegularFile();
        // a new store (a restarted fabric) reads it back from disk
        LoadedService reloaded = new ServiceStore(data).require("dep1", id -> Optional.empty());
        assertThat(reloaded.definition().name()).isEqualTo("TwoTier");
        assertThat(reloaded.configuration().role("Backend").orElseThrow().settings()).hasSize(1);
    }

    @Test
    void aCsxDirectoryAndACspackPackageAreStagedLikeACsemuPackage() throws Exception {
        Path hello = SAMPLES.resolve("hello-web");
        Path csx = data.resolve("in/HelloWeb.csx");
        Files.createDirectories(csx.resolve("roles/WebRole1/approot"));
        Files.createDirectories(csx.resolve("roles/WebRole1/sitesroot/0"));
        Files.copy(hello.resolve("ServiceDefinition.csdef"), csx.resolve("ServiceDefinition.csdef"));
        Files.copy(hello.resolve("WebRole1/make-page.sh"), csx.resolve("roles/WebRole1/approot/make-page.sh"));
        Files.copy(hello.resolve("WebRole1/site/style.css"), csx.resolve("roles/WebRole1/sitesroot/0/style.css"));
        Path cscfg = hello.resolve("ServiceConfiguration.cscfg");
        assertThatThrownBy(() -> ServiceSource.resolve(csx, null, data.resolve("tmp")))
                .isInstanceOf(DeploymentRejectedException.class).hasMessageContaining("give its service configuration");
        ServiceSource fromCsx = ServiceSource.resolve(csx, cscfg, data.resolve("tmp"));
        assertThat(fromCsx.temporary()).as("a .csx is read in place, like a package").isFalse();
        ServiceStore store = new ServiceStore(data);
        LoadedService staged = store.stage("csx", fromCsx);
        assertThat(staged.appRoot("WebRole1").resolve("make-page.sh")).isRegularFile();
        assertThat(staged.siteRoot("WebRole1", 0).resolve("style.css")).isRegularFile();

        Path cspack = data.resolve("in/hello-cspack.cspkg");
        try (org.csemu.core.pkg.PackageReader reader = org.csemu.core.pkg.PackageReader.open(csx)) {
            org.csemu.core.pkg.CspackWriter.write(reader, cspack);
        }
        LoadedService fromCspack = store.stage("cspack", ServiceSource.resolve(cspack, cscfg, data.resolve("tmp")));
        assertThat(fromCspack.siteRoot("WebRole1", 0).resolve("style.css")).hasSameTextualContentAs(
                hello.resolve("WebRole1/site/style.css"));
        store.discardStaged("csx");
        store.discardStaged("cspack");
    }

    @Test
    void anInvalidConfigurationIsRefusedWithItsDiagnosticsAndNothingStays() throws Exception {
        Path bad = data.resolve("bad.cscfg");
        Files.writeString(bad, Files.readString(SAMPLES.resolve("hello-web/ServiceConfiguration.cscfg"))
                .replace("name=\"Greeting\"", "name=\"Greting\""), StandardCharsets.UTF_8);
        ServiceStore store = new ServiceStore(data);
        ServiceSource source = ServiceSource.resolve(SAMPLES.resolve("hello-web"), bad, data.resolve("tmp"));
        assertThatThrownBy(() -> store.stage("hw", source))
                .isInstanceOf(DeploymentRejectedException.class)
                .satisfies(e -> assertThat(((DeploymentRejectedException) e).diagnostics())
                        .anySatisfy(d -> {
                            assertThat(d.isError()).isTrue();
                            assertThat(d.file()).endsWith("bad.cscfg");
                            assertThat(d.line()).isPositive();
                        }))
                .hasMessageContaining("Greting");
        source.cleanup();
        try (var s = Files.list(data.resolve("staging"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aDirectoryWithoutASingleConfigurationOrAPackageWithoutOneIsRefused() throws Exception {
        Path dir = Files.createDirectories(data.resolve("svc"));
        Files.copy(SAMPLES.resolve("hello-web/ServiceDefinition.csdef"), dir.resolve("ServiceDefinition.csdef"));
        assertThatThrownBy(() -> ServiceSource.resolve(dir, null, data.resolve("tmp")))
                .isInstanceOf(DeploymentRejectedException.class).hasMessageContaining("has 0 .cscfg files");
        Path pkg = Files.writeString(data.resolve("x.cspkg"), "not a zip");
        assertThatThrownBy(() -> ServiceSource.resolve(pkg, null, data.resolve("tmp")))
                .isInstanceOf(DeploymentRejectedException.class).hasMessageContaining("give its service configuration");
    }

    @Test
    void addressesArePerInstanceUniquePersistedAndFollowTheAddressRules() throws Exception {
        LoadedService tt = stage("two-tier");
        NetworkAllocator network = new NetworkAllocator(data);
        DeploymentRecord d = record("dep1", "Frontend", 2, "Backend", 1);
        InstanceBlueprints blueprints = new InstanceBlueprints(settings(), network,
                new org.csemu.fabric.certificates.GuestCertificates(new org.csemu.fabric.certificates.CertificateStore(data)));
        blueprints.allocate(tt, d);
        InstanceNetwork f0 = network.instance("dep1", "Frontend_IN_0").orElseThrow();
        InstanceNetwork f1 = network.instance("dep1", "Frontend_IN_1").orElseThrow();
        InstanceNetwork b0 = network.instance("dep1", "Backend_IN_0").orElseThrow();
        assertThat(List.of(f0.address(), f1.address(), b0.address())).doesNotHaveDuplicates()
                .allSatisfy(a -> assertThat(a).startsWith("127.255."));
        assertThat(f0.localPorts()).containsEntry("Http", 8080);
        assertThat(b0.localPorts()).containsEntry("Api", 9000);
        assertThat(b0.peerPorts()).containsKey("Api");
        assertThat(f0.peerPorts()).isEmpty(); // input endpoints are reached through the VIP
        // reloaded from network.json: the same allocation
        NetworkAllocator again = new NetworkAllocator(data);
        assertThat(again.instance("dep1", "Backend_IN_0")).contains(b0);
        assertThat(again.endpointPorts("dep1").peerPort("Backend_IN_0", "Api").getAsInt())
                .isEqualTo(b0.peerPorts().get("Api"));
        // a privileged local port is forwarded from port + 8000 on the instance address
        LoadedService hw = stage("hello-web");
        blueprints.allocate(hw, record("dep2", "WebRole1", 1, null, 0));
        InstanceNetwork w0 = network.instance("dep2", "WebRole1_IN_0").orElseThrow();
        assertThat(w0.localPorts()).containsEntry("Http", 80);
        assertThat(w0.hostPorts()).containsEntry("Http", 8080);
        assertThat(w0.address()).isNotIn(f0.address(), f1.address(), b0.address());
        network.releaseDeployment("dep1");
        assertThat(new NetworkAllocator(data).instance("dep1", "Frontend_IN_0")).isEmpty();
    }

    @Test
    void anInstancePlanCarriesTheRoleEnvironmentPeersResolvedVariablesSitesAndForwards() throws Exception {
        LoadedService tt = stage("two-tier");
        NetworkAllocator network = new NetworkAllocator(data);
        DeploymentRecord d = record("dep1", "Frontend", 2, "Backend", 1);
        InstanceBlueprints blueprints = new InstanceBlueprints(settings(), network,
                new org.csemu.fabric.certificates.GuestCertificates(new org.csemu.fabric.certificates.CertificateStore(data)));

        InstancePlan front = blueprints.plan(tt, d, spec(d, "Frontend", 0, RoleKind.WEB_ROLE), image());
        InstanceNetwork b0 = network.instance("dep1", "Backend_IN_0").orElseThrow();
        RoleEnvironmentDocument doc = RoleEnvironmentDocument.parse(front.configDrive().roleEnvironmentXml());
        assertThat(doc.select("/RoleEnvironment/Roles/Role[@name='Backend']/Instances/Instance[@id='Backend_IN_0']"
                + "/Endpoints/Endpoint[@name='Api']/@address")).as("this guest's proxy").contains("10.0.2.15");
        assertThat(doc.select("/RoleEnvironment/Roles/Role[@name='Backend']/Instances/Instance[@id='Backend_IN_0']"
                + "/Endpoints/Endpoint[@name='Api']/@port")).contains(Integer.toString(b0.peerPorts().get("Api")));
        assertThat(front.configDrive().sites()).singleElement().satisfies(s -> {
            assertThat(s.ports()).containsExactly(8080);
            assertThat(s.contentDir()).isEqualTo(tt.siteRoot("Frontend", 0));
        });
        assertThat(front.forwards()).containsExactly(new PortForward(PortForward.Protocol.TCP, front.hostAddress(),
                network.instance("dep1", "Frontend_IN_0").orElseThrow().hostPorts().get("Http"), 8080));
        assertThat(front.configDrive().identity().recycleId()).isEqualTo("r0");

        InstancePlan back = blueprints.plan(tt, d, spec(d, "Backend", 0, RoleKind.WORKER_ROLE), image());
        ConfigDriveInput drive = back.configDrive();
        assertThat(drive.tasks()).singleElement().satisfies(t -> {
            assertThat(t.commandLine()).isEqualTo("sh init-storage.sh");
            assertThat(t.environment()).containsEntry("SCRATCH", "/csemu/local/Scratch/");
        });
        assertThat(drive.runtimeEnvironment()).containsEntry("API_PORT", "9000").containsEntry("WORK_LABEL", "work done");
        assertThat(drive.entry().kind()).isEqualTo(ConfigDriveInput.Entry.Kind.PROGRAM);
        assertThat(drive.entry().command()).isEqualTo("sh backend.sh");
        assertThat(drive.settings()).containsExactly(new ConfigDriveInput.Setting("WorkLabel", "work done"));
        assertThat(drive.localResources()).containsExactly(new ConfigDriveInput.LocalResource("Scratch", 64, false));
        assertThat(back.forwards()).extracting(PortForward::hostAddress)
                .containsExactlyInAnyOrder(back.hostAddress(), "127.0.0.1");
        assertThat(drive.appRoot()).isEqualTo(tt.appRoot("Backend"));

        // traffic rules: the backend's Api gate (on its peer port) lets only the frontend's secret through; the
        // frontend proxies that port for its role code; the secrets are the data directory's, stable
        GateSecrets secrets = new GateSecrets(data);
        int api = b0.peerPorts().get("Api");
        assertThat(drive.gates().roleSecret()).isEqualTo(secrets.of("dep1", "Backend")).matches("[0-9a-f]{32}");
        assertThat(drive.gates().gates()).containsExactly(new ConfigDriveInput.Gates.Gate(api, 9000,
                List.of(secrets.of("dep1", "Frontend"))));
        assertThat(back.forwards()).extracting(PortForward::guestPort).as("both forwards lead to the gate")
                .containsOnly(api);
        assertThat(front.configDrive().gates().gates()).isEmpty();
        assertThat(front.configDrive().gates().proxies()).containsExactly(new ConfigDriveInput.Gates.Proxy(api, false));
        assertThat(front.configDrive().gates().roleSecret()).isEqualTo(secrets.of("dep1", "Frontend"))
                .isNotEqualTo(secrets.of("dep1", "Backend")).isNotEqualTo(secrets.of("dep2", "Frontend"));
        assertThat(java.nio.file.Files.getPosixFilePermissions(data.resolve(GateSecrets.KEY_FILE)))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(TrafficGates.reservedGuestPorts(tt.definition())).contains(8080, 9000).doesNotContain(api);
    }

    // ---- fixtures

    private LoadedService stage(String sample) throws Exception {
        ServiceStore store = new ServiceStore(data);
        ServiceSource source = ServiceSource.resolve(SAMPLES.resolve(sample), null, data.resolve("tmp"));
        try {
            return store.stage(sample, source);
        } finally {
            source.cleanup();
        }
    }

    private InstanceBlueprints.Settings settings() {
        return new InstanceBlueprints.Settings(data, "fabric-1", 1, 128, 2, InstancePlan.Timeouts.defaults());
    }

    private Image image() {
        Path f = data.resolve("img");
        return new Image("a".repeat(64), List.of("csemu-base"), f, "qcow2", 1, 1, "x", f, f, "quiet", Instant.EPOCH);
    }

    private static InstanceSpec spec(DeploymentRecord d, String role, int index, RoleKind kind) {
        InstanceRecord r = d.instances().stream().filter(i -> i.role().equals(role) && i.index() == index).findFirst()
                .orElseThrow();
        return new InstanceSpec(new InstanceRef(d.id(), role, r.id()), kind, index, r.updateDomain(), r.faultDomain(),
                0, 0, List.of(), null, null);
    }

    private static DeploymentRecord record(String id, String roleA, int countA, String roleB, int countB) {
        List<InstanceRecord> instances = new java.util.ArrayList<>();
        for (int n = 0; n < countA; n++) {
            instances.add(new InstanceRecord(roleA + "_IN_" + n, roleA, n, n % 2, n % 2, DesiredPower.RUNNING, 0, 0, null, 0));
        }
        for (int n = 0; n < countB; n++) {
            instances.add(new InstanceRecord(roleB + "_IN_" + n, roleB, n, n % 2, n % 2, DesiredPower.RUNNING, 0, 0, null, 0));
        }
        return new DeploymentRecord(id, id, "svc", Slot.PRODUCTION, false, false, 2, List.of(), instances, Instant.EPOCH, 0);
    }
}
