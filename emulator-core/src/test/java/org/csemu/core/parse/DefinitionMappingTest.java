package org.csemu.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.csemu.core.model.EntryPoint;
import org.csemu.core.model.EnvironmentVariable;
import org.csemu.core.model.ExecutionContext;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.LoadBalancerDistribution;
import org.csemu.core.model.LoadBalancerProbe;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.ModuleImport;
import org.csemu.core.model.PortRange;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.SettingDeclaration;
import org.csemu.core.model.Site;
import org.csemu.core.model.StartupTask;
import org.csemu.core.model.TaskType;
import org.csemu.core.model.TopologyChangeDiscovery;
import org.csemu.core.model.VirtualPath;
import org.junit.jupiter.api.Test;

/** JAXB → model: concrete contents of corpus files and of a file using every element, defaults applied. */
class DefinitionMappingTest {

    private static final ServiceModelParser PARSER = new ServiceModelParser();

    private static ServiceDefinition corpus(String relative) {
        ParseResult<ServiceDefinition> result = PARSER.parseDefinition(TestFiles.corpusFile(relative));
        assertThat(result.diagnostics()).isEmpty();
        return result.model().orElseThrow();
    }

    @Test
    void pythonRoleWorkerWithStartupTasksLocalStorageAndProgramEntryPoint() {
        ServiceDefinition def = corpus("smarx__pythonrole/ServiceDefinition.csdef");

        assertThat(def.name()).isEqualTo("PackAndDeploy");
        assertThat(def.upgradeDomainCount()).isEqualTo(5);
        assertThat(def.schemaVersion()).isEqualTo("unspecified");
        assertThat(def.topologyChangeDiscovery()).isEqualTo(TopologyChangeDiscovery.UPGRADE_DOMAIN_WALK);
        RoleDefinition role = def.role("WorkerRole").orElseThrow();
        assertThat(role.kind()).isEqualTo(RoleKind.WORKER_ROLE);
        assertThat(role.vmSize()).isEqualTo("ExtraSmall");
        assertThat(role.enableNativeCodeExecution()).isTrue();

        assertThat(role.startupTasks()).extracting(StartupTask::commandLine, StartupTask::executionContext, StartupTask::taskType)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("installPython.cmd", ExecutionContext.ELEVATED, TaskType.SIMPLE),
                        org.assertj.core.groups.Tuple.tuple("installDependencies.cmd", ExecutionContext.LIMITED, TaskType.SIMPLE));
        EnvironmentVariable emulated = role.startupTasks().get(0).environment().get(0);
        assertThat(emulated.name()).isEqualTo("EMULATED");
        assertThat(emulated.isRoleInstanceValue()).isTrue();
        assertThat(emulated.roleInstanceValueXPath()).isEqualTo("/RoleEnvironment/Deployment/@emulated");
        assertThat(emulated.value()).isNull();

        assertThat(role.entryPoint()).contains(new EntryPoint.Program("run.cmd", true));
        assertThat(role.runtime().orElseThrow().executionContext()).isEqualTo(ExecutionContext.LIMITED);
        assertThat(role.runtime().orElseThrow().environment()).extracting(EnvironmentVariable::name)
                .containsExactly("ADDRESS", "PORT", "PYTHON_PATH");

        assertThat(role.localStorage()).extracting(LocalStorage::name, LocalStorage::sizeInMB, LocalStorage::cleanOnRoleRecycle)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("python", 1000, true));

        InputEndpoint http = role.endpoints().input().get(0);
        assertThat(http.name()).isEqualTo("HttpIn");
        assertThat(http.protocol()).isEqualTo(Protocol.TCP);
        assertThat(http.port()).isEqualTo(80);
        assertThat(http.localPort()).as("localPort defaults to port").isEqualTo(80);
        assertThat(http.idleTimeoutInMinutes()).isEqualTo(4);
        assertThat(http.distribution()).isEqualTo(LoadBalancerDistribution.FIVE_TUPLE);
        assertThat(http.ignoreRoleInstanceStatus()).isFalse();
        // CRLF file: the location is the end of the start tag, line 40 of the original
        assertThat(http.location().file()).endsWith("ServiceDefinition.csdef");
        assertThat(http.location().line()).isEqualTo(40);
    }

    @Test
    void orleansWebAndWorkerRolesWithInternalEndpointsAndSites() {
        ServiceDefinition def = corpus("dotnet__orleans/Samples__AzureWebSample__OrleansAzureSample__ServiceDefinition.csdef");

        assertThat(def.schemaVersion()).isEqualTo("2015-04.2.6");
        assertThat(def.roles()).extracting(RoleDefinition::name, RoleDefinition::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("OrleansAzureSilos", RoleKind.WORKER_ROLE),
                org.assertj.core.groups.Tuple.tuple("WebRole", RoleKind.WEB_ROLE));
        RoleDefinition silos = def.roles().get(0);
        assertThat(silos.vmSize()).isEqualTo("Medium");
        assertThat(silos.endpoints().internal()).extracting(InternalEndpoint::name, InternalEndpoint::protocol, InternalEndpoint::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("OrleansSiloEndpoint", Protocol.TCP, 22222),
                        org.assertj.core.groups.Tuple.tuple("OrleansProxyEndpoint", Protocol.TCP, 40000));
        assertThat(silos.settings()).extracting(SettingDeclaration::name)
                .containsExactly("DataConnectionString", "Microsoft.WindowsAzure.Plugins.Diagnostics.ConnectionString");
        assertThat(silos.startupTasks()).as("the commented-out Startup is not there").isEmpty();

        RoleDefinition web = def.roles().get(1);
        assertThat(web.sites()).hasSize(1);
        Site site = web.sites().get(0);
        assertThat(site.name()).isEqualTo("Web");
        assertThat(site.physicalDirectory()).isNull();
        assertThat(site.bindings()).singleElement().satisfies(b -> {
            assertThat(b.name()).isEqualTo("Endpoint1");
            assertThat(b.endpointName()).isEqualTo("Endpoint1");
            assertThat(b.hostHeader()).isNull();
        });
        assertThat(web.entryPoint()).isEmpty();
    }

    @Test
    void importsAndExplicitLocalPort() {
        assertThat(corpus("kayone__Orchard/ServiceDefinition.csdef").roles().get(0).imports()).extracting(ModuleImport::moduleName)
                .containsExactly("RemoteAccess", "RemoteForwarder");
        RoleDefinition worker = PARSER.parseDefinition("ServiceDefinition.csdef", TestFiles.utf8(TestFiles.worker(
                "    <Runtime executionContext=\"elevated\" />\n"
                + "    <Endpoints>\n      <InputEndpoint name=\"Http\" protocol=\"http\" port=\"80\" localPort=\"8080\" />\n    </Endpoints>\n"
                + "    <Imports />\n"))).model().orElseThrow().roles().get(0);
        assertThat(worker.endpoints().input().get(0).localPort()).isEqualTo(8080);
        assertThat(worker.runtime().orElseThrow().executionContext()).isEqualTo(ExecutionContext.ELEVATED);
        assertThat(worker.runtime().orElseThrow().entryPoint()).isEmpty();
        assertThat(worker.imports()).as("empty <Imports />").isEmpty();
    }

    @Test
    void everyElementOfTheFormatIsMapped() {
        ParseResult<ServiceDefinition> result = PARSER.parseDefinition(TestFiles.resource("full.csdef"));
        assertThat(result.diagnostics()).isEmpty();
        ServiceDefinition def = result.model().orElseThrow();

        assertThat(def.upgradeDomainCount()).isEqualTo(3);
        assertThat(def.topologyChangeDiscovery()).isEqualTo(TopologyChangeDiscovery.BLAST);
        assertThat(def.loadBalancerProbes()).containsExactly(
                new LoadBalancerProbe("health", LoadBalancerProbe.ProbeProtocol.HTTP, "/health", 8080, 5, 11, def.loadBalancerProbes().get(0).location()),
                new LoadBalancerProbe("tcpProbe", LoadBalancerProbe.ProbeProtocol.TCP, null, 0, 15, 31, def.loadBalancerProbes().get(1).location()));

        RoleDefinition web = def.role("Web").orElseThrow();
        assertThat(web.enableNativeCodeExecution()).isFalse();
        InputEndpoint http = web.endpoints().input().get(0);
        assertThat(http.localPort()).isEqualTo(InputEndpoint.AUTO_PORT);
        assertThat(http.loadBalancerProbe()).isEqualTo("health");
        assertThat(http.idleTimeoutInMinutes()).isEqualTo(10);
        assertThat(http.distribution()).isEqualTo(LoadBalancerDistribution.SOURCE_IP);
        InputEndpoint https = web.endpoints().input().get(1);
        assertThat(https.certificate()).isEqualTo("SslCert");
        assertThat(https.ignoreRoleInstanceStatus()).isTrue();
        assertThat(web.endpoints().internal().get(0).port()).isEqualTo(InputEndpoint.AUTO_PORT);
        assertThat(web.endpoints().internal().get(0).fixedPorts()).containsExactly(PortRange.single(9000), new PortRange(9100, 9110));
        InstanceInputEndpoint rdp = web.endpoints().instanceInput().get(0);
        assertThat(rdp.localPort()).isEqualTo(3389);
        assertThat(rdp.publicPortRange()).isEqualTo(new PortRange(10000, 10010));
        assertThat(rdp.idleTimeoutInMinutes()).isEqualTo(4);
        assertThat(web.certificates()).extracting(c -> c.name() + ":" + c.storeLocation() + ":" + c.storeName() + ":" + c.permissionLevel())
                .containsExactly("SslCert:LocalMachine:My:limitedOrElevated", "Secret:CurrentUser:CustomStore:elevated");
        assertThat(web.runtime().orElseThrow().executionContext()).isEqualTo(ExecutionContext.ELEVATED);
        assertThat(web.runtime().orElseThrow().environment()).singleElement()
                .satisfies(v -> assertThat(v.value()).isEqualTo("test"));
        assertThat(web.entryPoint()).contains(new EntryPoint.NetFx("Web.dll", "v4.0"));
        assertThat(web.localStorage()).extracting(LocalStorage::name, LocalStorage::sizeInMB, LocalStorage::cleanOnRoleRecycle)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cache", ServiceModelDefaults.LOCAL_STORAGE_SIZE_MB, true),
                        org.assertj.core.groups.Tuple.tuple("logs", 500, false));
        Site site = web.sites().get(0);
        assertThat(site.physicalDirectory()).isEqualTo("..\\WebContent");
        VirtualPath api = site.children().get(0);
        assertThat(api.kind()).isEqualTo(VirtualPath.Kind.APPLICATION);
        assertThat(api.children()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(VirtualPath.Kind.DIRECTORY);
            assertThat(d.name()).isEqualTo("static");
        });
        assertThat(site.bindings().get(1).hostHeader()).isEqualTo("www.example.test");

        RoleDefinition worker = def.role("Worker").orElseThrow();
        assertThat(worker.vmSize()).isEqualTo("Small");
        assertThat(worker.startupTasks()).extracting(StartupTask::taskType)
                .containsExactly(TaskType.SIMPLE, TaskType.BACKGROUND, TaskType.FOREGROUND);
        assertThat(worker.contents()).singleElement().satisfies(c -> {
            assertThat(c.destination()).isEqualTo("bin\\tools");
            assertThat(c.sourceDirectory()).isEqualTo("..\\tools");
        });
        assertThat(worker.endpoints().internal()).extracting(InternalEndpoint::protocol, InternalEndpoint::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Protocol.ANY, 0), org.assertj.core.groups.Tuple.tuple(Protocol.UDP, 5000));
        assertThat(worker.localStorage()).as("legacy role-level LocalStorage").extracting(LocalStorage::name).containsExactly("legacy");

        RoleDefinition vm = def.role("Vm").orElseThrow();
        assertThat(vm.kind()).isEqualTo(RoleKind.VIRTUAL_MACHINE_ROLE);
        assertThat(vm.vmSize()).isEqualTo("Large");
        assertThat(vm.endpoints().input().get(0).localPort()).isEqualTo(22);

        assertThat(def.networkTrafficRules()).hasSize(2);
        assertThat(def.networkTrafficRules().get(0).allowAllTraffic()).isFalse();
        assertThat(def.networkTrafficRules().get(0).fromRoles()).extracting(r -> r.roleName()).containsExactly("Worker");
        assertThat(def.networkTrafficRules().get(0).destinations()).extracting(d -> d.roleName() + "/" + d.endpointName())
                .containsExactly("Web/Gossip");
        assertThat(def.networkTrafficRules().get(1).allowAllTraffic()).isTrue();
    }

    @Test
    void legacyWebRoleEndpointsAreMapped() {
        String csdef = "<ServiceDefinition name=\"Old\" xmlns=\"" + TestFiles.CSDEF_NS + "\">\n"
                + "  <WebRole name=\"Web\">\n"
                + "    <InputEndpoints><InputEndpoint name=\"HttpIn\" protocol=\"http\" port=\"80\"/></InputEndpoints>\n"
                + "    <InternalEndpoint name=\"Internal\" protocol=\"http\"/>\n"
                + "  </WebRole>\n"
                + "</ServiceDefinition>\n";
        ServiceDefinition def = PARSER.parseDefinition("old.csdef", TestFiles.utf8(csdef)).model().orElseThrow();
        RoleDefinition web = def.roles().get(0);
        assertThat(web.endpoints().input()).extracting(InputEndpoint::name).containsExactly("HttpIn");
        assertThat(web.endpoints().internal()).extracting(InternalEndpoint::name, InternalEndpoint::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Internal", 0));
        assertThat(web.sites()).isEmpty();
    }

    @Test
    void variableNeedsExactlyOneValueSource() {
        String both = TestFiles.worker("    <Runtime><Environment>\n"
                + "      <Variable name=\"X\" value=\"1\"><RoleInstanceValue xpath=\"/RoleEnvironment/Deployment/@id\"/></Variable>\n"
                + "      <Variable name=\"Y\"/>\n"
                + "    </Environment></Runtime>\n");
        ParseResult<ServiceDefinition> result = PARSER.parseDefinition("v.csdef", TestFiles.utf8(both));
        assertThat(result.ok()).isFalse();
        assertThat(result.diagnostics()).extracting(d -> d.code() + "@" + d.line()).containsExactly("CSDEF020@5", "CSDEF020@6");
        assertThat(result.diagnostics().get(1).message()).contains("Variable 'Y'", "neither");
    }

    @Test
    void locationsArePerElement() {
        ServiceDefinition def = PARSER.parseDefinition(TestFiles.resource("full.csdef")).model().orElseThrow();
        List<Integer> lines = def.roles().stream().map(r -> r.location().line()).toList();
        assertThat(lines).containsExactly(8, 51, 68);
        assertThat(def.role("Worker").orElseThrow().startupTasks().get(1).location().line()).isEqualTo(54);
    }
}
