package org.csemu.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.csemu.core.model.NetworkConfiguration;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.ServiceConfiguration;
import org.junit.jupiter.api.Test;

class ConfigurationMappingTest {

    private static final ServiceModelParser PARSER = new ServiceModelParser();

    @Test
    void orchardConfigurationWithSettingsAndCertificates() {
        ParseResult<ServiceConfiguration> result = PARSER.parseConfiguration(TestFiles.corpusFile("kayone__Orchard/ServiceConfiguration.cscfg"));
        assertThat(result.diagnostics()).isEmpty();
        ServiceConfiguration cfg = result.model().orElseThrow();

        assertThat(cfg.serviceName()).isEqualTo("OrchardCloudService");
        assertThat(cfg.osFamily()).isEqualTo("2");
        assertThat(cfg.osVersion()).isEqualTo("*");
        assertThat(cfg.schemaVersion()).isEqualTo("unspecified");
        RoleConfiguration role = cfg.role("Orchard.Azure.Web").orElseThrow();
        assertThat(role.instanceCount()).isEqualTo(1);
        assertThat(role.instancesLocation().line()).isEqualTo(4);
        assertThat(role.settings()).hasSize(6);
        assertThat(role.setting("DataConnectionString")).contains("UseDevelopmentStorage=true");
        assertThat(role.certificates()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption");
            assertThat(c.thumbprint()).isEqualTo("8E2E5AB368A106DE36210A9E00C9369766ACFEE8");
            assertThat(c.thumbprintAlgorithm()).isEqualTo("sha1");
        });
        assertThat(cfg.networkConfiguration()).isEmpty();
        assertThat(cfg.guestAgentSettings()).isEmpty();
    }

    @Test
    void extendedSupportSampleWithVirtualNetwork() {
        ServiceConfiguration cfg = PARSER.parseConfiguration(TestFiles.corpusFile(
                "Azure-Samples__sample-cloud-service-extended-support--azure-devops/ServiceConfiguration.Cloud.cscfg")).model().orElseThrow();
        assertThat(cfg.schemaVersion()).isEqualTo("2015-04.2.6");
        assertThat(cfg.roles()).extracting(RoleConfiguration::name).containsExactly("WebRole1", "WorkerRole1");
        NetworkConfiguration net = cfg.networkConfiguration().orElseThrow();
        assertThat(net.virtualNetworkSite()).isEqualTo("cses4test002nellyktestVNet");
        assertThat(net.addressAssignments()).extracting(a -> a.roleName() + ":" + a.subnets())
                .containsExactly("WebRole1:[WebTier]", "WorkerRole1:[WebTier]");
    }

    @Test
    void everyElementOfTheFormatIsMapped() {
        ParseResult<ServiceConfiguration> result = PARSER.parseConfiguration(TestFiles.resource("full.cscfg"));
        assertThat(result.diagnostics()).isEmpty();
        ServiceConfiguration cfg = result.model().orElseThrow();
        RoleConfiguration web = cfg.role("Web").orElseThrow();
        assertThat(web.vmName()).isEqualTo("webvm");
        assertThat(web.instanceCount()).isEqualTo(3);
        assertThat(web.setting("Empty")).contains("");
        assertThat(web.osImageHref()).isNull();
        assertThat(cfg.role("Vm").orElseThrow().osImageHref()).isEqualTo("images/alpine-base");

        NetworkConfiguration net = cfg.networkConfiguration().orElseThrow();
        assertThat(net.dnsServers()).extracting(d -> d.name() + "=" + d.ipAddress()).containsExactly("dns1=203.0.113.53");
        assertThat(net.addressAssignments().get(0).publicIps()).singleElement()
                .satisfies(ip -> assertThat(ip.idleTimeoutInMinutes()).isEqualTo(15));
        assertThat(net.reservedIps()).containsExactly("reserved1");
        assertThat(net.accessControls()).singleElement().satisfies(acl -> {
            assertThat(acl.name()).isEqualTo("office");
            assertThat(acl.rules()).extracting(r -> r.order() + " " + r.action() + " " + r.remoteSubnet())
                    .containsExactly("100 permit 203.0.113.0/24", "200 deny 198.51.100.0/24");
        });
        assertThat(net.endpointAcls()).as("both spellings of the endpoint attribute")
                .extracting(a -> a.role() + "/" + a.endpoint() + "/" + a.accessControl())
                .containsExactly("Web/HttpIn/office", "Web/HttpsIn/office");
        assertThat(net.loadBalancers()).singleElement().satisfies(lb -> {
            assertThat(lb.name()).isEqualTo("ilb");
            assertThat(lb.type()).isEqualTo("private");
            assertThat(lb.subnet()).isEqualTo("FrontEnd");
        });
        assertThat(cfg.guestAgentSettings()).contains(new ServiceConfiguration.GuestAgentSettings(true, true));
    }

    @Test
    void endpointAclWithoutEndpointIsAnError() {
        String cfg = "<ServiceConfiguration serviceName=\"S\" xmlns=\"" + TestFiles.CSCFG_NS + "\">\n"
                + "  <Role name=\"R\"><Instances count=\"1\"/></Role>\n"
                + "  <NetworkConfiguration><EndpointAcls>\n"
                + "    <EndpointAcl role=\"R\" accessControl=\"a\"/>\n"
                + "  </EndpointAcls></NetworkConfiguration>\n"
                + "</ServiceConfiguration>\n";
        ParseResult<ServiceConfiguration> result = PARSER.parseConfiguration("acl.cscfg", TestFiles.utf8(cfg));
        assertThat(result.ok()).isFalse();
        assertThat(result.diagnostics()).extracting(d -> d.code() + "@" + d.line()).containsExactly("CSCFG021@4");
    }
}
