package org.csemu.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.csemu.core.diag.Diagnostic;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.junit.jupiter.api.Test;

/**
 * What real-world models use and the schema must accept: instance public IP DNS labels, interleaved endpoint kinds,
 * several VIPs with reserved IPs bound to them; and what a file's own schemaVersion says about them.
 */
class SchemaGenerationTest {

    private static final ServiceModelParser PARSER = new ServiceModelParser();

    private static String cscfg(String schemaVersion, String network) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                + "<ServiceConfiguration serviceName=\"Svc\" xmlns=\"" + TestFiles.CSCFG_NS + "\""
                + (schemaVersion == null ? "" : " schemaVersion=\"" + schemaVersion + "\"") + ">\n"
                + "  <Role name=\"Web\">\n    <Instances count=\"1\" />\n  </Role>\n"
                + "  <NetworkConfiguration>\n" + network + "  </NetworkConfiguration>\n"
                + "</ServiceConfiguration>\n";
    }

    private static final String PUBLIC_IP = "    <AddressAssignments>\n      <InstanceAddress roleName=\"Web\">\n"
            + "        <PublicIPs>\n          <PublicIP name=\"MyPublicIP\" domainNameLabel=\"mylabel\" />\n        </PublicIPs>\n"
            + "      </InstanceAddress>\n    </AddressAssignments>\n";

    private static final String VIPS = "    <VirtualNetworkSite name=\"VNet\" />\n    <AddressAssignments>\n"
            + "      <InstanceAddress roleName=\"Web\">\n        <Subnets>\n          <Subnet name=\"Front\" />\n        </Subnets>\n      </InstanceAddress>\n"
            + "      <VirtualIPs>\n        <VirtualIP name=\"Vip1\" />\n        <VirtualIP name=\"Vip2\" />\n      </VirtualIPs>\n"
            + "      <ReservedIPs>\n        <ReservedIP name=\"Group rg ip1\" virtualIpName=\"Vip1\" />\n"
            + "        <ReservedIP name=\"Group rg ip2\" virtualIpName=\"Vip2\" />\n      </ReservedIPs>\n"
            + "    </AddressAssignments>\n";

    private static ParseResultView parse(String text) {
        ParseResult<ServiceConfiguration> r = PARSER.parseConfiguration("ServiceConfiguration.cscfg", TestFiles.utf8(text));
        return new ParseResultView(r);
    }

    private record ParseResultView(ParseResult<ServiceConfiguration> result) {
        java.util.List<String> formatted() {
            return result.diagnostics().stream().map(Diagnostic::format).toList();
        }
    }

    @Test
    void publicIpDomainNameLabelIsAcceptedFrom2014_01() {
        assertThat(parse(cscfg("2014-01.2.3", PUBLIC_IP)).formatted()).isEmpty();
        assertThat(parse(cscfg(null, PUBLIC_IP)).formatted()).as("no schemaVersion: the newest generation").isEmpty();
        assertThat(parse(cscfg("unspecified", PUBLIC_IP)).formatted()).isEmpty();
    }

    @Test
    void publicIpDomainNameLabelInAnOlderGenerationSaysWhichVersionItNeeds() {
        ParseResultView v = parse(cscfg("2013-10.2.2", PUBLIC_IP));
        assertThat(v.result().ok()).isFalse();
        assertThat(v.formatted()).containsExactly("ServiceConfiguration.cscfg:10:67: error CSCFG011 PublicIP@domainNameLabel needs "
                + "schemaVersion 2014-01.2.3 or later; this file declares schemaVersion=\"2013-10.2.2\" (fix: set "
                + "schemaVersion=\"2014-01.2.3\" (or later) on <ServiceConfiguration>, or remove PublicIP@domainNameLabel)");
    }

    @Test
    void virtualIpsAndReservedIpsBoundToThemAreAccepted() {
        ParseResultView v = parse(cscfg("2015-04.2.6", VIPS));
        assertThat(v.formatted()).isEmpty();
        assertThat(v.result().model().orElseThrow().networkConfiguration().orElseThrow().reservedIps())
                .containsExactly("Group rg ip1", "Group rg ip2");
        assertThat(parse(cscfg(null, VIPS)).formatted()).isEmpty();
    }

    @Test
    void aVirtualIpMayListItsEndpointsAndIpVersionAsTheExtendedSupportSamplesDo() {
        String network = "    <VirtualNetworkSite name=\"VNet\" />\n    <AddressAssignments>\n"
                + "      <VirtualIPs>\n        <VirtualIP name=\"IP1\" ipVersion=\"IPv4\">\n          <Endpoints>\n"
                + "            <Endpoint role=\"Web\" name=\"NatEndpoint\" />\n          </Endpoints>\n        </VirtualIP>\n      </VirtualIPs>\n"
                + "      <InstanceAddress roleName=\"Web\">\n        <Subnets>\n          <Subnet name=\"default\" />\n        </Subnets>\n      </InstanceAddress>\n"
                + "      <ReservedIPs>\n        <ReservedIP name=\"PIP2\" virtualIpName=\"IP1\" />\n      </ReservedIPs>\n"
                + "    </AddressAssignments>\n";
        assertThat(parse(cscfg("2015-04.2.6", network)).formatted()).isEmpty();
        ParseResultView bad = parse(cscfg("2015-04.2.6", network.replace("IPv4", "IPv5")));
        assertThat(bad.result().diagnostics()).extracting(Diagnostic::code).containsExactly("CSCFG004");
        assertThat(bad.result().diagnostics().get(0).message()).contains("'IPv5'").contains("IPv4").contains("IPv6");
    }

    @Test
    void aRepeatedNetworkConfigurationChildNamesNetworkConfigurationNotARole() {
        ParseResultView v = parse(cscfg("2015-04.2.6", "    <VirtualNetworkSite name=\"a\" />\n    <VirtualNetworkSite name=\"b\" />\n"));
        assertThat(v.result().diagnostics()).extracting(Diagnostic::message).containsExactly("element <VirtualNetworkSite> appears "
                + "more than once in <NetworkConfiguration>: each child of <NetworkConfiguration> may appear only once");
    }

    @Test
    void aDefinitionWithoutRolesIsToldToAddARoleNotAnOptionalElement() {
        ParseResult<ServiceDefinition> r = PARSER.parseDefinition("ServiceDefinition.csdef", TestFiles.utf8(
                "<?xml version=\"1.0\"?>\n<ServiceDefinition name=\"Svc\" xmlns=\"" + TestFiles.CSDEF_NS + "\">\n</ServiceDefinition>\n"));
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly("CSDEF002");
        assertThat(r.diagnostics().get(0).fix()).isEqualTo("add one of: <WebRole>, <WorkerRole>, <VirtualMachineRole>");
    }

    @Test
    void virtualIpsInAnOlderGenerationAreReportedAsNewerNotAsTypos() {
        ParseResultView v = parse(cscfg("2014-06.2.4", VIPS));
        assertThat(v.result().diagnostics()).extracting(Diagnostic::code).containsExactly("CSCFG011", "CSCFG011", "CSCFG011");
        assertThat(v.result().diagnostics().get(0).message()).startsWith("<VirtualIPs> needs schemaVersion 2015-04.2.6 or later");
        assertThat(v.result().diagnostics().get(1).message()).startsWith("ReservedIP@virtualIpName needs schemaVersion 2015-04.2.6");
    }

    @Test
    void addressAssignmentChildrenInAnyOrderButListsOnlyOnce() {
        String reordered = "    <AddressAssignments>\n      <ReservedIPs>\n        <ReservedIP name=\"r\" />\n      </ReservedIPs>\n"
                + "      <InstanceAddress roleName=\"Web\" />\n      <ReservedIPs>\n        <ReservedIP name=\"s\" />\n      </ReservedIPs>\n"
                + "    </AddressAssignments>\n";
        ParseResultView v = parse(cscfg("2015-04.2.6", reordered));
        assertThat(v.formatted()).containsExactly("ServiceConfiguration.cscfg:12:20: error CSCFG001 <ReservedIPs> appears twice in "
                + "<AddressAssignments> (fix: merge the two <ReservedIPs> elements into one)");
    }

    @Test
    void endpointKindsMayBeInterleaved() {
        String roleBody = "    <Endpoints>\n"
                + "      <InputEndpoint name=\"Http\" protocol=\"http\" port=\"80\" />\n"
                + "      <InternalEndpoint name=\"Peer\" protocol=\"tcp\" port=\"9000\" />\n"
                + "      <InputEndpoint name=\"Https\" protocol=\"tcp\" port=\"443\" />\n"
                + "      <InstanceInputEndpoint name=\"Rdp\" localPort=\"3389\" protocol=\"tcp\">\n"
                + "        <AllocatePublicPortFrom>\n          <FixedPortRange min=\"10000\" max=\"10010\" />\n        </AllocatePublicPortFrom>\n"
                + "      </InstanceInputEndpoint>\n"
                + "      <InternalEndpoint name=\"Peer2\" protocol=\"tcp\" port=\"9001\" />\n"
                + "    </Endpoints>\n";
        ParseResult<ServiceDefinition> r = PARSER.parseDefinition("ServiceDefinition.csdef", TestFiles.utf8(TestFiles.worker(roleBody)));
        assertThat(r.diagnostics()).extracting(Diagnostic::format).isEmpty();
        RoleDefinition worker = r.model().orElseThrow().roles().get(0);
        assertThat(worker.endpoints().input()).extracting(e -> e.name()).containsExactly("Http", "Https");
        assertThat(worker.endpoints().internal()).extracting(e -> e.name()).containsExactly("Peer", "Peer2");
        assertThat(worker.endpoints().instanceInput()).extracting(e -> e.name()).containsExactly("Rdp");
    }

    @Test
    void anOrderErrorSaysWhatMustComeBeforeWhat() {
        String network = "    <AddressAssignments>\n      <InstanceAddress roleName=\"Web\" />\n    </AddressAssignments>\n"
                + "    <Dns>\n      <DnsServers>\n        <DnsServer name=\"d\" IPAddress=\"10.0.0.4\" />\n      </DnsServers>\n    </Dns>\n";
        ParseResultView v = parse(cscfg(null, network));
        assertThat(v.formatted()).containsExactly("ServiceConfiguration.cscfg:10:10: error CSCFG001 element <Dns> is out of order in "
                + "<NetworkConfiguration>: <Dns> must come before <AddressAssignments> (fix: move <Dns> before <AddressAssignments>; "
                + "the order in <NetworkConfiguration> is <Dns>, <VirtualNetworkSite>, <AddressAssignments>, <AccessControls>, "
                + "<EndpointAcls>, <LoadBalancers>, <NetworkSecurityGroupRefs>)");
    }

    @Test
    void aRepeatedRoleChildIsNamedAsRepeatedAndATypoListsWhatIsExpected() {
        ParseResult<ServiceDefinition> twice = PARSER.parseDefinition("ServiceDefinition.csdef", TestFiles.utf8(TestFiles.worker(
                "    <Imports />\n    <Imports />\n")));
        assertThat(twice.diagnostics()).extracting(Diagnostic::message)
                .containsExactly("element <Imports> appears more than once in <WorkerRole 'Worker'>: each child of <WorkerRole> may appear only once");
        ParseResult<ServiceDefinition> typo = PARSER.parseDefinition("ServiceDefinition.csdef", TestFiles.utf8(TestFiles.worker(
                "    <Endpoints>\n      <InputEndpiont name=\"x\" />\n    </Endpoints>\n")));
        assertThat(typo.diagnostics()).hasSize(1);
        assertThat(typo.diagnostics().get(0).message()).isEqualTo("element <InputEndpiont> is not allowed here in <Endpoints> (in WorkerRole 'Worker')");
        assertThat(typo.diagnostics().get(0).fix()).doesNotContain("each child of a role").contains("<InputEndpoint>");
    }

    @Test
    void schemaVersionForms() {
        assertThat(SchemaGeneration.of("2015-04.2.6")).contains(java.time.YearMonth.of(2015, 4));
        assertThat(SchemaGeneration.of("2014-06.2.4")).contains(java.time.YearMonth.of(2014, 6));
        assertThat(SchemaGeneration.of("unspecified")).isEmpty();
        assertThat(SchemaGeneration.of("2015-13.1")).isEmpty();
        assertThat(SchemaGeneration.of(null)).isEmpty();
    }
}
