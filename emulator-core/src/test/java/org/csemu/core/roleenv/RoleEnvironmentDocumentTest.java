package org.csemu.core.roleenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.csemu.core.roleenv.RoleEnvironmentInput.ConfigurationSetting;
import org.csemu.core.roleenv.RoleEnvironmentInput.CurrentInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class RoleEnvironmentDocumentTest {

    /** Every XPath of the documented RoleInstanceValue table (reference §1.7), for instance Web_IN_1. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "/RoleEnvironment/Deployment/@emulated | true",
        "/RoleEnvironment/Deployment/@id | dep-42",
        "/RoleEnvironment/CurrentInstance/@id | Web_IN_1",
        "/RoleEnvironment/CurrentInstance/@updateDomain | 1",
        "/RoleEnvironment/CurrentInstance/@faultDomain | 1",
        "/RoleEnvironment/CurrentInstance/@roleName | Web",
        "/RoleEnvironment/CurrentInstance/ConfigurationSettings/ConfigurationSetting[@name='Greeting']/@value | hello",
        "/RoleEnvironment/CurrentInstance/LocalResources/LocalResource[@name='ruby']/@path | /csemu/local/ruby/",
        "/RoleEnvironment/CurrentInstance/LocalResources/LocalResource[@name='ruby']/@sizeInMB | 100",
        "/RoleEnvironment/CurrentInstance/LocalResources/LocalResource[@name='cache']/@sizeInMB | 2048",
        "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='HttpIn']/@protocol | http",
        "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='HttpIn']/@address | 10.0.2.15",
        "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='HttpIn']/@port | 8080",
        "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='Auto']/@port | 9101",
        "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='Gossip']/@port | 7000",
        "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='Rdp']/@protocol | tcp",
        "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='Rdp']/@port | 3389",
        "/RoleEnvironment/Roles/Role[@name='Worker']/Instances/Instance[@id='Worker_IN_1']/Endpoints/Endpoint[@name='Internal']/@address | 10.0.2.15",
        "/RoleEnvironment/Roles/Role[@name='Worker']/Instances/Instance[@id='Worker_IN_1']/Endpoints/Endpoint[@name='Internal']/@port | 41001",
        "/RoleEnvironment/Roles/Role[@name='Worker']/Instances/Instance[@id='Worker_IN_1']/@updateDomain | 1",
        "/RoleEnvironment/Roles/Role[@name='Web']/Instances/Instance[@id='Web_IN_2']/Endpoints/Endpoint[@name='Gossip']/@port | 40002",
        "count(/RoleEnvironment/Roles/Role[@name='Web']/Instances/Instance) | 2",
        "count(/RoleEnvironment/Roles/Role[@name='Worker']/Instances/Instance[@id='Worker_IN_1']/Endpoints/Endpoint) | 1",
    })
    void every_documented_xpath_evaluates_to_the_assigned_value(String xpath, String expected) throws Exception {
        RoleEnvironmentDocument doc = RoleEnvironmentFixture.document("Web_IN_1");
        assertThat(doc.select(xpath)).contains(expected);
        // and with a plain JDK XPath over the bytes, as any other consumer would read them
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document dom = f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(doc.toBytes()));
        assertThat(XPathFactory.newInstance().newXPath().evaluate(xpath, dom, XPathConstants.STRING)).isEqualTo(expected);
    }

    @Test
    void the_current_instance_is_not_listed_among_the_peers() throws Exception {
        RoleEnvironmentDocument doc = RoleEnvironmentFixture.document("Web_IN_1");
        assertThat(doc.select("/RoleEnvironment/Roles/Role[@name='Web']/Instances/Instance[@id='Web_IN_1']")).isEmpty();
        assertThat(doc.select("/RoleEnvironment/Roles/Role[@name='Web']/Instances/Instance[1]/@id")).contains("Web_IN_0");
    }

    @Test
    void a_setting_value_with_markup_quotes_and_line_breaks_round_trips() throws Exception {
        RoleEnvironmentDocument doc = RoleEnvironmentFixture.document("Web_IN_0");
        assertThat(doc.select("/RoleEnvironment/CurrentInstance/ConfigurationSettings/ConfigurationSetting[@name='Tricky']/@value"))
                .contains(RoleEnvironmentFixture.TRICKY);
        assertThat(doc.toXml()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"").contains("&lt;").contains("&amp;");
        assertThat(RoleEnvironmentDocument.parse(doc.toBytes()).select(
                "/RoleEnvironment/CurrentInstance/ConfigurationSettings/ConfigurationSetting[@name='Tricky']/@value"))
                .contains(RoleEnvironmentFixture.TRICKY);
    }

    @Test
    void generation_is_deterministic() {
        assertThat(RoleEnvironmentFixture.document("Worker_IN_0").toBytes()).isEqualTo(RoleEnvironmentFixture.document("Worker_IN_0").toBytes());
    }

    @Test
    void an_unrepresentable_character_is_refused_with_the_setting_named() {
        RoleEnvironmentInput input = new RoleEnvironmentInput("d", true, new CurrentInstance("R_IN_0", "R", 0, 0,
                List.of(new ConfigurationSetting("Bad", "x\u0000y")), List.of(), List.of()), List.of());
        assertThatThrownBy(() -> RoleEnvironmentDocument.generate(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value of setting 'Bad'").hasMessageContaining("U+0000");
    }

    @Test
    void parsing_refuses_a_dtd() {
        byte[] xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><RoleEnvironment a=\"&x;\"/>"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RoleEnvironmentDocument.parse(xxe)).isInstanceOf(java.io.IOException.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void an_endpoint_left_to_the_fabric_without_an_assigned_port_is_an_error() {
        assertThatThrownBy(() -> RoleEnvironmentFactory.forInstance("d", RoleEnvironmentFixture.DEFINITION, RoleEnvironmentFixture.CONFIGURATION,
                RoleEnvironmentFixture.TOPOLOGY, "Worker_IN_0", EndpointPorts.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("internal endpoint 'Internal' of role 'Worker'")
                .hasMessageContaining("no port was assigned to instance 'Worker_IN_0'");
    }

    @Test
    void an_internal_endpoint_with_fixed_ports_uses_the_first() throws Exception {
        assertThat(RoleEnvironmentFixture.document("Worker_IN_1").select(
                "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='Ranged']/@port")).isEqualTo(Optional.of("5000"));
    }
}
